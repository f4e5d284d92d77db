package client_test

import (
	"crypto/sha256"
	"io"
	"net/http"
	"testing"
)

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

// mustGet fetches a URL of the honest server (the tamper double is off for
// paths it does not match).
func mustGet(t *testing.T, url string) []byte {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
