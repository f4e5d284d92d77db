// Package sourcetest is the conformance suite every sources.Source
// implementation runs in its tests:
//
//	func TestConformance(t *testing.T) {
//		sourcetest.Run(t, sourcetest.Harness{
//			New: func(t testing.TB) sourcetest.Instance {
//				origin := makeOrigin(t) // a file, a fake server, a test chain...
//				return sourcetest.Instance{Source: newSource(origin), Grow: origin.addRows}
//			},
//			Provenance: []string{"_source", "_line"},
//			Volatile:   []string{"_fetched_at"},
//		})
//	}
//
// The suite checks that every emitted record matches Schema exactly (names,
// types, nullability) and that the provenance columns are present and never
// null; that fetching again from the returned cursor yields no rows; that
// after the origin grows the next fetch returns exactly the new rows (no
// duplicate keys, no gaps: the rows read so far equal, in order, a full
// re-read from a nil cursor); that a fetch interrupted by an Emit error
// returns that error unchanged and that fetching again from the last
// committed cursor yields the same rows as an uninterrupted fetch; that a
// cancelled context makes Fetch return an error wrapping context.Canceled
// promptly; and that no goroutine is leaked (goroutines running when Run
// starts are ignored, so do not call Run from a parallel test while other
// tests of the package start goroutines).
package sourcetest
