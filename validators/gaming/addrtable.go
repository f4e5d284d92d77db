package gaming

import (
	"encoding/binary"
	"hash/maphash"
)

// addrTable interns addresses as dense ids: an open-addressing hash table
// specialised for 20-byte keys, several times faster than a Go map of
// [20]byte on the million-event ERC-20 histories the gaming checks index.
// The hash mixes every byte with a random per-table seed, so chosen
// addresses cannot force long probe runs.
type addrTable struct {
	slots []int32 // id + 1; 0 is empty
	keys  [][20]byte
	mask  uint64
	seed  uint64
}

func newAddrTable() *addrTable {
	return &addrTable{slots: make([]int32, 1<<10), mask: 1<<10 - 1, seed: maphash.Comparable(maphash.MakeSeed(), 0)}
}

// Len returns the number of interned addresses.
func (t *addrTable) Len() int { return len(t.keys) }

func (t *addrTable) hash(a *[20]byte) uint64 {
	x := binary.LittleEndian.Uint64(a[0:8]) ^ t.seed
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x ^= binary.LittleEndian.Uint64(a[8:16])
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= uint64(binary.LittleEndian.Uint32(a[16:20]))
	x = (x ^ x>>31) * 0xbf58476d1ce4e5b9
	return x ^ x>>29
}

// Get returns the id of a, if interned.
func (t *addrTable) Get(a [20]byte) (int32, bool) {
	for i := t.hash(&a) & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if t.keys[s-1] == a {
			return s - 1, true
		}
	}
}

// Intern returns the id of a, adding it (with the next id) when new;
// added says whether it was new.
func (t *addrTable) Intern(a [20]byte) (id int32, added bool) {
	i := t.hash(&a) & t.mask
	for ; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if t.keys[s-1] == a {
			return s - 1, false
		}
	}
	id = int32(len(t.keys))
	t.keys = append(t.keys, a)
	t.slots[i] = id + 1
	if uint64(len(t.keys))*4 > (t.mask+1)*3 {
		t.grow()
	}
	return id, true
}

// grow doubles the table (load factor at most 3/4).
func (t *addrTable) grow() {
	n := (t.mask + 1) * 2
	t.slots, t.mask = make([]int32, n), n-1
	for id := range t.keys {
		i := t.hash(&t.keys[id]) & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = int32(id) + 1
	}
}
