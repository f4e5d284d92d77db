package mcp

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/groundtruth-dao/groundtruth/serve"
)

// ResourcePrefix starts the URI of every resource: each attested version is
// two resources, ResourcePrefix + "D/versions/N/manifest" (the canonical
// manifest bytes; their SHA-256 is the manifest hash) and
// ResourcePrefix + "D/versions/N/evidence" (the attestation evidence).
const ResourcePrefix = "groundtruth://datasets/"

// addResources registers the resource template and lists the attested
// versions the caller may read on resources/list.
func addResources(s *sdk.Server, t *tools) {
	addResourceTemplates(s, t)
	s.AddReceivingMiddleware(func(next sdk.MethodHandler) sdk.MethodHandler {
		return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
			if method != "resources/list" {
				return next(ctx, method, req)
			}
			return t.listResources(ctx, req.GetExtra())
		}
	})
}

// addResourceTemplates registers the manifest and evidence templates
// (again: the SDK replaces them and notifies the sessions).
func addResourceTemplates(s *sdk.Server, t *tools) {
	for _, kind := range []string{"manifest", "evidence"} {
		s.AddResourceTemplate(&sdk.ResourceTemplate{Name: kind, MIMEType: "application/json",
			URITemplate: ResourcePrefix + "{dataset}/versions/{version}/" + kind,
			Description: "The " + kind + " of an attested version of a dataset."}, t.readResource)
	}
}

func (t *tools) listResources(ctx context.Context, extra *sdk.RequestExtra) (*sdk.ListResourcesResult, error) {
	if err := t.svc.WaitStarted(ctx, serve.StartWait); err != nil {
		return nil, err
	}
	p, err := t.who(extra)
	if err != nil {
		return nil, err
	}
	if err := p.Take(); err != nil {
		return nil, err
	}
	out := &sdk.ListResourcesResult{Resources: []*sdk.Resource{}}
	for _, d := range t.svc.Datasets(p) {
		for _, v := range d.Versions {
			ref := fmt.Sprintf("%s@%d", d.Name, v.Version)
			base := ResourcePrefix + url.PathEscape(d.Name) + "/versions/" + strconv.FormatUint(v.Version, 10) + "/"
			out.Resources = append(out.Resources,
				&sdk.Resource{URI: base + "manifest", Name: ref + " manifest", MIMEType: "application/json",
					Description: fmt.Sprintf("manifest of %s: %d rows, Merkle root %s, manifest hash %s", ref, v.Rows, v.MerkleRoot, v.ManifestHash)},
				&sdk.Resource{URI: base + "evidence", Name: ref + " evidence", MIMEType: "application/json",
					Description: fmt.Sprintf("attestation evidence of %s (%s)", ref, v.Attestation.ID)})
		}
	}
	return out, nil
}

// readResource answers resources/read for a manifest or evidence URI.
func (t *tools) readResource(ctx context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
	uri := req.Params.URI
	dataset, version, kind, ok := parseResourceURI(uri)
	if !ok {
		return nil, sdk.ResourceNotFoundError(uri)
	}
	if err := t.svc.WaitStarted(ctx, serve.StartWait); err != nil {
		return nil, err
	}
	p, err := t.who(req.Extra)
	if err == nil {
		err = p.Take()
	}
	if err != nil {
		return nil, t.svc.PublicError(err)
	}
	var body []byte
	if kind == "manifest" {
		v, err := t.svc.Version(p, dataset, version)
		if err != nil {
			return nil, t.svc.PublicError(err)
		}
		body = v.Manifest
	} else if body, err = t.svc.Evidence(p, dataset, version); err != nil {
		return nil, t.svc.PublicError(err)
	}
	return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: "application/json", Text: string(body)}}}, nil
}

// parseResourceURI splits ResourcePrefix + "D/versions/N/KIND".
func parseResourceURI(uri string) (dataset string, version uint64, kind string, ok bool) {
	rest, ok := strings.CutPrefix(uri, ResourcePrefix)
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 4 || parts[1] != "versions" || (parts[3] != "manifest" && parts[3] != "evidence") {
		return "", 0, "", false
	}
	d, err := url.PathUnescape(parts[0])
	n, err2 := strconv.ParseUint(parts[2], 10, 64)
	if err != nil || err2 != nil || n == 0 {
		return "", 0, "", false
	}
	return d, n, parts[3], true
}
