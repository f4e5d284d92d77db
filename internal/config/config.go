package config

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/internal/redact"
	"github.com/groundtruth-dao/groundtruth/sources"
)

// DefaultDataDir is data_dir when the file does not set it.
const DefaultDataDir = "./groundtruth-data"

// Config is a decoded and validated groundtruth configuration file.
//
// New sections are added as tagged fields; the strict decoder handles them
// without further code (see the package documentation).
type Config struct {
	// Version is the configuration format version; it must be 1.
	Version int `yaml:"version" config:"required"`
	// DataDir is where datasets and the catalog live. After Parse it is an
	// absolute path (relative paths are taken from the file's folder).
	DataDir string `yaml:"data_dir"`
	// Catalog is the store's catalog: a postgres:// URL, or the path of an
	// SQLite file (relative paths are taken from the file's folder); empty
	// means DATA_DIR/catalog.sqlite.
	Catalog string `yaml:"catalog"`
	// Jobs are the ingestion jobs, one per dataset.
	Jobs []Job `yaml:"jobs" label:"job"`
	// Attestation says where and by whom versions are attested (attestation.go).
	Attestation *Attestation `yaml:"attestation"`
	// Daemon configures `groundtruth run` (daemon.go).
	Daemon *Daemon `yaml:"daemon"`
	// Serve configures the read-only data API (serve.go).
	Serve *Serve `yaml:"serve"`

	// File is the name the configuration was read from, as given.
	File string `yaml:"-"`
	// BaseDir is the absolute folder of File; relative paths in the
	// configuration are relative to it.
	BaseDir string `yaml:"-"`

	hash    datasets.Hash
	meta    *meta
	red     redactor
	secrets *redact.Redactor
	getenv  func(string) string
}

// Job reads one dataset from one source.
type Job struct {
	// Name identifies the job: [a-z][a-z0-9_-]*, unique in the file.
	Name string `yaml:"name" config:"required"`
	// Dataset is the dataset the job writes; one job per dataset.
	Dataset string `yaml:"dataset" config:"required"`
	// Schedule is when the job runs (parsed by the pipeline); optional.
	Schedule string `yaml:"schedule"`
	// Source is the job's source section.
	Source Source `yaml:"source" config:"required"`
	// Validation is the job's validation section (validation.go); nil
	// seals fetched rows without checks.
	Validation *Validation `yaml:"validation"`
	// Timeout ... Timezone are the job's run settings and Attest its
	// attestation policy (daemon.go); unset ones take the defaults.
	Timeout         *time.Duration `yaml:"timeout"`
	Retries         *int           `yaml:"retries"`
	RetryBackoff    *time.Duration `yaml:"retry_backoff"`
	RetryBackoffMax *time.Duration `yaml:"retry_backoff_max"`
	Jitter          *time.Duration `yaml:"jitter"`
	Timezone        *string        `yaml:"timezone"`
	Attest          *JobAttest     `yaml:"attest"`
	// OnBadValue says what a cell that does not parse as its column's type
	// does: quarantine (the default: its row is quarantined as
	// poisoning.bad_value, the other rows are sealed) or fail (the run
	// fails and nothing is sealed).
	OnBadValue string `yaml:"on_bad_value"`
	// MaxRunRows bounds how many rows a validated run reads, validates and
	// seals at a time (default pipeline.DefaultMaxRunRows, 500,000): a
	// larger backlog is sealed in several versions by the same run.
	MaxRunRows *int `yaml:"max_run_rows"`
}

// Values of jobs[].on_bad_value.
const (
	BadValueQuarantine = "quarantine"
	BadValueFail       = "fail"
)

// defaults returns a configuration holding every default value; decoding
// overwrites the fields the file sets.
func defaults() *Config {
	return &Config{DataDir: DefaultDataDir}
}

// Load reads and parses the configuration file at path. getenv resolves
// ${NAME} references (nil means os.Getenv).
func Load(path string, getenv func(string) string) (*Config, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, getenv)
}

// Parse decodes and validates a configuration. name is used in messages
// and to resolve relative paths; getenv resolves ${NAME} references (nil
// means os.Getenv). On failure the error is a *Problems listing every
// problem found, and wraps ErrInvalid.
func Parse(name string, data []byte, getenv func(string) string) (*Config, error) {
	c, probs := parse(name, data, getenv)
	if err := probs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadWithSources is Load followed by building every job's source, reporting the problems
// of both steps together (the source sections of a file with other
// problems are still checked).
func LoadWithSources(path string, getenv func(string) string, reg *sources.Registry, deps sources.Deps) (*Config, map[string]sources.Source, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, nil, err
	}
	return ParseWithSources(path, data, getenv, reg, deps)
}

