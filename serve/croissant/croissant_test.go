package croissant

import (
	"encoding/json"
	"testing"

	"github.com/groundtruth-dao/groundtruth/datasets"
	"github.com/groundtruth-dao/groundtruth/datasets/datasetstest"
	"github.com/groundtruth-dao/groundtruth/serve/api"
)

func TestDataType(t *testing.T) {
	for typ, want := range map[datasets.Type]string{
		datasets.TypeBool: "sc:Boolean", datasets.TypeInt8: "sc:Integer", datasets.TypeUint64: "sc:Integer",
		datasets.TypeFloat64: "sc:Float", datasets.TypeString: "sc:Text", datasets.TypeBytes: "sc:Text",
		datasets.TypeAddress: "sc:Text", datasets.TypeBytes32: "sc:Text", datasets.TypeUint256: "sc:Text",
		datasets.TypeInt256: "sc:Text", datasets.TypeTimestamp: "sc:DateTime",
	} {
		if got := DataType(typ); got != want {
			t.Errorf("%s: %s, want %s", typ, got, want)
		}
	}
}

func TestMetadataShape(t *testing.T) {
	m := &datasets.Manifest{FormatVersion: 1, Dataset: "votes", Version: 2, Schema: *datasetstest.VotesSchema(), RowCount: 3, CreatedAt: "2025-01-02T03:04:05Z"}
	b, err := Metadata(Input{Manifest: m, Attestation: api.Attestation{ID: "registry:1:0x0:0x1"}, Data: File{Name: "votes@2.parquet", EncodingFormat: "application/x-parquet"},
		License: "https://spdx.org/licenses/CC0-1.0.html", URL: "urn:x", Creator: "c"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Type       string `json:"@type"`
		ConformsTo string `json:"conformsTo"`
		Version    string `json:"version"`
		RecordSet  []struct {
			Key   []map[string]string `json:"key"`
			Field []map[string]any    `json:"field"`
		} `json:"recordSet"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != "sc:Dataset" || doc.ConformsTo != ConformsTo || doc.Version != "2.0.0" || len(doc.RecordSet) != 1 ||
		len(doc.RecordSet[0].Field) != 11 || len(doc.RecordSet[0].Key) != 3 || doc.RecordSet[0].Key[0]["@id"] != "votes@2/chain_id" {
		t.Fatalf("metadata: %s", b)
	}
}
