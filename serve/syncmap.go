package serve

import "sync"

// loadOrAdd returns m's value for key, storing a new zero *V first when
// there is none. A key already present costs a lookup and no allocation
// (a value passed to LoadOrStore is allocated on every call), which
// matters on the row path.
func loadOrAdd[V any](m *sync.Map, key any) *V {
	if v, ok := m.Load(key); ok {
		return v.(*V)
	}
	v, _ := m.LoadOrStore(key, new(V))
	return v.(*V)
}
