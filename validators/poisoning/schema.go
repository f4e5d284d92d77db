package poisoning

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/groundtruth-dao/groundtruth/validators"
)

// CodeSchemaChange is the code of the schema validator.
const CodeSchemaChange validators.Code = "poisoning.schema_change"

// SchemaKind is the configuration kind of the schema validator.
const SchemaKind = "poisoning.schema"

// SchemaConfig configures the schema validator (it has no options).
type SchemaConfig struct{}

// Schema compares the run's schema with the dataset's sealed schema and
// each record with the declared schema: a source that silently changes its
// columns, types or key is refused before anything is written.
type Schema struct{ name string }

// NewSchema returns a schema validator.
func NewSchema(name string, _ SchemaConfig) (*Schema, error) {
	return &Schema{name: cmp.Or(name, SchemaKind)}, nil
}

// Name implements validators.Validator.
func (s *Schema) Name() string { return s.name }

// Codes implements validators.Validator.
func (s *Schema) Codes() []validators.CodeInfo {
	return []validators.CodeInfo{{Code: CodeSchemaChange, Severity: validators.Error, Action: validators.Block,
		Summary: "The run's schema (columns, types, nullability, key) differs from the dataset's sealed schema, or a record does not match the declared schema."}}
}

// Validate implements validators.Validator.
func (s *Schema) Validate(ctx context.Context, in *validators.Input) ([]validators.Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, rec := range in.Records {
		if err := in.Schema.CheckArrow(rec.Schema()); err != nil {
			return []validators.Finding{s.fail(fmt.Sprintf("record %d does not match the declared schema: %v", i, err))}, nil
		}
	}
	m, err := in.History.Manifest(ctx, in.Dataset, 0)
	if errors.Is(err, validators.ErrNoHistory) {
		return []validators.Finding{validators.Pass(s.name, CodeSchemaChange, 0, 0, "first version: no sealed schema to compare with")}, nil
	}
	if err != nil {
		return nil, err
	}
	if !m.Schema.Equal(in.Schema) {
		return []validators.Finding{s.fail(fmt.Sprintf("schema of %s@%d → run: %s", in.Dataset, m.Version, m.Schema.Diff(in.Schema)))}, nil
	}
	return []validators.Finding{validators.Pass(s.name, CodeSchemaChange, 0, 0, fmt.Sprintf("same schema as %s@%d", in.Dataset, m.Version))}, nil
}

func (s *Schema) fail(msg string) validators.Finding {
	return validators.Finding{Code: CodeSchemaChange, Severity: validators.Error, Validator: s.name, Subject: "schema", Value: 1, Threshold: 0, Message: msg}
}
