package config

import (
	"reflect"
	"testing"
)

type InlineShared struct {
	ChainID uint64 `yaml:"chain_id"`
	Depth   int    `yaml:"depth" config:"required"`
}

type inlineKind struct {
	URL          string `yaml:"url"`
	InlineShared `yaml:",inline"`
	Ignored      int
}

// TestStructFieldsInline checks that the fields of a struct embedded with
// `yaml:",inline"` are decodable as the outer struct's own.
func TestStructFieldsInline(t *testing.T) {
	fields := structFields(reflect.TypeFor[inlineKind]())
	var names []string
	for _, f := range fields {
		names = append(names, f.name)
	}
	if want := []string{"url", "chain_id", "depth"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("fields %v, want %v", names, want)
	}
	depth, _ := lookupField(fields, "depth")
	if !depth.required {
		t.Error("an inline field lost its required tag")
	}
	var v inlineKind
	reflect.ValueOf(&v).Elem().FieldByIndex(depth.index).SetInt(7)
	if v.Depth != 7 {
		t.Errorf("index path %v does not reach the inline field", depth.index)
	}
}
