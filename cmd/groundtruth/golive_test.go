package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/groundtruth-dao/groundtruth/internal/shareddata"
	"github.com/groundtruth-dao/groundtruth/internal/testchain"
)

// TestGoingLiveGuide runs every command of docs/going-live.md's sh blocks,
// in order, on anvil: groundtruth commands in-process, VAR=$(cast …) lines
// with Foundry's cast. $SAFE is a 2-of-3 Safe of $CAROL, $ERIN and $FRANK,
// created from the npm Safe 1.4.1 contracts when the guide first uses it. The shell variables are the test chain's; the
// addresses of new keys and of the deployed registry are read from the
// commands' output. A trailing "# exit N" is the expected exit code.
// `keys new` gets --lightkdf so that four scrypt keys stay cheap.
func TestGoingLiveGuide(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(shareddata.RepoRoot(t), "docs", "going-live.md"))
	if err != nil {
		t.Fatal(err)
	}
	e := newAttestEnv(t)
	e.seal(t, "votes", 0, 100)
	e.seal(t, "votes", 100, 50)        // votes@2, for the Safe section
	nm, err := testchain.NodeModules() // found from the checkout, before leaving it
	if err != nil {
		testchain.MissingTool(t, err.Error())
	}
	t.Chdir(e.dir)
	for _, name := range []string{"bob", "carol", "erin", "frank"} {
		writeFile(t, name+".pass", testPassword+"\n")
	}
	vars := map[string]string{"RPC": e.Chain.RPCURL(), "CHAIN_ID": strconv.FormatUint(e.ChainID, 10), "EAS": e.EAS.EAS.Hex()}
	addr := regexp.MustCompile(`0x[0-9a-fA-F]{40}`)
	assign := regexp.MustCompile(`^([A-Z_]+)=\$\(cast `)
	ran := 0
	for _, line := range shBlocks(string(doc)) {
		if strings.Contains(line, "$SAFE") && vars["SAFE"] == "" {
			vars["SAFE"] = deployGuideSafe(t, e, nm, vars)
		}
		cmdline, want := line, 0
		if i := strings.Index(line, "# exit "); i >= 0 {
			w, err := strconv.Atoi(strings.TrimRight(strings.Fields(line[i+len("# exit "):])[0], ":,."))
			if err != nil {
				t.Fatalf("docs/going-live.md: %q: the exit code after # exit is not a number", line)
			}
			want = w
			cmdline = line[:i]
		}
		args := splitArgs(os.Expand(strings.TrimSpace(cmdline), func(k string) string {
			if v, ok := vars[k]; ok {
				return v
			}
			t.Fatalf("docs/going-live.md uses $%s, which the test does not set: %s", k, line)
			return ""
		}))
		ran++
		switch {
		case len(args) > 0 && args[0] == "groundtruth":
			args = args[1:]
			if len(args) > 1 && args[0] == "keys" && args[1] == "new" {
				args = append(args, "--lightkdf")
			}
			out := e.must(t, want, args...)
			if len(args) > 1 && args[0] == "keys" && args[1] == "new" {
				vars[strings.ToUpper(args[len(args)-2])] = addr.FindString(out)
			}
			if len(args) > 1 && args[0] == "registry" && args[1] == "deploy" {
				vars["REGISTRY"] = regexp.MustCompile(`deployed at (0x[0-9a-fA-F]{40})`).FindStringSubmatch(out)[1]
			}
		case assign.MatchString(cmdline) && len(args) > 0:
			name := assign.FindStringSubmatch(cmdline)[1]
			args[len(args)-1] = strings.TrimSuffix(args[len(args)-1], ")")
			out, err := exec.Command(filepath.Join(nm, ".bin", "cast"), args[1:]...).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", line, err, out)
			}
			vars[name] = strings.TrimSpace(string(out))
		default:
			t.Fatalf("docs/going-live.md: the test cannot run %q", line)
		}
	}
	if ran < 20 {
		t.Fatalf("only %d commands found in docs/going-live.md", ran)
	}
}

// shBlocks returns the command lines of a Markdown file's ```sh blocks.
func shBlocks(md string) []string {
	var out []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(md))
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "```sh"):
			in = true
		case strings.HasPrefix(l, "```"):
			in = false
		case in && strings.TrimSpace(l) != "" && !strings.HasPrefix(strings.TrimSpace(l), "#"):
			out = append(out, l)
		}
	}
	return out
}

// splitArgs splits a command line at spaces, keeping "double-quoted" words.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, has := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, has = !quoted, true
		case r == ' ' && !quoted:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}

// deployGuideSafe deploys the Safe contracts and a 2-of-3 Safe owned by the
// guide's Carol, Erin and Frank, and returns its address.
func deployGuideSafe(t *testing.T, e *attestEnv, nm string, vars map[string]string) string {
	t.Helper()
	ctx := context.Background()
	d, err := testchain.DeploySafeFrom(ctx, e.Chain, nm)
	if err != nil {
		t.Fatal(err)
	}
	var owners []common.Address
	for _, k := range []string{"CAROL", "ERIN", "FRANK"} {
		if !common.IsHexAddress(vars[k]) {
			t.Fatalf("docs/going-live.md uses $SAFE before $%s is known", k)
		}
		owners = append(owners, common.HexToAddress(vars[k]))
	}
	safe, err := d.NewSafeOf(ctx, owners, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	return safe.Hex()
}
