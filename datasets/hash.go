package datasets

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Hash is a SHA-256 digest: a leaf, a node, a root, a file or manifest hash.
// It marshals as 0x-prefixed lowercase hex.
type Hash [32]byte

// String returns the 0x-prefixed lowercase hex form.
func (h Hash) String() string {
	var b [66]byte
	return string(h.appendHex(b[:0]))
}

// Hex returns the hex form without prefix, as used in file names.
func (h Hash) Hex() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is all zeros.
func (h Hash) IsZero() bool { return h == Hash{} }

// MarshalText implements encoding.TextMarshaler (one allocation: a
// served row's proof marshals some twenty hashes).
func (h Hash) MarshalText() ([]byte, error) { return h.appendHex(make([]byte, 0, 66)), nil }

// AppendText implements encoding.TextAppender.
func (h Hash) AppendText(b []byte) ([]byte, error) { return h.appendHex(b), nil }

func (h Hash) appendHex(b []byte) []byte { return hex.AppendEncode(append(b, '0', 'x'), h[:]) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// ParseHash parses 64 hex digits, with or without a 0x prefix.
func ParseHash(s string) (Hash, error) {
	var h Hash
	t := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(t) != 64 {
		return h, fmt.Errorf("%w: hash %q: want 64 hex digits, got %d", ErrValue, s, len(t))
	}
	if _, err := hex.Decode(h[:], []byte(t)); err != nil {
		return h, fmt.Errorf("%w: hash %q: %v", ErrValue, s, err)
	}
	return h, nil
}
