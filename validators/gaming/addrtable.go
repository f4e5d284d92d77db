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
	slots []uint64 // the hash's high 32 bits << 32 | id + 1; 0 is empty
	keys  [][20]byte
	mask  uint64
	seed  uint64
}

func newAddrTable() *addrTable {
	return &addrTable{slots: make([]uint64, 1<<10), mask: 1<<10 - 1, seed: maphash.Comparable(maphash.MakeSeed(), 0)}
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

// sameAddr compares two addresses word by word (no memequal call).
func sameAddr(a, b *[20]byte) bool {
	return binary.LittleEndian.Uint64(a[0:8]) == binary.LittleEndian.Uint64(b[0:8]) &&
		binary.LittleEndian.Uint64(a[8:16]) == binary.LittleEndian.Uint64(b[8:16]) &&
		binary.LittleEndian.Uint32(a[16:20]) == binary.LittleEndian.Uint32(b[16:20])
}

// find returns the slot of a, or of the empty slot where it would go, and
// the slot word for it.
func (t *addrTable) find(a *[20]byte) (uint64, uint64) {
	h := t.hash(a)
	tag := h >> 32 << 32
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 || s&^0xffffffff == tag && sameAddr(&t.keys[uint32(s)-1], a) {
			return i, tag
		}
	}
}

// Get returns the id of a, if interned.
func (t *addrTable) Get(a [20]byte) (int32, bool) {
	i, _ := t.find(&a)
	s := t.slots[i]
	return int32(uint32(s)) - 1, s != 0
}

// Intern returns the id of a, adding it (with the next id) when new;
// added says whether it was new.
func (t *addrTable) Intern(a [20]byte) (id int32, added bool) {
	i, tag := t.find(&a)
	if s := t.slots[i]; s != 0 {
		return int32(uint32(s)) - 1, false
	}
	id = int32(len(t.keys))
	t.keys = append(t.keys, a)
	t.slots[i] = tag | uint64(id+1)
	if uint64(len(t.keys))*4 > (t.mask+1)*3 {
		t.grow()
	}
	return id, true
}

// grow doubles the table (load factor at most 3/4).
func (t *addrTable) grow() {
	n := (t.mask + 1) * 2
	t.slots, t.mask = make([]uint64, n), n-1
	for id := range t.keys {
		h := t.hash(&t.keys[id])
		i := h & t.mask
		for t.slots[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = h>>32<<32 | uint64(id+1)
	}
}
