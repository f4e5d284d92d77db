package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/serve"
)

// tokenPoll is how often serve and run check whether their configuration
// file changed (size, modification time or inode), to reload its tokens.
const tokenPoll = 2 * time.Second

// serveTokens converts the serve section's tokens and anonymous scope;
// anonymous (serve --anonymous) opens every dataset to requests without
// a token.
func serveTokens(set config.Serve, anonymous bool) ([]serve.Token, *serve.Scope, error) {
	var toks []serve.Token
	for _, t := range set.Tokens {
		h, err := hex.DecodeString(strings.TrimPrefix(strings.ToLower(t.SHA256), "0x"))
		if err != nil || len(h) != 32 {
			return nil, nil, fmt.Errorf("%w: token %q: bad sha256", config.ErrInvalid, t.Name)
		}
		tok := serve.Token{Name: t.Name, Scope: serve.Scope{Datasets: t.Datasets, Rate: t.Rate, Burst: t.Burst, Admin: t.Admin(), Steward: t.Steward()}}
		copy(tok.SHA256[:], h)
		toks = append(toks, tok)
	}
	var anon *serve.Scope
	if an := set.Anonymous; an != nil {
		anon = &serve.Scope{Datasets: an.Datasets, Rate: an.Rate, Burst: an.Burst}
	}
	if anonymous {
		anon = &serve.Scope{Datasets: []string{"*"}}
	}
	return toks, anon, nil
}

// tokenSetOf returns the reloadable token set of a configuration.
func tokenSetOf(cfg *config.Config, anonymous bool) (*serve.TokenSet, error) {
	toks, anon, err := serveTokens(cfg.ServeSettings(), anonymous)
	if err != nil {
		return nil, err
	}
	return serve.NewTokenSet(toks, anon), nil
}

// fileStamp identifies a version of a file: a change of any field is an
// edit (an editor's rename gives a new inode, an in-place write a new size
// or time).
type fileStamp struct {
	size  int64
	mtime time.Time
	ino   uint64
	err   bool
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{err: true}
	}
	st := fileStamp{size: fi.Size(), mtime: fi.ModTime()}
	if sys, ok := fi.Sys().(*syscall.Stat_t); ok {
		st.ino = uint64(sys.Ino)
	}
	return st
}

// tokenReloader re-reads serve.tokens and serve.anonymous from the
// configuration file on SIGHUP and when the file changes.
type tokenReloader struct {
	path      string
	anonymous bool
	set       *serve.TokenSet
	read      func(string) (*config.Config, error)
	log       *slog.Logger
	stamp     fileStamp
}

// watchTokens reloads set from the configuration at path whenever hup
// fires or the file changes, until ctx ends or the returned function is
// called (which waits for the watcher to end). Without a path there is
// nothing to reload: a SIGHUP is logged and ignored.
func (a *app) watchTokens(ctx context.Context, hup <-chan struct{}, path string, anonymous bool, set *serve.TokenSet) func() {
	r := &tokenReloader{path: path, anonymous: anonymous, set: set, read: a.readConfig, log: a.logger(), stamp: stampOf(path)}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.run(ctx, hup)
	}()
	return func() { cancel(); wg.Wait() }
}

func (r *tokenReloader) run(ctx context.Context, hup <-chan struct{}) {
	tick := time.NewTicker(tokenPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			r.reload("SIGHUP")
		case <-tick.C:
			if r.path != "" && stampOf(r.path) != r.stamp {
				r.reload("the configuration file changed")
			}
		}
	}
}

// reload installs the file's tokens, or keeps the ones in force when the
// file cannot be read or is invalid (the error names file and line).
func (r *tokenReloader) reload(why string) {
	if r.path == "" {
		r.log.Warn("tokens not reloaded: the server was started without a configuration file (-c)", "trigger", why)
		return
	}
	r.stamp = stampOf(r.path) // a bad file is reported once, not every poll
	cfg, err := r.read(r.path)
	var toks []serve.Token
	var anon *serve.Scope
	if err == nil {
		toks, anon, err = serveTokens(cfg.ServeSettings(), r.anonymous)
	}
	if err != nil {
		r.set.ReloadFailed()
		r.log.Error("tokens not reloaded: the previous tokens stay in force; fix the file and send SIGHUP or save it again",
			"trigger", why, "file", r.path, "err", err)
		return
	}
	ch := r.set.Replace(toks, anon)
	r.log.Info("tokens reloaded", "trigger", why, "file", r.path, "tokens", len(toks), "kept", ch.Kept, "added", ch.Added, "removed", ch.Removed)
}
