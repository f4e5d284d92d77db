package gaming

import (
	"math/rand/v2"
	"testing"
)

// TestAddrTableMatchesMap interns random addresses, and addresses that
// differ in one byte only, and checks ids and lookups against a map.
func TestAddrTableMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tab, want := newAddrTable(), map[[20]byte]int32{}
	var all [][20]byte
	for i := 0; i < 50_000; i++ {
		var a [20]byte
		if i%2 == 0 {
			for j := range a {
				a[j] = byte(rng.Uint32())
			}
		} else {
			a[i%20] = byte(i / 20) // sparse keys: one byte set
		}
		if i%7 == 0 && len(all) > 0 {
			a = all[rng.IntN(len(all))] // a repeat
		}
		id, added := tab.Intern(a)
		wid, seen := want[a]
		if !seen {
			wid = int32(len(want))
			want[a] = wid
			all = append(all, a)
		}
		if id != wid || added == seen {
			t.Fatalf("intern %x: id %d added %v, want %d added %v", a, id, added, wid, !seen)
		}
	}
	if tab.Len() != len(want) {
		t.Fatalf("len %d, want %d", tab.Len(), len(want))
	}
	for a, wid := range want {
		if id, ok := tab.Get(a); !ok || id != wid {
			t.Fatalf("get %x: %d %v, want %d", a, id, ok, wid)
		}
	}
	if _, ok := tab.Get([20]byte{0xff, 0xfe, 0xfd}); ok {
		t.Fatal("found an address never interned")
	}
}