// ParseWithSources is Parse followed by building every job's source, reporting the
// problems of both steps together.
func ParseWithSources(name string, data []byte, getenv func(string) string, reg *sources.Registry, deps sources.Deps) (*Config, map[string]sources.Source, error) {
	c, probs := parse(name, data, getenv)
	if c == nil {
		return nil, nil, probs.err()
	}
	srcs := c.buildSources(reg, deps, probs)
	if err := probs.err(); err != nil {
		return nil, nil, err
	}
	return c, srcs, nil
}

// parse decodes and validates; it returns no Config only when the YAML
// cannot be parsed at all.
func parse(name string, data []byte, getenv func(string) string) (*Config, *Problems) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := defaults()
	c.File, c.getenv = name, getenv
	c.hash = datasets.Hash(sha256.Sum256(data))
	if abs, err := filepath.Abs(filepath.Dir(name)); err == nil {
		c.BaseDir = abs
	} else {
		c.BaseDir = filepath.Dir(name)
	}
	if probs := checkLimits(name, data); probs != nil {
		return nil, probs
	}
	probs := &Problems{}
	body, ok := parseBody(name, data, probs)
	if !ok {
		return nil, probs
	}
	exp := &expander{getenv: getenv, file: name, probs: probs, failed: map[ast.Node]bool{}}
	exp.walk(body)
	d := &decoder{
		file: name, anchors: map[string]ast.Node{}, probs: probs,
		red: newRedactor(exp.secrets), meta: newMeta(), failed: exp.failed,
	}
	collectAnchors(body, d.anchors)
	d.meta.pos[""] = Position{Line: 1, Col: 1}
	d.decode(body, reflect.ValueOf(c).Elem(), loc{})
	c.meta, c.red = d.meta, d.red
	c.secrets = redact.New()
	for _, sec := range exp.secrets {
		c.secrets.AddNamed(sec.Name, sec.Value)
	}
	c.resolve()
	if err := c.Validate(); err != nil {
		probs.List = append(probs.List, err.(*Problems).List...)
	}
	return c, probs
}

// parseBody parses data into the root node of its single document.
func parseBody(name string, data []byte, probs *Problems) (body ast.Node, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			probs.add(name, Position{}, fmt.Sprintf("cannot parse YAML: %v", r))
			body, ok = nil, false
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		probs.add(name, errorPos(err), "YAML syntax: "+errorMessage(err))
		return nil, false
	}
	if len(f.Docs) > 1 {
		probs.add(name, posOf(f.Docs[1]), "only one YAML document is allowed")
		return nil, false
	}
	if len(f.Docs) == 1 && f.Docs[0].Body != nil {
		body = f.Docs[0].Body
	}
	if isNull(body) {
		body = &ast.MappingNode{BaseNode: &ast.BaseNode{}}
	}
	return body, true
}

func errorPos(err error) Position {
	if ye, ok := err.(yaml.Error); ok && ye.GetToken() != nil && ye.GetToken().Position != nil {
		p := ye.GetToken().Position
		return Position{Line: p.Line, Col: p.Column}
	}
	return Position{}
}

func errorMessage(err error) string {
	if ye, ok := err.(yaml.Error); ok {
		return ye.GetMessage()
	}
	return err.Error()
}

// resolve applies defaults that depend on other fields.
func (c *Config) resolve() {
	if c.Catalog != "" && !strings.Contains(c.Catalog, "://") && !filepath.IsAbs(c.Catalog) {
		c.Catalog = filepath.Join(c.BaseDir, c.Catalog)
	}
	if c.DataDir != "" && !filepath.IsAbs(c.DataDir) {
		c.DataDir = filepath.Join(c.BaseDir, c.DataDir)
	}
	for i := range c.Jobs {
		if c.Jobs[i].Source.ID == "" {
			c.Jobs[i].Source.ID = c.Jobs[i].Name
		}
	}
}

// Redactor returns a redactor masking every value the file took from the
// environment (${VAR} references are secrets by default; values shorter
// than redact.MinSecretLen excepted), shown as ${VAR}, and the secret parts
// of URLs. Callers merge it into the redactor of their logs and errors.
func (c *Config) Redactor() *redact.Redactor {
	if c.secrets == nil {
		return redact.New()
	}
	return c.secrets
}

// Hash returns the SHA-256 of the configuration file's bytes as read; it is
// recorded in every manifest sealed under this configuration.
func (c *Config) Hash() datasets.Hash { return c.hash }

// Pos returns the file and the position of a decoded path (for example
// jobs[0].validation.policy), or of its nearest recorded parent, for
// messages about problems found after decoding.
func (c *Config) Pos(path string) (string, Position) {
	if c.meta == nil {
		return c.File, Position{}
	}
	return c.File, c.meta.at(path)
}
