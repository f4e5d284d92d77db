# Verifying clients in other languages (clients/). Their tests run in `go test
# ./serve/clientinterop` against the real server and anvil: clients/python
# needs only python3; clients/ts needs its own node_modules, installed here
# from its own lock file (make deps, and so make test, runs this).
.PHONY: clients-ts clients-ts-test
deps: clients-ts

clients-ts: clients/ts/node_modules/.installed
clients/ts/node_modules/.installed: clients/ts/package.json clients/ts/package-lock.json
	cd clients/ts && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clients-ts-test: clients-ts npm
	$(GO) test -count=1 -run 'TestTypeScript|TestPython' ./serve/clientinterop
