package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/groundtruth-dao/groundtruth/serve/api"
	"github.com/groundtruth-dao/groundtruth/serve/client"
)

// TestData downloads selections with Data: an honest body ends in io.EOF;
// a body with a changed byte, without the completion trailers, or with
// another row count ends in ErrIncomplete.
func TestData(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	read := func(o client.DataOptions) ([]byte, error) {
		body, _, err := e.client(t).Data(ctx, "votes", 1, o)
		if err != nil {
			return nil, err
		}
		defer body.Close()
		return io.ReadAll(body)
	}
	tests := []struct {
		name string
		edit func(path string, h http.Header, body []byte) []byte
		ok   bool
	}{
		{"honest", nil, true},
		{"one byte changed", func(p string, _ http.Header, b []byte) []byte {
			if strings.Contains(p, "/data?") {
				b = bytes.Replace(b, []byte("0x"), []byte("0X"), 1)
			}
			return b
		}, false},
		{"trailers dropped", func(p string, h http.Header, b []byte) []byte {
			h.Del("Trailer")
			h.Del(api.TrailerRows)
			h.Del(api.TrailerSHA256)
			return b
		}, false},
		{"rows claimed differ", func(p string, h http.Header, b []byte) []byte {
			if strings.Contains(p, "/data?") {
				h.Set(api.TrailerRows, "99")
			}
			return b
		}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.tamper.set(tc.edit)
			defer e.tamper.set(nil)
			for _, o := range []client.DataOptions{{Format: "jsonl", First: 10, Last: 109}, {Format: "csv", Columns: []string{"_row", "voter"}}} {
				b, err := read(o)
				switch {
				case tc.ok && err != nil:
					t.Fatalf("%+v: %v", o, err)
				case tc.ok && o.Format == "jsonl" && bytes.Count(b, []byte("\n")) != 100:
					t.Fatalf("%+v: %d lines", o, bytes.Count(b, []byte("\n")))
				case !tc.ok && !errors.Is(err, client.ErrIncomplete):
					t.Fatalf("%+v: want ErrIncomplete, got %v", o, err)
				}
			}
		})
	}
}
