# groundtruth — build, test, benchmark.
#
#   make test    install what the tests need (Go modules, npm ci) and run every test
#   make bench   run the benchmarks and print their figures
#   make build   build bin/groundtruth
#
# DuckDB's Arrow interface needs the build tag duckdb_arrow; every target sets it.

GO      ?= go
TAGS    := duckdb_arrow
GOFLAGS := -tags=$(TAGS) -buildvcs=false
export GOFLAGS

.PHONY: all build test deps npm gomod vet gotest bench clean
all: build

include $(wildcard mk/*.mk)

deps: npm gomod

npm: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

gomod:
	$(GO) mod download

build:
	$(GO) build -o bin/groundtruth ./cmd/groundtruth

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed" >&2; exit 1; }

gotest:
	$(GO) test -count=1 -timeout 40m ./...
	@# The catalog loader without DuckDB's Arrow interface (plain go build) must work too.
	GOFLAGS=-buildvcs=false $(GO) test -count=1 -run 'TestSeal|TestNonAppend' ./datasets/store

test: deps vet contracts-check vectors-check gotest scenarios

bench: deps build
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m ./bench/...

clean:
	rm -rf bin

# make demo: the whole product on an embedded chain (go-ethereum's simulated
# backend), with no npm, no anvil and no network: scripted governance with
# attacks, a poisoned price feed, run --once, 2-of-3 attestation, the data API.
# DEMOFLAGS=--no-serve stops after the summary; --keep keeps the data directory.
.PHONY: demo
demo: build
	bin/groundtruth demo $(DEMOFLAGS)
