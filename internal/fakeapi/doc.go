// Package fakeapi holds local stand-ins, on 127.0.0.1, for the HTTP
// services groundtruth reads: the Snapshot hub's GraphQL API (Hub) and a
// CoinGecko-like price API (Prices). They answer like the real services —
// the same paths, argument caps, error bodies and answer shapes — so the
// sources are tested against what they will meet, and they misbehave on
// purpose when asked (Fault: 429 with Retry-After, 5xx, a hang until the
// client's timeout, a body cut off mid-transfer, a truncated or garbage
// body), chosen per request by an Injector.
//
// The hub parses the GraphQL queries it receives (operations with
// variables, aliases, nested selections), validates fields against the
// hub's schema, applies the hub's where filters, ordering (the order field,
// then id ascending) and caps (first ≤ 1000, skip ≤ 5000, with the hub's
// error body), checks API keys like its keycard middleware (401, quota
// headers X-Api-Key-Limit/Remaining/Reset, 429) and records every call so
// tests can assert the caps were respected. Its data are Items kept as raw
// JSON: recorded answers (LoadHubResponses) or generated ones (Generate).
//
// The price server serves series (Point) loaded from the real price files
// (LoadPriceCSV on ../shared/data/prices) as market_chart/range JSON or as
// plain CSV; a Transform hook rewrites served points, so validators and the
// demo can build "three feeds, one poisoned" on it.
//
// The package does not import testing; servers are started with Start (an
// httptest server) or mounted as http.Handlers.
package fakeapi
