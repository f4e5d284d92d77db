# Test vectors of the verifiable dataset format (docs/SPEC.md).
#
# vectors-check runs the independent Node.js implementation
# (scripts/check-vectors.mjs, ethers v6 from node_modules; run `npm ci` first)
# against testdata/vectors/canonical.json. The Go side is checked by
# `go test ./datasets -run TestVectors`; vectors-update regenerates the file
# from the Go implementation.

NODE ?= node
GO   ?= go

.PHONY: vectors-check vectors-update

vectors-check:
	$(NODE) scripts/check-vectors.mjs

vectors-update:
	$(GO) test ./datasets -run TestVectors -update
