# groundtruth — build, test, benchmark.
#
#   make test    install what the tests need (Go modules, npm ci), run make lint and every test
#   make lint    static checks: staticcheck, go vet, gofmt and go mod tidy -diff
#   make bench   run the benchmarks and print their figures
#   make build   build bin/groundtruth
#
# DuckDB's Arrow interface needs the build tag duckdb_arrow; every target sets it.

GO      ?= go
TAGS    := duckdb_arrow
GOFLAGS := -tags=$(TAGS) -buildvcs=false
export GOFLAGS

.PHONY: all build test deps npm gomod vet lint gotest bench clean
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

# lint: go vet and gofmt (vet), staticcheck (pinned in go.mod as a tool; a
# suppressed finding carries its reason in place: //lint:ignore or a
# staticcheck.conf), and go.mod/go.sum exactly as go mod tidy leaves them.
lint: vet
	$(GO) tool staticcheck -tags $(TAGS) ./...
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy" >&2; exit 1; }

gotest:
	$(GO) test -count=1 -timeout 40m ./...
	@# The catalog loader without DuckDB's Arrow interface (plain go build) must work too.
	GOFLAGS=-buildvcs=false $(GO) test -count=1 -run 'TestSeal|TestNonAppend' ./datasets/store

test: deps chromium lint contracts-check vectors-check console-check gotest scenarios

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
