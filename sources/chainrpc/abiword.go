package chainrpc

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// ABI word helpers for decoding event data by hand (fast, and strict about
// padding). A word is 32 bytes, big-endian.

// Word returns the i-th 32-byte word of data.
func Word(data []byte, i int) ([]byte, error) {
	if i < 0 || len(data) < 32*(i+1) {
		return nil, fmt.Errorf("data has %d bytes, word %d needs %d", len(data), i, 32*(i+1))
	}
	return data[32*i : 32*(i+1)], nil
}

func zero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// WordAddress returns the address in a word, checking the padding.
func WordAddress(w []byte) ([]byte, error) {
	if !zero(w[:12]) {
		return nil, fmt.Errorf("address word %x has non-zero padding", w)
	}
	return w[12:], nil
}

// WordBool returns the bool in a word.
func WordBool(w []byte) (bool, error) {
	if !zero(w[:31]) || w[31] > 1 {
		return false, fmt.Errorf("bool word %x is neither 0 nor 1", w)
	}
	return w[31] == 1, nil
}

// WordUint returns an unsigned integer of bits ≤ 64 from a word.
func WordUint(w []byte, bits int) (uint64, error) {
	v := binary.BigEndian.Uint64(w[24:])
	if !zero(w[:24]) || (bits < 64 && v>>bits != 0) {
		return 0, fmt.Errorf("uint%d word %x is out of range", bits, w)
	}
	return v, nil
}

// WordInt returns a signed integer of bits ≤ 64 from a word, checking the
// sign extension.
func WordInt(w []byte, bits int) (int64, error) {
	v := int64(binary.BigEndian.Uint64(w[24:]))
	ext := byte(0)
	if v < 0 {
		ext = 0xff
	}
	for _, c := range w[:24] {
		if c != ext {
			return 0, fmt.Errorf("int%d word %x is out of range", bits, w)
		}
	}
	if bits < 64 && (v < -(1<<(bits-1)) || v > 1<<(bits-1)-1) {
		return 0, fmt.Errorf("int%d word %x is out of range", bits, w)
	}
	return v, nil
}

// WordUintBig checks that a word holds an unsigned integer of bits ≤ 256
// and returns it (the 32 bytes, big-endian).
func WordUintBig(w []byte, bits int) ([]byte, error) {
	if bits < 256 && !zero(w[:32-bits/8]) {
		return nil, fmt.Errorf("uint%d word %x is out of range", bits, w)
	}
	return w, nil
}

// WordIntBig checks that a word holds a signed integer of bits ≤ 256 (two's
// complement) and returns it.
func WordIntBig(w []byte, bits int) ([]byte, error) {
	if bits < 256 {
		n := 32 - bits/8
		ext := byte(0)
		if w[n]&0x80 != 0 {
			ext = 0xff
		}
		for _, c := range w[:n] {
			if c != ext {
				return nil, fmt.Errorf("int%d word %x is out of range", bits, w)
			}
		}
	}
	return w, nil
}

// WordFixedBytes returns the first n bytes of a bytesN word, checking that
// the rest is zero.
func WordFixedBytes(w []byte, n int) ([]byte, error) {
	if !zero(w[n:]) {
		return nil, fmt.Errorf("bytes%d word %x has non-zero padding", n, w)
	}
	return w[:n], nil
}

// Dynamic returns the bytes of a dynamic value (bytes, string) whose head
// word is head: an offset into data, then a length word, then the bytes.
func Dynamic(data, head []byte) ([]byte, error) {
	off, err := WordUint(head, 64)
	if err != nil || off > math.MaxInt32 || off%32 != 0 || int(off)+32 > len(data) {
		return nil, fmt.Errorf("dynamic value offset %x is outside the data (%d bytes)", head, len(data))
	}
	n, err := WordUint(data[off:off+32], 64)
	start := int(off) + 32
	if err != nil || n > uint64(len(data)-start) {
		return nil, fmt.Errorf("dynamic value at %d claims %x bytes, the data has %d after it", off, data[off:off+32], len(data)-start)
	}
	return data[start : start+int(n)], nil
}

// ValidString returns s as text, replacing invalid UTF-8 with U+FFFD (the
// store's text columns need valid UTF-8; the exact bytes stay in the raw
// response, whose digest is in the row).
func ValidString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
