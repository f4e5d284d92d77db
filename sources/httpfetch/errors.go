package httpfetch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// Error is a failed request or an undecodable response. Its message names
// the source, the request and, for bodies, the byte offset; secrets are
// masked. It wraps Kind (a sources sentinel, or nil when the caller's
// context ended) and Err.
type Error struct {
	// Kind is sources.ErrTransient, sources.ErrBadInput or
	// sources.ErrConfig; nil when the caller's context ended.
	Kind error
	// Source is the source id.
	Source string
	// Method, URL (secrets masked) and Page describe the request.
	Method, URL, Page string
	// Status is the HTTP status of the last answer (0 when none came).
	Status int
	// Attempts is how many attempts were made.
	Attempts int
	// Offset is the byte offset in the body where decoding failed, or -1.
	Offset int64
	// Msg says what went wrong.
	Msg string
	// Err is the underlying error, if any.
	Err error

	red *Redactor
}

// Error returns the message with secrets masked.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Kind != nil {
		b.WriteString(e.Kind.Error())
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "source %q: %s %s", e.Source, e.Method, e.URL)
	if e.Page != "" {
		fmt.Fprintf(&b, " (%s)", e.Page)
	}
	b.WriteString(": ")
	b.WriteString(redact.Escape(e.Msg)) // it may quote upstream text (ids, GraphQL errors)
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at byte offset %d", e.Offset)
	}
	if (e.Status < 200 || e.Status > 299) && e.Status != 0 && !strings.Contains(e.Msg, "HTTP ") {
		fmt.Fprintf(&b, " (last answer HTTP %d)", e.Status)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(redact.Escape(e.Err.Error()))
	}
	return e.red.String(b.String())
}

// Unwrap returns Kind and Err.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Kind != nil {
		out = append(out, e.Kind)
	}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// newError builds an error about req.
func (c *Client) newError(req *Request, kind error, format string, args ...any) *Error {
	return &Error{
		Kind: kind, Source: c.source, Method: req.method(), URL: c.red.URL(req.URL), Page: req.Page,
		Offset: -1, Msg: fmt.Sprintf(format, args...), red: c.red,
	}
}

// InputError returns an error wrapping sources.ErrBadInput about resp's
// body: the message, and the byte offset when offset >= 0.
func (c *Client) InputError(resp *Response, offset int64, format string, args ...any) error {
	e := c.newError(resp.Request, sources.ErrBadInput, format, args...)
	e.Status, e.Offset = resp.Status, offset
	return e
}

// JSONError returns an error wrapping sources.ErrBadInput for a JSON
// decoding failure of resp's body, with the byte offset the decoder
// reported (the end of the body for a truncated document).
func (c *Client) JSONError(resp *Response, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	offset := int64(-1)
	msg := "the body is not valid JSON"
	switch {
	case errors.As(err, &se):
		offset = se.Offset
		if offset >= int64(len(resp.Body)) {
			msg = "the body ends in the middle of a JSON document"
		}
	case errors.As(err, &te):
		offset, msg = te.Offset, "the body does not have the expected shape"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		offset, msg = int64(len(resp.Body)), "the body ends in the middle of a JSON document"
	}
	e := c.newError(resp.Request, sources.ErrBadInput, "%s", msg)
	e.Status, e.Offset, e.Err = resp.Status, offset, err
	return e
}

// maskURLError rebuilds a *url.Error (whose message holds the request URL)
// with the masked URL, keeping the wrapped cause for errors.Is.
func (c *Client) maskURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: c.red.URL(ue.URL), Err: ue.Err}
	}
	return err
}

// excerpt returns the start of body for messages, with secrets masked and
// control characters escaped (an upstream body with ESC or a newline must
// not recolour a terminal or forge a log line).
func (c *Client) excerpt(body []byte) string {
	const max = 200
	s := string(body)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return redact.Escape(c.red.String(strings.TrimSpace(s)))
}
