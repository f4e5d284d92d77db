package datasets

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Type is the logical type of a column. It decides the Arrow type a column is
// stored as and the canonical (ABI) encoding of its values; see docs/SPEC.md.
type Type string

// The supported column types.
const (
	TypeBool      Type = "bool"
	TypeInt8      Type = "int8"
	TypeInt16     Type = "int16"
	TypeInt32     Type = "int32"
	TypeInt64     Type = "int64"
	TypeUint8     Type = "uint8"
	TypeUint16    Type = "uint16"
	TypeUint32    Type = "uint32"
	TypeUint64    Type = "uint64"
	TypeFloat64   Type = "float64"
	TypeString    Type = "string"
	TypeBytes     Type = "bytes"
	TypeAddress   Type = "address"
	TypeBytes32   Type = "bytes32"
	TypeUint256   Type = "uint256"
	TypeInt256    Type = "int256"
	TypeTimestamp Type = "timestamp"
)

// AllTypes lists every supported type in a stable order.
var AllTypes = []Type{
	TypeBool, TypeInt8, TypeInt16, TypeInt32, TypeInt64,
	TypeUint8, TypeUint16, TypeUint32, TypeUint64, TypeFloat64,
	TypeString, TypeBytes, TypeAddress, TypeBytes32, TypeUint256, TypeInt256, TypeTimestamp,
}

// MetadataTypeKey is the Arrow field metadata key that records a column's
// logical type, so segment files are self-describing.
const MetadataTypeKey = "groundtruth.type"

// MaxColumns is the largest number of columns a schema may have: the null mask
// of the canonical encoding is one 256-bit word.
const MaxColumns = 256

