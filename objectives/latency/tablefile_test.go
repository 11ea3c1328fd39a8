package latency

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/space"
)

const validTable = `{
  "format": "zeronas-latency-table/1",
  "device": {"cpu": "Pixel 7 (Tensor G2), TFLite"},
  "batch": 1, "seq_len": 128, "reps": 50, "warmup": 5, "statistic": "median",
  "entries": [
    {"block": "embedding", "hidden": 256, "ms": 1.5},
    {"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 4, "ms": 10},
    {"block": "ffn", "hidden": 256, "ff": [1024], "ms": 20},
    {"block": "ff_linear", "in": 256, "out": 512, "ms": 3},
    {"block": "ff_linear", "in": 512, "out": 256, "final": true, "ms": 4, "p10_ms": 3.5, "p90_ms": 4.5},
    {"block": "projection", "from": 256, "to": 128, "ms": 0.25}
  ]
}`

func TestParseTable(t *testing.T) {
	tab, err := ParseTable("t.json", []byte(validTable))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		got  float64
		want float64
	}{
		{"embedding", tab.Embedding(256, nil), 1.5},
		{"layer via ffn", tab.Layer(layer256(1024)), 30},
		{"layer via linears", tab.Layer(layer256(512)), 17},
		{"projection", tab.Projection(256, 128), 0.25},
		{"no projection", tab.Projection(256, 256), 0},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestParseTableErrors requires every invalid table to be refused with an error naming
// the file, the entry and the field.
func TestParseTableErrors(t *testing.T) {
	entry := `{"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 4, "ms": 10}`
	withEntry := func(e string) string {
		return strings.Replace(validTable, entry, e, 1)
	}
	cases := []struct{ name, data, want string }{
		{"not json", "{", "t.json: unexpected EOF"},
		{"unknown field", strings.Replace(validTable, `"batch"`, `"batchsize"`, 1), `unknown field "batchsize"`},
		{"format", strings.Replace(validTable, "table/1", "table/9", 1), "t.json: field format"},
		{"device", strings.Replace(validTable, `"Pixel 7 (Tensor G2), TFLite"`, `""`, 1), "field device.cpu: missing"},
		{"batch", strings.Replace(validTable, `"batch": 1`, `"batch": 0`, 1), "field batch: 0"},
		{"seq_len", strings.Replace(validTable, `"seq_len": 128`, `"seq_len": -1`, 1), "field seq_len"},
		{"reps", strings.Replace(validTable, `"reps": 50`, `"reps": 0`, 1), "field reps"},
		{"statistic", strings.Replace(validTable, `"median"`, `""`, 1), "field statistic: missing"},
		{"block", withEntry(`{"block": "conv", "ms": 1}`), `entries[1] (block "conv"): field block`},
		{"ms missing", withEntry(`{"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 4}`), "entries[1] (mixing SA-SDP hidden 256 heads 4): field ms: missing"},
		{"ms negative", withEntry(`{"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 4, "ms": -1}`), "field ms: -1"},
		{"ms absurd", withEntry(`{"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 4, "ms": 1e300}`), "field ms: 1e+300: must be a number of milliseconds from 0 to 1e+09 (MaxBlockMS)"},
		{"op", withEntry(`{"block": "mixing", "op": "XX", "param": "SDP", "hidden": 256, "heads": 4, "ms": 1}`), "field op"},
		{"param", withEntry(`{"block": "mixing", "op": "LT", "param": "SDP", "hidden": 256, "heads": 4, "ms": 1}`), "field param"},
		{"heads divide", withEntry(`{"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 3, "ms": 1}`), "field heads: 3: does not divide"},
		{"heads missing", withEntry(`{"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "ms": 1}`), "field heads: 0"},
		{"foreign field", withEntry(`{"block": "embedding", "hidden": 128, "heads": 2, "ms": 1}`), "field heads: not part of the key of block embedding"},
		{"ff empty", withEntry(`{"block": "ffn", "hidden": 128, "ff": [], "ms": 1}`), "field ff"},
		{"ff width", withEntry(`{"block": "ffn", "hidden": 128, "ff": [0], "ms": 1}`), "field ff: width 0"},
		{"projection", withEntry(`{"block": "projection", "from": 128, "to": 128, "ms": 1}`), "field to: 128: equals from"},
		{"duplicate", withEntry(`{"block": "embedding", "hidden": 256, "ms": 2}`), "entries[1] (embedding hidden 256): duplicates entries[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTable("t.json", []byte(c.data))
			var te *TableError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "t.json") {
				t.Fatalf("error %v, want a TableError containing %q", err, c.want)
			}
		})
	}
}

func TestTableWriteRead(t *testing.T) {
	tab, err := ParseTable("t.json", []byte(validTable))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "table.json")
	if err := tab.Write(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Entries, tab.Entries) || back.Device != tab.Device || back.Path() != path {
		t.Fatalf("read back %+v, want %+v", back, tab)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if _, err := ReadTable(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

func layer256(ff ...int) space.Layer {
	return space.Layer{Hidden: 256, Op: "SA", Param: "SDP", Heads: 4, FF: ff}
}

// FuzzParseTable: no table file makes ParseTable panic; an accepted table holds and
// predicts finite costs. Run with `go test -fuzz FuzzParseTable ./objectives/latency`.
func FuzzParseTable(f *testing.F) {
	f.Add(validTable)
	f.Add(`{"format": "zeronas-latency-table/1", "entries": [{"block": "ffn", "ff": [], "ms": 1}]}`)
	f.Fuzz(func(t *testing.T, data string) {
		tab, err := ParseTable("fuzz.json", []byte(data))
		if err != nil {
			return
		}
		for _, e := range tab.Entries {
			if math.IsNaN(e.MS) || e.MS < 0 || e.MS > MaxBlockMS {
				t.Fatalf("accepted %v ms", e.MS)
			}
		}
		l := space.Layer{Hidden: 256, Op: "SA", Param: "SDP", Heads: 4, FF: []int{1024}}
		if v, err := tab.LayerErr(l); err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("layer cost %v", v)
		}
	})
}
