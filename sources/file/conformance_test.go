package file

import (
	"fmt"
	"testing"

	"github.com/groundtruth-dao/groundtruth/sources/sourcetest"
)

// conformance runs the sourcetest suite over a growing text file.
func conformance(t *testing.T, name string, header string, line func(i int) string, terminated bool) {
	cfg := baseConfig(
		Column{Name: "id", Type: "uint64"},
		Column{Name: "who", Type: "address"},
		Column{Name: "amount", Type: "uint256", Nullable: true},
	)
	cfg.Key = []string{"id"}
	cfg.BatchRows = 2
	sourcetest.Run(t, sourcetest.Harness{
		Provenance: []string{ColSource, ColSHA256, ColLine},
		Volatile:   []string{ColSHA256},
		New: func(t testing.TB) sourcetest.Instance {
			next := 0
			rows := func(n int) string {
				var s string
				for range n {
					s += line(next) + "\n"
					next++
				}
				return s
			}
			content := header + rows(5)
			if !terminated {
				content = content[:len(content)-1]
			}
			s, path := testSource(t, name, content, cfg)
			return sourcetest.Instance{Source: s, Grow: func(t testing.TB) {
				add := rows(3)
				if !terminated {
					add = "\n" + add[:len(add)-1]
				}
				appendFile(t, path, add)
			}}
		},
	})
}

func csvLine(i int) string {
	amount := ""
	if i%3 != 0 {
		amount = fmt.Sprintf("%d.0e%d", i, i%20)
	}
	return fmt.Sprintf("%d,0x%040x,%s", i, i+1, amount)
}

func jsonLine(i int) string {
	amount := "null"
	if i%3 != 0 {
		amount = fmt.Sprintf("%q", fmt.Sprint(i*1000))
	}
	return fmt.Sprintf(`{"id": %d, "who": "0x%040x", "amount": %s}`, i, i+1, amount)
}

func TestConformanceCSV(t *testing.T) {
	conformance(t, "data.csv", "id,who,amount\n", csvLine, true)
}

func TestConformanceCSVUnterminated(t *testing.T) {
	conformance(t, "data.csv", "id,who,amount\n", csvLine, false)
}

func TestConformanceJSONL(t *testing.T) {
	conformance(t, "data.jsonl", "", jsonLine, true)
}
