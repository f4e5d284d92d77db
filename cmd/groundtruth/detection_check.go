package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/internal/config"
	"github.com/groundtruth-dao/groundtruth/sources"
	"github.com/groundtruth-dao/groundtruth/validators"
)

// codePromptInjection is the code whose quarantine a policy may switch off
// only with accept_risk: true.
const codePromptInjection validators.Code = "gaming.prompt_injection"

// checkDetection reports configurations that silently break detection:
// a peer dataset no configured job writes (a typo), a job's own dataset as
// its peer, a check reading a column the job's source does not have, and
// a policy that keeps prompt injections without accept_risk: true. Each
// problem names file:line.
func checkDetection(cfg *config.Config, srcs map[string]sources.Source, suites map[string]*validators.Suite) error {
	writers, names := map[string]string{}, map[string]string{}
	for _, j := range cfg.Jobs {
		writers[j.Dataset], names[j.Name] = j.Name, j.Dataset
	}
	var errs []error
	for i := range cfg.Jobs {
		job := &cfg.Jobs[i]
		suite := suites[job.Name]
		if suite == nil {
			continue
		}
		vals := suite.Validators()[1:] // the first is the built-in bad-value check
		for k, v := range vals {
			file, pos := job.Validation.Checks[k].Pos()
			at := func(format string, args ...any) {
				errs = append(errs, fmt.Errorf("%s:%d:%d: job %q check %q: %s", file, pos.Line, pos.Col, job.Name, v.Name(), fmt.Sprintf(format, args...)))
			}
			if p, ok := v.(validators.Peered); ok {
				for _, d := range p.PeerDatasets() {
					switch {
					case d == job.Dataset:
						at("peer dataset %q is the job's own dataset: a source cannot confirm itself", d)
					case writers[d] != "":
					case names[d] != "":
						at("peer %q is a job name; peers name datasets: use dataset %q", d, names[d])
					default:
						at("peer dataset %q is not written by any configured job (datasets: %s): the cross-source checks would see no peer", d, datasetList(writers))
					}
				}
			}
			if c, ok := v.(validators.ColumnUser); ok && srcs[job.Name] != nil {
				schema := srcs[job.Name].Schema()
				for _, col := range c.Columns() {
					if schema.Index(col) < 0 {
						at("column %q is not a column of the job's source (it has: %s)", col, columnList(schema.Columns))
					}
				}
			}
		}
		if a := suite.Policy().Action(codePromptInjection); hasCode(vals, codePromptInjection) && a == validators.Keep && !job.Validation.AcceptRisk {
			file, pos := cfg.Pos(fmt.Sprintf("jobs[%d].validation.policy", i))
			errs = append(errs, fmt.Errorf("%s:%d:%d: job %q: the policy keeps %s rows (prompt injections reach served data); quarantine them, or set accept_risk: true in the validation section",
				file, pos.Line, pos.Col, job.Name, codePromptInjection))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", errUsage, errors.Join(errs...))
	}
	return nil
}

func hasCode(vals []validators.Validator, code validators.Code) bool {
	for _, v := range vals {
		if slices.ContainsFunc(v.Codes(), func(c validators.CodeInfo) bool { return c.Code == code }) {
			return true
		}
	}
	return false
}

func datasetList(writers map[string]string) string {
	var ds []string
	for d := range writers {
		ds = append(ds, d)
	}
	slices.Sort(ds)
	return strings.Join(ds, ", ")
}

func columnList(cols []datasets.Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}
