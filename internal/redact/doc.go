// Package redact keeps secrets out of everything groundtruth prints or
// stores: error messages, log lines, the run history and HTTP responses.
//
// Two kinds of secrets are masked:
//
//   - values registered with a Redactor, above all the values the
//     configuration substituted for ${VAR} references, which are secrets by
//     default (they are shown as ${VAR});
//   - the secret parts of any URL, always: user information
//     (https://user:pass@host), well-known key parameters (apikey, api_key,
//     key, appid, token, access_token, x-api-key and every name holding key,
//     token, secret, password, auth, signature, credential or session) and
//     keys in a URL path (Infura's /v3/KEY, Alchemy's /v2/KEY, long
//     token-like segments).
//
// Escape makes text from elsewhere (an upstream error body, a cell of a
// query result) safe for a terminal or a log line: control characters are
// shown as escapes instead of being written raw.
package redact
