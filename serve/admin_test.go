package serve

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequireAdmin(t *testing.T) {
	tok := func(name string, admin bool, sets ...string) Token {
		return Token{Name: name, SHA256: HashToken("text-" + name), Scope: Scope{Datasets: sets, Admin: admin}}
	}
	auth := NewTokenAuth([]Token{tok("ops", true, "*"), tok("votes-ops", true, "votes", "prices"), tok("agent", false, "*")})
	srv := httptest.NewServer(auth.RequireAdmin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(PrincipalFrom(r.Context()).Datasets())
	})))
	defer srv.Close()
	tests := []struct {
		name, header string
		status       int
		body         string
	}{
		{"no token", "", http.StatusUnauthorized, ""},
		{"not bearer", "Basic abc", http.StatusUnauthorized, ""},
		{"unknown token", "Bearer nope", http.StatusUnauthorized, ""},
		{"no admin scope", "Bearer text-agent", http.StatusForbidden, ""},
		{"admin, every dataset", "Bearer text-ops", http.StatusOK, "null\n"},
		{"admin, two datasets", "Bearer text-votes-ops", http.StatusOK, "[\"prices\",\"votes\"]\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || (tc.body != "" && string(b) != tc.body) {
				t.Fatalf("%d %s, want %d %s", resp.StatusCode, b, tc.status, tc.body)
			}
			if tc.status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
				t.Fatal("401 without WWW-Authenticate")
			}
		})
	}
}
