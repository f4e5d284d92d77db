// Package croissant describes an exported dataset version in MLCommons
// Croissant 1.0 (JSON-LD), so that training pipelines that read Croissant
// load the exported files and check their SHA-256: the files (the Parquet
// rows, the canonical manifest, the attestation evidence) with their
// hashes, one record set whose fields carry the columns' types, the key,
// the licence, and the version's Merkle root, manifest hash and
// attestation in groundtruth's own terms (prefix gt:).
package croissant

import (
	"encoding/json"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

// RowColumn is the exported files' first column: each row's index.
const RowColumn = "_row"

// ConformsTo is the Croissant version the metadata conforms to.
const ConformsTo = "http://mlcommons.org/croissant/1.0"

// Namespace is the JSON-LD namespace of groundtruth's own properties.
const Namespace = "https://github.com/groundtruth-dao/groundtruth/blob/main/docs/SPEC.md#"

// File is an exported file.
type File struct {
	// Name is the file name in the export folder.
	Name string
	// EncodingFormat is its media type.
	EncodingFormat string
	// SHA256 is the hash of its bytes; Bytes its size.
	SHA256 datasets.Hash
	Bytes  int64
	// Description says what it holds.
	Description string
}

// Input is what the metadata describes.
type Input struct {
	Manifest     *datasets.Manifest
	ManifestHash datasets.Hash
	Attestation  api.Attestation
	// Data is the Parquet file of the rows (with a _row column first);
	// Others are further files (manifest, evidence).
	Data   File
	Others []File
	// License is the licence URL (SPDX recommended); URL the dataset's page
	// or API endpoint; Creator who publishes it; Description a summary.
	License, URL, Creator, Description string
}

// context is the recommended Croissant 1.0 JSON-LD context with the gt: prefix.
func context() map[string]any {
	c := map[string]any{
		"@language": "en", "@vocab": "https://schema.org/", "sc": "https://schema.org/",
		"cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/", "dct": "http://purl.org/dc/terms/",
		"citeAs": "cr:citeAs", "column": "cr:column", "conformsTo": "dct:conformsTo",
		"data":     map[string]any{"@id": "cr:data", "@type": "@json"},
		"dataType": map[string]any{"@id": "cr:dataType", "@type": "@vocab"},
		"examples": map[string]any{"@id": "cr:examples", "@type": "@json"},
		"extract":  "cr:extract", "field": "cr:field", "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject",
		"fileSet": "cr:fileSet", "format": "cr:format", "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset",
		"jsonPath": "cr:jsonPath", "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
		"recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated",
		"replace": "cr:replace", "separator": "cr:separator", "source": "cr:source", "subField": "cr:subField",
		"transform": "cr:transform", "gt": Namespace,
	}
	return c
}

// DataType is the Croissant data type of a logical type, as exported to
// Parquet: wide integers, bytes, addresses and hashes are text (decimal or
// 0x hex), timestamps are UTC instants.
func DataType(t datasets.Type) string {
	switch t {
	case datasets.TypeBool:
		return "sc:Boolean"
	case datasets.TypeInt8, datasets.TypeInt16, datasets.TypeInt32, datasets.TypeInt64,
		datasets.TypeUint8, datasets.TypeUint16, datasets.TypeUint32, datasets.TypeUint64:
		return "sc:Integer"
	case datasets.TypeFloat64:
		return "sc:Float"
	case datasets.TypeTimestamp:
		return "sc:DateTime"
	}
	return "sc:Text"
}

var typeNotes = map[datasets.Type]string{
	datasets.TypeUint256: "uint256 as a decimal string", datasets.TypeInt256: "int256 as a decimal string",
	datasets.TypeAddress: "20-byte address as 0x and 40 lowercase hex digits", datasets.TypeBytes32: "32 bytes as 0x and 64 lowercase hex digits",
	datasets.TypeBytes: "bytes as 0x and lowercase hex", datasets.TypeTimestamp: "UTC instant, microsecond precision",
}

func fileObject(f File) map[string]any {
	return map[string]any{"@type": "cr:FileObject", "@id": f.Name, "name": f.Name, "description": f.Description,
		"contentUrl": f.Name, "encodingFormat": f.EncodingFormat, "contentSize": fmt.Sprintf("%d B", f.Bytes), "sha256": f.SHA256.Hex()}
}

// Metadata returns the Croissant JSON-LD document (indented JSON).
func Metadata(in Input) ([]byte, error) {
	m := in.Manifest
	name := fmt.Sprintf("%s@%d", m.Dataset, m.Version)
	dist := []any{fileObject(in.Data)}
	for _, f := range in.Others {
		dist = append(dist, fileObject(f))
	}
	fields := []any{field(name, in.Data.Name, datasets.Column{Name: RowColumn, Type: datasets.TypeUint64})}
	for _, c := range m.Schema.Columns {
		fields = append(fields, field(name, in.Data.Name, c))
	}
	var key []any
	for _, k := range m.Schema.Key {
		key = append(key, map[string]any{"@id": name + "/" + k})
	}
	desc := in.Description
	if desc == "" {
		desc = fmt.Sprintf("Version %d of the groundtruth dataset %s: %d rows, attested on-chain (%s).", m.Version, m.Dataset, m.RowCount, in.Attestation.ID)
	}
	doc := map[string]any{
		"@context": context(), "@type": "sc:Dataset", "conformsTo": ConformsTo,
		"name": name, "description": desc, "version": fmt.Sprintf("%d.0.0", m.Version),
		"license": in.License, "url": in.URL, "datePublished": m.CreatedAt, "isLiveDataset": false,
		"creator":      map[string]any{"@type": "sc:Organization", "name": in.Creator},
		"citeAs":       fmt.Sprintf("groundtruth dataset %s, Merkle root %s, manifest %s, attestation %s", name, m.MerkleRoot, in.ManifestHash, in.Attestation.ID),
		"keywords":     []string{"groundtruth", "attested data", "Merkle root", m.Dataset},
		"distribution": dist,
		"recordSet": []any{map[string]any{"@type": "cr:RecordSet", "@id": name, "name": m.Dataset,
			"description": "The version's rows in version order; _row is each row's index, its leaf in the Merkle tree.",
			"key":         key, "field": fields}},
		"gt:merkleRoot": m.MerkleRoot.String(), "gt:manifestHash": in.ManifestHash.String(), "gt:rowCount": m.RowCount,
		"gt:attestation": map[string]any{"gt:id": in.Attestation.ID, "gt:backend": in.Attestation.Backend, "gt:chainId": in.Attestation.ChainID,
			"gt:contract": in.Attestation.Contract, "gt:txHashes": in.Attestation.TxHashes, "gt:uids": in.Attestation.UIDs, "gt:signers": in.Attestation.Signers},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func field(set, file string, c datasets.Column) map[string]any {
	f := map[string]any{"@type": "cr:Field", "@id": set + "/" + c.Name, "name": c.Name, "dataType": DataType(c.Type),
		"description": fmt.Sprintf("%s (%s%s)", c.Name, c.Type, nullable(c.Nullable)),
		"source":      map[string]any{"fileObject": map[string]any{"@id": file}, "extract": map[string]any{"column": c.Name}}}
	if n, ok := typeNotes[c.Type]; ok {
		f["description"] = fmt.Sprintf("%s (%s: %s%s)", c.Name, c.Type, n, nullable(c.Nullable))
	}
	return f
}

func nullable(n bool) string {
	if n {
		return ", nullable"
	}
	return ""
}
