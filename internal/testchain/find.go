package testchain

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/groundtruth-dao/groundtruth/internal/repo"
)

// AnvilEnv names the environment variable that points to an anvil binary; when it is
// empty, FindAnvil looks in the repository's node_modules.
const AnvilEnv = "GROUNDTRUTH_ANVIL"

// InstallHint tells how to get the npm test tools (anvil, solc, the contract packages).
const InstallHint = "run `npm ci` in the repository root (it installs anvil from " +
	"@foundry-rs/anvil-linux-amd64 into node_modules/.bin), or set " + AnvilEnv +
	" to an anvil binary"

// RepoRoot returns the repository root: the nearest folder, from the working directory
// upwards, that holds a go.mod.
func RepoRoot() (string, error) { return repo.Root() }

// FindAnvil returns the anvil binary: $GROUNDTRUTH_ANVIL when set, otherwise
// <repository root>/node_modules/.bin/anvil. The error says how to install it.
func FindAnvil() (string, error) {
	if p := os.Getenv(AnvilEnv); p != "" {
		return checkExecutable(p)
	}
	root, err := RepoRoot()
	if err != nil {
		return "", fmt.Errorf("anvil not found: %w; %s", err, InstallHint)
	}
	return checkExecutable(filepath.Join(root, "node_modules", ".bin", "anvil"))
}

// NodeModules returns <repository root>/node_modules, or an error saying how to install
// it when it is missing.
func NodeModules() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", fmt.Errorf("node_modules not found: %w; %s", err, InstallHint)
	}
	dir := filepath.Join(root, "node_modules")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%s is missing; %s", dir, InstallHint)
	}
	return dir, nil
}

// checkExecutable returns path when it is an executable file.
func checkExecutable(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("anvil not found at %s: %w; %s", path, err, InstallHint)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("anvil at %s is not an executable file; %s", path, InstallHint)
	}
	return path, nil
}
