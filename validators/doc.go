// Package validators is groundtruth's validation stage: the Validator
// interface its checks implement, findings with stable reason codes and
// severities, the policy that maps codes to actions (keep, quarantine the
// rows, block the version), the Suite that runs a job's validators and
// applies its policy, the report whose hash goes into the manifest, and the
// metric history baselines are drawn from.
//
// The checks live in the sub-packages poisoning (manipulated values),
// gaming (governance attacks) and gaps (missing data); a Registry of their
// factories is built explicitly by the command (no init side effects).
// docs/validators.md lists every code, the report format and the
// configuration.
package validators
