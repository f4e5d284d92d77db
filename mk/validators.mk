# validators.mk: the validators' labelled scenario suite and benchmark.
# Included by the main Makefile (include mk/*.mk); run from the repository root.
#
#   make scenarios        run the scenario suite and print precision and recall per family
#                         (also run by make test, after the Go tests; the whole output on failure)
#   make bench-validators the validator benchmark alone (rows/s, peak RSS)

.PHONY: scenarios bench-validators

scenarios:
	@out=$$($(GO) test -count=1 -timeout 30m -v ./validators/scenarios 2>&1); status=$$?; \
	if [ $$status -ne 0 ]; then echo "$$out"; exit $$status; fi; \
	echo "$$out" | awk '/ tp .* fp .* fn /{sub(/^ +/, ""); print; next} /family +scenarios/{table=1} table||/^(FAIL|ok|---)/{print}'

bench-validators:
	$(GO) test -run '^$$' -bench BenchmarkValidators -benchtime 1x ./bench/
