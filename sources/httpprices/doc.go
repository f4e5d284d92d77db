// Package httpprices implements the "http_prices" source kind: a price
// series read from any JSON or CSV HTTP API through a field mapping, with
// presets for CoinGecko's market_chart/range answer and for plain
// `ms_timestamp,price` CSV.
//
// Requests page through time windows: each one asks for [from, to] (query
// parameters with configurable names, in seconds or milliseconds, both
// bounds inclusive) and the next window starts at the previous one's end;
// points already emitted (at or before the cursor's last timestamp) are
// dropped, so the shared bound is not read twice. A fetch stops at the
// configured end or at now minus lag, or after max_pages requests.
//
// Every record holds source (the source id), ts, price, volume (null when
// the API gives none) and _raw_sha256, the SHA-256 of the response body the
// row came from; that body is kept in the raw store. Several http_prices
// sources of one asset form the multi-source input of the cross-source
// validator.
//
// The cursor is {"next": end of the last window read, "last": newest
// emitted timestamp}, both Unix microseconds. A body that does not decode
// is an error wrapping sources.ErrBadInput that names the source, the
// request (method, URL with secrets masked, page and window) and the byte
// offset; HTTP failures are retried as package httpfetch describes.
package httpprices
