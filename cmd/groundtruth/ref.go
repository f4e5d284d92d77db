package main

import (
	"fmt"
	"strconv"
	"strings"
)

// parseRef parses DATASET or DATASET@N (N = 0 means latest) .
func parseRef(s string) (string, uint64, error) {
	name, ver, found := strings.Cut(s, "@")
	if name == "" {
		return "", 0, fmt.Errorf("%w: %q: want DATASET or DATASET@VERSION", errUsage, s)
	}
	if !found || ver == "latest" {
		return name, 0, nil
	}
	n, err := strconv.ParseUint(ver, 10, 64)
	if err != nil || n == 0 {
		return "", 0, fmt.Errorf("%w: %q: the version must be a positive integer or latest", errUsage, s)
	}
	return name, n, nil
}
