package file

import (
	"io/fs"
	"syscall"
)

// stampOf returns the stamp of st.
func stampOf(st fs.FileInfo) (stamp, bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return stamp{}, false
	}
	return stamp{
		Size:  st.Size(),
		Mtime: st.ModTime().UnixNano(),
		Ctime: sys.Ctim.Nano(),
		Inode: sys.Ino,
		Dev:   uint64(sys.Dev), //nolint:unconvert // int32 on some ports
	}, true
}
