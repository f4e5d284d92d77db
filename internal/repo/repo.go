// Package repo locates the repository checkout the code runs from: the
// folder holding go.mod, found from the working directory upwards. Tests,
// the chain harness (node_modules) and the shared test data use it.
package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Root returns the folder holding go.mod above the working directory.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
