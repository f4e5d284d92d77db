// Package config loads groundtruth's YAML configuration strictly.
//
// Loading happens in a fixed order: defaults are set, ${NAME} references in
// string values are replaced from the environment (through an injected
// getenv; "$${" writes a literal "${"), the document is decoded rejecting
// unknown fields and wrong types, and Validate checks the whole. Every
// problem found in any of these steps is reported, not only the first, as a
// *Problems error that wraps ErrInvalid and prints one line per problem:
//
//	groundtruth.yaml:12:5: unknown field "sorce" in job "bravo"
//	groundtruth.yaml:14:14: environment variable ${RPC_URL} is not set
//
// Messages never contain the value of an environment variable; such values
// are shown as ${NAME}.
//
// # Extending the configuration
//
// A new section is a new tagged field of Config (or of Job). The decoder
// walks the YAML tree itself, so the same rules apply everywhere:
//
//   - a field is decoded when it has a yaml tag; unknown keys are problems;
//   - `config:"required"` makes a field required;
//   - `label:"job"` names the elements of a list field in messages
//     (job "bravo", or job #2 when the element has no name);
//   - an embedded struct tagged `yaml:",inline"` contributes its fields as
//     the outer struct's own (kinds sharing a block of settings);
//   - after a nested struct decodes cleanly, its Validate() error method, if
//     it has one, is called; an error with a ConfigField() string method is
//     reported at that field's line, and errors.Join reports several at once.
//
// Anchors, aliases and merge keys (<<: *defaults) are supported.
//
// # Sources
//
// A job's source section names a kind, an optional id (default: the job
// name) and kind-specific fields. Config keeps the section's YAML node;
// Source.Decode (a sources.Decode) decodes the kind-specific fields strictly
// into the factory's own struct with the rules above, and LoadWithSources
// constructs every job's source from a sources.Registry, collecting the
// problems of all jobs.
package config
