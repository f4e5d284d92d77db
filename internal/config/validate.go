package config

import (
	"fmt"
	"regexp"

	"github.com/groundtruth-dao/groundtruth/datasets"
)

var (
	jobNameRE  = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	sourceIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$`)
)

// validation collects the problems found by Validate.
type validation struct {
	c     *Config
	probs *Problems
}

// add reports a problem at path unless the value at path already had one.
func (v *validation) add(path, msg string) {
	if v.c.meta.bad[path] {
		return
	}
	v.probs.add(v.c.File, v.c.meta.at(path), v.c.red.redact(msg))
	v.c.meta.bad[path] = true
}

// Validate checks the decoded configuration as a whole and returns every
// problem found (a *Problems wrapping ErrInvalid), or nil. Values that
// already failed to decode are not checked again.
func (c *Config) Validate() error {
	if c.meta == nil {
		c.meta = newMeta()
	}
	v := &validation{c: c, probs: &Problems{}}
	if c.Version != 1 {
		v.add("version", fmt.Sprintf("version %d is not supported (want 1)", c.Version))
	}
	if c.DataDir == "" {
		v.add("data_dir", "data_dir must not be empty (leave it out for the default "+DefaultDataDir+")")
	}
	v.jobs()
	v.daemon()
	return v.probs.err()
}

// jobs checks names, datasets and source ids, each unique across jobs.
func (v *validation) jobs() {
	names := map[string]int{}
	datasetsSeen := map[string]int{}
	ids := map[string]int{}
	for i, j := range v.c.Jobs {
		p := fmt.Sprintf("jobs[%d]", i)
		w := jobWhere(j, i)
		if !jobNameRE.MatchString(j.Name) {
			v.add(p+".name", fmt.Sprintf("job name %q is not valid: want lowercase letters, digits, _ and -, starting with a letter, at most 63 characters", j.Name))
		} else if first, dup := names[j.Name]; dup {
			v.add(p+".name", fmt.Sprintf("duplicate job name %q (first used at line %d)", j.Name, v.line(first, "name")))
		} else {
			names[j.Name] = i
		}
		if err := datasets.ValidateDatasetName(j.Dataset); err != nil {
			v.add(p+".dataset", fmt.Sprintf("dataset name %q in %s is not valid: want lowercase letters, digits and _, starting with a letter, at most 63 characters", j.Dataset, w))
		} else if first, dup := datasetsSeen[j.Dataset]; dup {
			v.add(p+".dataset", fmt.Sprintf("dataset %q of %s is already written by the job at line %d: a dataset is written by one job only", j.Dataset, w, v.line(first, "name")))
		} else {
			datasetsSeen[j.Dataset] = i
		}
		if j.OnBadValue != "" && j.OnBadValue != BadValueQuarantine && j.OnBadValue != BadValueFail {
			v.add(p+".on_bad_value", fmt.Sprintf("on_bad_value of %s must be quarantine or fail, got %q", w, j.OnBadValue))
		}
		if j.MaxRunRows != nil && *j.MaxRunRows < 1 {
			v.add(p+".max_run_rows", fmt.Sprintf("max_run_rows of %s must be at least 1, got %d", w, *j.MaxRunRows))
		}
		first, named := names[j.Name]
		v.sourceID(j, i, ids, named && first == i)
	}
}

func (v *validation) sourceID(j Job, i int, ids map[string]int, nameOK bool) {
	if !j.Source.idSet && !nameOK {
		return // the default id is the job name, already reported
	}
	p := fmt.Sprintf("jobs[%d].source.id", i)
	switch first, dup := ids[j.Source.ID]; {
	case !sourceIDRE.MatchString(j.Source.ID):
		v.add(p, fmt.Sprintf("source id %q in %s is not valid: want letters, digits and . _ : @ / -, starting with a letter or digit, at most 128 characters", j.Source.ID, jobWhere(j, i)))
	case dup:
		v.add(p, fmt.Sprintf("source id %q of %s is already used by the job at line %d: source ids must be unique", j.Source.ID, jobWhere(j, i), v.line(first, "name")))
	default:
		ids[j.Source.ID] = i
	}
}

// line returns the line of a field of job i.
func (v *validation) line(i int, field string) int {
	return v.c.meta.at(fmt.Sprintf("jobs[%d].%s", i, field)).Line
}

// jobWhere names job i in messages.
func jobWhere(j Job, i int) string {
	if j.Name == "" {
		return fmt.Sprintf("job #%d", i+1)
	}
	return fmt.Sprintf("job %q", j.Name)
}
