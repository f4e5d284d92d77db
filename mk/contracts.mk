# contracts.mk: the Solidity contracts in attest/contracts and their Go bindings.
# Included by the main Makefile (include mk/*.mk); run from the repository root.
#
#   make contracts        compile with solcjs (npm) and regenerate the Go bindings (abigen)
#   make contracts-check  fail when the committed build output or bindings are stale

CONTRACTS_SRC      := attest/contracts
CONTRACTS_BUILD    := $(CONTRACTS_SRC)/build
CONTRACTS_BINDINGS := $(CONTRACTS_SRC)/bindings

.PHONY: contracts contracts-check contracts-node-modules

contracts-node-modules:
	@test -f node_modules/solc/package.json || { echo "node_modules is missing: run npm ci" >&2; exit 1; }

contracts: contracts-node-modules
	node scripts/compile-contracts.mjs $(CONTRACTS_BUILD)
	scripts/gen-bindings.sh $(CONTRACTS_BUILD) $(CONTRACTS_BINDINGS)

contracts-check: contracts-node-modules
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	node scripts/compile-contracts.mjs "$$tmp/build" >/dev/null && \
	scripts/gen-bindings.sh "$$tmp/build" "$$tmp/bindings" && \
	if diff -r "$(CONTRACTS_BUILD)" "$$tmp/build" >/dev/null && \
	   diff -r -x doc.go -x staticcheck.conf "$(CONTRACTS_BINDINGS)" "$$tmp/bindings" >/dev/null; then \
		echo "contracts: build output and bindings are up to date"; \
	else \
		diff -r -q "$(CONTRACTS_BUILD)" "$$tmp/build" >&2; \
		diff -r -q -x doc.go -x staticcheck.conf "$(CONTRACTS_BINDINGS)" "$$tmp/bindings" >&2; \
		echo "bindings are stale: run make contracts" >&2; \
		exit 1; \
	fi
