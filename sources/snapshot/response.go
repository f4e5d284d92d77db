package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/sources/httpfetch"
)

// gqlError is one entry of a GraphQL answer's errors.
type gqlError struct {
	Message string `json:"message"`
}

// envelope is a GraphQL answer: data holds one field per query field.
type envelope struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []gqlError                 `json:"errors"`
}

// transientMessages are GraphQL errors of the hub that a retry may cure
// (its resolvers answer "request failed" when the database fails).
var transientMessages = []string{"request failed"}

// checkErrors makes an answer whose GraphQL errors are transient count as
// a failed attempt, so it is retried.
func (s *Source) checkErrors(resp *httpfetch.Response) error {
	if !bytes.Contains(resp.Body, []byte(`"errors"`)) {
		return nil
	}
	var env envelope
	if json.Unmarshal(resp.Body, &env) != nil {
		return nil // decode reports it
	}
	for _, e := range env.Errors {
		for _, m := range transientMessages {
			if strings.Contains(e.Message, m) {
				return fmt.Errorf("%w: the hub answered %q", sources.ErrTransient, e.Message)
			}
		}
	}
	return nil
}

// decode parses an answer into items; errors name the item (its index and
// id), the field and the byte offset in the body.
func (s *Source) decode(resp *httpfetch.Response) ([]item, error) {
	var env envelope
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return nil, s.client.JSONError(resp, err)
	}
	if len(env.Errors) > 0 {
		msgs := make([]string, len(env.Errors))
		for i, e := range env.Errors {
			msgs[i] = e.Message
		}
		return nil, s.client.InputError(resp, -1, "the hub answered with errors: %s", strings.Join(msgs, "; "))
	}
	raw, ok := env.Data[s.table.field]
	if !ok {
		return nil, s.client.InputError(resp, -1, "the answer has no data.%s", s.table.field)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || list == nil {
		return nil, s.client.InputError(resp, offsetOf(resp.Body, raw, 0), "data.%s is not a list", s.table.field)
	}
	items := make([]item, 0, len(list))
	for _, r := range list {
		it, err := s.table.decode(r)
		if err != nil {
			it = s.table.placeholder(r, it, err)
		}
		items = append(items, it)
	}
	return items, nil
}

// offsetOf returns the byte offset of raw (a value copied from body) in
// body plus within, or -1 when it cannot be found.
func offsetOf(body, raw []byte, within int64) int64 {
	i := bytes.Index(body, bytes.TrimSpace(raw))
	if i < 0 {
		return -1
	}
	return int64(i) + within
}
