# console.mk: the steward web console's front end (web/console) and its
# committed, embedded bundle (serve/console/assets). Included by the main
# Makefile (include mk/*.mk); run from the repository root.
#
#   make console          rebuild the bundle with esbuild (npm devDependencies)
#   make console-check    fail when the committed bundle is stale
#   make chromium         install Debian's Chromium for the browser tests when missing

CONSOLE_SRC    := web/console
CONSOLE_ASSETS := serve/console/assets

.PHONY: console console-check console-node-modules chromium

console-node-modules:
	@test -f node_modules/esbuild/package.json -a -f node_modules/uplot/package.json || { echo "node_modules is missing: run npm ci" >&2; exit 1; }

console: console-node-modules
	node $(CONSOLE_SRC)/build.mjs $(CONSOLE_ASSETS)

console-check: console-node-modules
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	node $(CONSOLE_SRC)/build.mjs "$$tmp" && \
	if diff -r "$(CONSOLE_ASSETS)" "$$tmp" >/dev/null; then \
		echo "console: the committed bundle is up to date"; \
	else \
		diff -r -q "$(CONSOLE_ASSETS)" "$$tmp" >&2; \
		echo "the console bundle is stale: run make console" >&2; \
		exit 1; \
	fi

# The browser tests drive Debian's Chromium with playwright-core (never a
# browser download). Installed when missing, as root (CI and the dev machines).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the console's browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