var (
	arrowAddress = &arrow.FixedSizeBinaryType{ByteWidth: 20}
	arrowWord    = &arrow.FixedSizeBinaryType{ByteWidth: 32}
	arrowTime    = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

// ArrowType returns the Arrow data type that stores values of t.
func (t Type) ArrowType() (arrow.DataType, error) {
	switch t {
	case TypeBool:
		return arrow.FixedWidthTypes.Boolean, nil
	case TypeInt8:
		return arrow.PrimitiveTypes.Int8, nil
	case TypeInt16:
		return arrow.PrimitiveTypes.Int16, nil
	case TypeInt32:
		return arrow.PrimitiveTypes.Int32, nil
	case TypeInt64:
		return arrow.PrimitiveTypes.Int64, nil
	case TypeUint8:
		return arrow.PrimitiveTypes.Uint8, nil
	case TypeUint16:
		return arrow.PrimitiveTypes.Uint16, nil
	case TypeUint32:
		return arrow.PrimitiveTypes.Uint32, nil
	case TypeUint64:
		return arrow.PrimitiveTypes.Uint64, nil
	case TypeFloat64:
		return arrow.PrimitiveTypes.Float64, nil
	case TypeString:
		return arrow.BinaryTypes.String, nil
	case TypeBytes:
		return arrow.BinaryTypes.Binary, nil
	case TypeAddress:
		return arrowAddress, nil
	case TypeBytes32, TypeUint256, TypeInt256:
		return arrowWord, nil
	case TypeTimestamp:
		return arrowTime, nil
	}
	return nil, fmt.Errorf("%w: unknown column type %q (known: %s)", ErrSchema, string(t), typeList())
}

// Valid reports whether t is a supported type.
func (t Type) Valid() bool {
	_, err := t.ArrowType()
	return err == nil
}

func typeList() string {
	names := make([]string, len(AllTypes))
	for i, t := range AllTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// Column is one named, typed column of a schema.
type Column struct {
	Name     string `json:"name"`
	Type     Type   `json:"type"`
	Nullable bool   `json:"nullable"`
}

// Schema is the declared shape of a dataset: its ordered columns and the
// columns whose values identify a row (the key).
type Schema struct {
	Columns []Column `json:"columns"`
	Key     []string `json:"key"`
}

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Validate checks column names, types, the column count and the key.
func (s *Schema) Validate() error {
	if len(s.Columns) == 0 {
		return fmt.Errorf("%w: no columns", ErrSchema)
	}
	if len(s.Columns) > MaxColumns {
		return fmt.Errorf("%w: %d columns, at most %d are supported", ErrSchema, len(s.Columns), MaxColumns)
	}
	seen := make(map[string]bool, len(s.Columns))
	for i, c := range s.Columns {
		if !nameRE.MatchString(c.Name) {
			return fmt.Errorf("%w: column %d name %q: want letters, digits and _ (not starting with a digit, at most 63)", ErrSchema, i, c.Name)
		}
		if seen[strings.ToLower(c.Name)] {
			return fmt.Errorf("%w: column %q appears twice (names are case-insensitive)", ErrSchema, c.Name)
		}
		seen[strings.ToLower(c.Name)] = true
		if !c.Type.Valid() {
			return fmt.Errorf("%w: column %q: unknown type %q (known: %s)", ErrSchema, c.Name, string(c.Type), typeList())
		}
	}
	for _, k := range s.Key {
		i := s.Index(k)
		if i < 0 {
			return fmt.Errorf("%w: key column %q is not a column", ErrSchema, k)
		}
		if s.Columns[i].Nullable {
			return fmt.Errorf("%w: key column %q must not be nullable", ErrSchema, k)
		}
	}
	return nil
}

// Index returns the position of the named column, or -1.
func (s *Schema) Index(name string) int {
	for i, c := range s.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// Equal reports whether two schemas have the same columns and key.
func (s *Schema) Equal(o *Schema) bool {
	if len(s.Columns) != len(o.Columns) || len(s.Key) != len(o.Key) {
		return false
	}
	for i := range s.Columns {
		if s.Columns[i] != o.Columns[i] {
			return false
		}
	}
	for i := range s.Key {
		if s.Key[i] != o.Key[i] {
			return false
		}
	}
	return true
}

// Diff describes how o differs from s in one line, or "" when they are equal.
func (s *Schema) Diff(o *Schema) string {
	var parts []string
	for _, c := range s.Columns {
		j := o.Index(c.Name)
		switch {
		case j < 0:
			parts = append(parts, fmt.Sprintf("column %q removed", c.Name))
		case o.Columns[j] != c:
			parts = append(parts, fmt.Sprintf("column %q changed from %s to %s", c.Name, describe(c), describe(o.Columns[j])))
		}
	}
	for _, c := range o.Columns {
		if s.Index(c.Name) < 0 {
			parts = append(parts, fmt.Sprintf("column %q added", c.Name))
		}
	}
	if len(parts) == 0 && !s.Equal(o) {
		parts = append(parts, fmt.Sprintf("column order or key changed (key %v → %v)", s.Key, o.Key))
	}
	return strings.Join(parts, "; ")
}

func describe(c Column) string {
	if c.Nullable {
		return string(c.Type) + " (nullable)"
	}
	return string(c.Type)
}

// ArrowSchema returns the Arrow schema of s; each field carries its logical
// type in the metadata key MetadataTypeKey.
func (s *Schema) ArrowSchema() (*arrow.Schema, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(s.Columns))
	for i, c := range s.Columns {
		dt, _ := c.Type.ArrowType()
		fields[i] = arrow.Field{
			Name: c.Name, Type: dt, Nullable: c.Nullable,
			Metadata: arrow.NewMetadata([]string{MetadataTypeKey}, []string{string(c.Type)}),
		}
	}
	return arrow.NewSchema(fields, nil), nil
}

// SchemaFromArrow recovers a schema from an Arrow schema written by
// ArrowSchema; key columns are not part of Arrow metadata and are left empty.
func SchemaFromArrow(as *arrow.Schema) (*Schema, error) {
	s := &Schema{Columns: make([]Column, as.NumFields())}
	for i, f := range as.Fields() {
		t, ok := f.Metadata.GetValue(MetadataTypeKey)
		if !ok {
			return nil, fmt.Errorf("%w: field %q has no %s metadata", ErrSchema, f.Name, MetadataTypeKey)
		}
		s.Columns[i] = Column{Name: f.Name, Type: Type(t), Nullable: f.Nullable}
		want, err := Type(t).ArrowType()
		if err != nil {
			return nil, err
		}
		if !arrow.TypeEqual(want, f.Type) {
			return nil, fmt.Errorf("%w: field %q of type %s is stored as %s, want %s", ErrSchema, f.Name, t, f.Type, want)
		}
	}
	return s, s.Validate()
}

// CheckArrow reports whether an Arrow schema matches s exactly (names, types,
// nullability), naming the first difference.
func (s *Schema) CheckArrow(as *arrow.Schema) error {
	if as.NumFields() != len(s.Columns) {
		return fmt.Errorf("%w: record has %d columns, schema has %d", ErrSchema, as.NumFields(), len(s.Columns))
	}
	for i, f := range as.Fields() {
		c := s.Columns[i]
		want, _ := c.Type.ArrowType()
		if f.Name != c.Name || !arrow.TypeEqual(want, f.Type) {
			return fmt.Errorf("%w: column %d is %s %s, schema says %s %s", ErrSchema, i, f.Name, f.Type, c.Name, want)
		}
	}
	return nil
}
