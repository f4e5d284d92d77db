package serve

// ilist is a doubly linked list whose nodes live inside their owners, so
// that linking one allocates nothing: the connection limiter and a
// token's running requests link and unlink under locks that every request
// takes, where an allocation could make the holder assist the garbage
// collector while others wait.
type ilist[T any] struct{ head, tail *inode[T] }

// inode is a list node; owner is the value that embeds it.
type inode[T any] struct {
	prev, next *inode[T]
	list       *ilist[T] // nil while in no list
	owner      T
}

// pushBack appends n, which must be in no list.
func (l *ilist[T]) pushBack(n *inode[T]) {
	n.list, n.prev, n.next = l, l.tail, nil
	if l.tail != nil {
		l.tail.next = n
	} else {
		l.head = n
	}
	l.tail = n
}

// unlink takes n out of its list, if it is in one.
func (n *inode[T]) unlink() {
	l := n.list
	if l == nil {
		return
	}
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		l.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		l.tail = n.prev
	}
	n.list, n.prev, n.next = nil, nil, nil
}

// takeAll empties the list and returns the owners it held, first to last.
func (l *ilist[T]) takeAll() []T {
	var out []T
	for n := l.head; n != nil; {
		next := n.next
		out = append(out, n.owner)
		n.list, n.prev, n.next = nil, nil, nil
		n = next
	}
	l.head, l.tail = nil, nil
	return out
}
