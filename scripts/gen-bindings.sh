#!/usr/bin/env bash
# gen-bindings.sh generates the Go bindings (abigen v2) of the contracts whose ABI, and
# optionally creation bytecode, scripts/compile-contracts.mjs wrote. abigen v2 names
# multi-value results without the contract name (Eip712DomainOutput), so each contract
# gets its own package, named after the contract in lower case
# (DatasetRegistry.abi -> bindings/datasetregistry/dataset_registry.go); SchemaRegistry
# joins EAS in package eas. Files abigen generated earlier are removed first;
# hand-written files (doc.go, and staticcheck.conf beside the packages) stay.
#
# Usage: scripts/gen-bindings.sh [build-folder] [bindings-folder]
set -euo pipefail

build=${1:-attest/contracts/build}
out=${2:-attest/contracts/bindings}
mkdir -p "$out"

for f in "$out"/*/*.go; do
	if [ -f "$f" ] && head -n 1 "$f" | grep -q '^// Code generated via abigen'; then
		rm -f "$f"
	fi
done

for abi in "$build"/*.abi; do
	name=$(basename "$abi" .abi)
	file=$(printf '%s' "$name" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]').go
	case "$name" in
	SchemaRegistry) pkg=eas ;;
	*) pkg=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]') ;;
	esac
	mkdir -p "$out/$pkg"
	args=(--v2 --abi "$abi" --pkg "$pkg" --type "$name" --out "$out/$pkg/$file")
	if [ -f "$build/$name.bin" ]; then
		args+=(--bin "$build/$name.bin")
	fi
	go tool abigen "${args[@]}"
done
