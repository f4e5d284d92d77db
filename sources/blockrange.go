package sources

// BlockRange bounds a chain source to a range of blocks, for backfills.
type BlockRange struct {
	// Start replaces the configured first block when the source starts from
	// an empty cursor; nil keeps the configured one.
	Start *uint64
	// End is the last block read (inclusive); the source stops there even
	// if the chain's safe head is further.
	End uint64
	// Step bounds the blocks read by one Fetch (0: the configured bound), so
	// a long range is sealed as a series of versions.
	Step uint64
}

// BlockRanger is implemented by sources that read a chain block by block
// (the log sources of sources/chainrpc: evm_logs, governor, erc20).
// `groundtruth backfill` uses it to run a job over a bounded block range.
type BlockRanger interface {
	// WithBlockRange returns a copy of the source bounded to r; the copy
	// reads and writes the same cursors as the source.
	WithBlockRange(r BlockRange) (Source, error)
	// NextBlock returns the first block a Fetch from cursor would read.
	NextBlock(cursor Cursor) (uint64, error)
}
