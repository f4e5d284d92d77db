package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// Kind is the source kind name used in configuration.
const Kind = "snapshot"

// Factory returns the factory of snapshot sources.
func Factory() sources.Factory {
	return sources.NewFactory(Kind,
		"Snapshot hub GraphQL API: spaces, or a space's proposals or votes (final scores only)",
		DefaultConfig, New)
}

// Source reads one table of the Snapshot hub: the proposals or the votes of
// one space, or the spaces (one, or every space on the hub).
type Source struct {
	id     string
	cfg    Config
	table  *table
	start  int64
	client *httpfetch.Client
	log    *slog.Logger
	now    func() time.Time
	arrow  *arrow.Schema
}

// New returns a snapshot source with the given id and configuration.
func New(id string, cfg Config, deps sources.Deps) (*Source, error) {
	if id == "" {
		return nil, fmt.Errorf("%w: snapshot source: empty id", sources.ErrConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%w: snapshot source %q: %w", sources.ErrConfig, id, err)
	}
	s := &Source{id: id, cfg: cfg, table: tables[cfg.Table], log: deps.Logger, now: time.Now}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.start, _ = parseStart(cfg.Start)
	s.client = httpfetch.New(id, cfg.HTTP, deps, httpfetch.NewRedactor(cfg.APIKey))
	s.arrow, _ = s.table.schema.ArrowSchema()
	return s, nil
}

// ID returns the source id.
func (s *Source) ID() string { return s.id }

// Schema returns the table's schema.
func (s *Source) Schema() *datasets.Schema { return s.table.schema }

// cursor is the committed position: the created second of the newest item
// passed and the ids of the items passed at that second (emitted, or
// skipped as never final), so items sharing a second are neither lost nor
// read twice. Digests holds each of those items' content digest, so that
// an item read again with the same id but other content (a conflicting
// duplicate) is emitted for poisoning.duplicates to see rather than
// skipped; a cursor written before digests existed has none, and its ids
// are skipped as before.
type cursor struct {
	Created int64               `json:"created"`
	IDs     []string            `json:"ids"`
	Digests map[string][]string `json:"digests,omitempty"`
}

// seenSet maps the ids passed at the cursor's second to the content
// digests passed with them (none when unknown).
type seenSet map[string][]string

func (s *Source) decodeCursor(c sources.Cursor) (cursor, seenSet, error) {
	cur := cursor{Created: s.start}
	if len(c) > 0 {
		if err := json.Unmarshal(c, &cur); err != nil {
			return cur, nil, fmt.Errorf("%w: snapshot source %q: %v", sources.ErrCursor, s.id, err)
		}
	}
	seen := make(seenSet, len(cur.IDs))
	for _, id := range cur.IDs {
		seen[id] = cur.Digests[id]
	}
	return cur, seen, nil
}

func encodeCursor(created int64, seen seenSet) sources.Cursor {
	c := cursor{Created: created, IDs: make([]string, 0, len(seen)), Digests: map[string][]string{}}
	for id, ds := range seen {
		c.IDs = append(c.IDs, id)
		if len(ds) > 0 {
			c.Digests[id] = ds
		}
	}
	sort.Strings(c.IDs)
	b, _ := json.Marshal(c)
	return b
}

// anyContent is the digest recorded for an item passed without a row (not
// final, skipped): any later version of it is skipped too.
const anyContent = "*"

// digest is the content digest of an item's row values.
func (it *item) digest() string {
	h := sha256.Sum256(fmt.Appendf(nil, "%#v", it.values))
	return hex.EncodeToString(h[:12])
}

// repeated reports whether it was passed already at the cursor's second
// with the same content (or unknown content): it is skipped. An id passed
// only with other content is a conflicting duplicate: it is logged and
// emitted as a row of its own, so that poisoning.duplicates reports both.
func (s *Source) repeated(ctx context.Context, seen seenSet, it *item) bool {
	prev, ok := seen[it.id]
	if !ok {
		return false
	}
	if len(prev) == 0 || slices.Contains(prev, anyContent) || slices.Contains(prev, it.digest()) {
		return true
	}
	s.log.WarnContext(ctx, "snapshot source: an item read again with the same id and other content; both are kept for poisoning.duplicates",
		"source", s.id, "table", s.cfg.Table, "id", it.id, "created", it.created)
	return false
}

// Fetch reads the items created at or after the cursor in pages of
// page_size, ordered by created, and emits the final ones, one record per
// page. It stops at the end of the data, after max_pages queries, or
// before the first item that is not final yet (so it is read again, and
// emitted once final, by a later fetch).
func (s *Source) Fetch(ctx context.Context, c sources.Cursor, emit sources.Emit) (sources.Result, error) {
	from, seen, err := s.decodeCursor(c)
	if err != nil {
		return sources.Result{}, err
	}
	prov := datasets.Provenance{Sources: []string{s.id}, Inputs: []datasets.Hash{}}
	var pages []sources.Page
	var bad []sources.BadValue
	emitted := 0
	// cur and seen follow the items passed; qCreated and skip are the next
	// query's created_gte and skip.
	cur, qCreated, skip := from.Created, from.Created, 0
	for page := 1; page <= s.cfg.MaxPages; page++ {
		if err := ctx.Err(); err != nil {
			return sources.Result{}, fmt.Errorf("snapshot source %q: %w", s.id, err)
		}
		resp, items, err := s.page(ctx, page, qCreated, skip)
		if err != nil {
			return sources.Result{}, err
		}
		var rows [][]any
		var idx []int
		stop := false
		for i, it := range items {
			if it.badCreated {
				it.created = max(cur, qCreated)
				items[i].created = it.created
			}
			if it.created < cur || it.created < qCreated {
				return sources.Result{}, s.client.InputError(resp, -1, "item %s was created at %d, before %d: the answer is not ordered by created", it.id, it.created, cur)
			}
			if it.created == cur && s.repeated(ctx, seen, &it) {
				continue
			}
			if it.state != "final" {
				if !s.pass(ctx, it) {
					stop = true
					break
				}
			} else {
				rows, idx = append(rows, it.values), append(idx, i)
			}
			if it.created > cur {
				cur, seen = it.created, seenSet{}
			}
			d := anyContent // passed without a row: skipped in any later version
			if it.state == "final" {
				d = it.digest()
			}
			if !slices.Contains(seen[it.id], d) {
				seen[it.id] = append(seen[it.id], d)
			}
		}
		if len(rows) > 0 {
			digest, err := s.client.Keep(ctx, resp)
			if err != nil {
				return sources.Result{}, err
			}
			if err := s.emitRows(rows, digest, emit); errors.Is(err, sources.ErrEnough) {
				stop = true // enough: stop after this page's record
			} else if err != nil {
				return sources.Result{}, err
			}
			prov.Inputs = append(prov.Inputs, digest)
			pg := sources.Page{URL: resp.FinalURL + " (" + resp.Request.Page + ")", Unit: "item", FirstRow: emitted, Items: idx}
			for i, k := range idx {
				for _, b := range items[k].bad {
					bad = append(bad, sources.BadValue{Row: emitted + i, Column: b.column, Raw: b.raw, Locator: pg.Locator(i), Problem: b.problem})
				}
			}
			pages = append(pages, pg)
			emitted += len(rows)
		}
		if stop || len(items) < s.cfg.PageSize {
			break
		}
		if last := items[len(items)-1].created; last > qCreated {
			qCreated, skip = last, 0
			continue
		}
		// The whole page shares one created second: page through it with skip.
		if skip += len(items); skip > MaxSkip {
			return sources.Result{}, s.client.InputError(resp, -1,
				"more than %d items share created=%d; the hub's skip cap (%d) does not allow reading them all", MaxSkip+s.cfg.PageSize, qCreated, MaxSkip)
		}
	}
	if err := ctx.Err(); err != nil {
		return sources.Result{}, fmt.Errorf("snapshot source %q: %w", s.id, err)
	}
	return sources.Result{Cursor: encodeCursor(cur, seen), Provenance: prov, Pages: pages, BadValues: bad}, nil
}

// pass decides about an item that is not final: it reports whether the
// cursor may move past it (it is never going to be final, or it has been
// pending longer than pending_timeout); otherwise the fetch stops before
// it.
func (s *Source) pass(ctx context.Context, it item) bool {
	age := s.now().Sub(time.Unix(it.created, 0))
	switch {
	case it.state != "pending" && it.state != "":
		s.log.WarnContext(ctx, "snapshot source: skipping an item whose state will not become final", "source", s.id,
			"table", s.cfg.Table, "id", it.id, "state", it.state, "created", it.created)
		return true
	case s.cfg.PendingTimeout > 0 && age > s.cfg.PendingTimeout:
		s.log.WarnContext(ctx, "snapshot source: skipping an item still pending after pending_timeout", "source", s.id,
			"table", s.cfg.Table, "id", it.id, "created", it.created, "age", age.Round(time.Second))
		return true
	}
	s.log.InfoContext(ctx, "snapshot source: waiting for an item to become final", "source", s.id,
		"table", s.cfg.Table, "id", it.id, "created", it.created)
	return false
}

// page runs one query and decodes its items.
func (s *Source) page(ctx context.Context, page int, created int64, skip int) (*httpfetch.Response, []item, error) {
	vars := map[string]any{"first": s.cfg.PageSize, "skip": skip}
	space := "all spaces"
	if s.cfg.Space != "" {
		vars["space"], space = s.cfg.Space, "space "+s.cfg.Space
	}
	if created > 0 {
		vars["created_gte"] = created
	}
	body, _ := json.Marshal(map[string]any{"operationName": s.table.op, "query": s.table.query(s.cfg.Space != ""), "variables": vars})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "application/json")
	if s.cfg.APIKey != "" {
		h.Set("X-Api-Key", s.cfg.APIKey)
	}
	req := &httpfetch.Request{
		Method: http.MethodPost, URL: s.cfg.URL, Header: h, Body: body, Check: s.checkErrors,
		Page: fmt.Sprintf("%s page %d, %s, created_gte=%d, skip=%d", s.table.field, page, space, created, skip),
	}
	resp, err := s.client.Do(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	items, err := s.decode(resp)
	return resp, items, err
}
