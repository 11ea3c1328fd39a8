package space

import (
	"errors"
	"math/rand"
	"strings"
	"testing"
)

func TestReadRecordsFormats(t *testing.T) {
	s := mustLoad(t, "nas-bench-bert")
	recs, err := ReadRecords(benchFile, s)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 300 || recs[0].ID != "1" || recs[0].Scores["glue"] != 73.455 || recs[0].Arch.Layers[2].Param != "9" {
		t.Fatalf("first record %+v of %d", recs[0], len(recs))
	}
	const layer = `{"hidden":128,"op":"sa","param":"sdp","heads":2,"ff":[512]}`
	tests := []struct{ name, data string }{
		{"jsonl", `{"id":"a","layers":[` + layer + `,` + layer + "]}\n\n" + `{"layers":[` + layer + `,` + layer + `]}` + "\n"},
		{"list", `[{"id":"a","layers":[` + layer + `,` + layer + `]},{"arch":{"layers":[` + layer + `,` + layer + `]}}]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := ParseRecords("x", []byte(tc.data), s)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 2 || recs[0].ID != "a" || recs[1].ID != "1" || recs[1].Arch.Layers[0].Op != OpSA {
				t.Errorf("got %+v", recs)
			}
		})
	}
}

func TestReadRecordsErrors(t *testing.T) {
	s := mustLoad(t, "nas-bench-bert")
	rec := func(hidden, layer string) string {
		return `[{"id": 7, "hparams": {"model_hparam_overrides": {` + hidden + `"nas_config": {"encoder_layers": [` + layer + `,` + layer + `]}}}}]`
	}
	good := `{"operation_type": "SA", "operation_parameter": "SDP", "num_operation_heads": 2, "feed_forward_dimension": 512, "num_feed_forward": 1}`
	sub := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	tests := []struct {
		name, data string
		want       []string // every fragment must appear in the error
	}{
		{"empty", "", []string{"f.json", "empty file"}},
		{"malformed", "[\n{\"id\": 1,,}]", []string{"f.json", "line 2"}},
		{"not a record", `[{"id": 3}]`, []string{"record 0 (id 3)", "missing field hparams"}},
		{"missing hidden", rec("", good), []string{"record 0 (id 7)", "hidden_size"}},
		{"hidden not in space", rec(`"hidden_size": 512,`, good), []string{"id 7", "layer 0", "hidden_size=512", "not in [128 256]"}},
		{"negative hidden", rec(`"hidden_size": -128,`, good), []string{"hidden_size=-128", "must be positive"}},
		{"hidden wrong type", rec(`"hidden_size": "big",`, good), []string{"id 7", "hidden_size", "string"}},
		{"unknown op", rec(`"hidden_size": 128,`, sub(`"SA"`, `"RNN"`)), []string{"layer 0", "operation_type=RNN", "unknown operation"}},
		{"unknown param", rec(`"hidden_size": 128,`, sub(`"SDP"`, `"XYZ"`)), []string{"operation_parameter=XYZ"}},
		{"bad heads", rec(`"hidden_size": 128,`, sub(`"num_operation_heads": 2`, `"num_operation_heads": 3`)), []string{"num_operation_heads=3"}},
		{"missing heads", rec(`"hidden_size": 128,`, sub(`"num_operation_heads": 2,`, ``)), []string{"num_operation_heads=<missing>"}},
		{"negative ff", rec(`"hidden_size": 128,`, sub(`"feed_forward_dimension": 512`, `"feed_forward_dimension": -512`)), []string{"feed_forward_dimension=-512"}},
		{"ff count", rec(`"hidden_size": 128,`, sub(`"num_feed_forward": 1`, `"num_feed_forward": 0`)), []string{"num_feed_forward=0"}},
		{"ff count huge", rec(`"hidden_size": 128,`, sub(`"num_feed_forward": 1`, `"num_feed_forward": 1000000000`)), []string{"num_feed_forward=1000000000", "from 1 to 64"}},
		{"depth", `{"layers":[{"hidden":128,"op":"SA","param":"SDP","heads":2,"ff":[512]}]}`, []string{"record 0", "encoder_layers=1"}},
		{"bad jsonl line", "{\"layers\":[]}\n{oops}\n", []string{"f.json", "line 2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRecords("f.json", []byte(tc.data), s)
			if err == nil {
				t.Fatal("no error")
			}
			var re *RecordError
			if !errors.As(err, &re) {
				t.Errorf("error %T is not a *RecordError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestLoadSpaceErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"unknown key", "architecture:\n  hidden: [1]\n", "field hidden not found"},
		{"unknown op", "architecture:\n  hidden_size: [128]\n  num_heads: [2]\n  encoder_layers: [2]\n  operation_types: [rnn]\n  number_of_feed-forward_stacks: [1]\n  feed-forward_hidden: [512]\n", `"rnn" unknown`},
		{"heads", "architecture:\n  hidden_size: [100]\n  num_heads: [3]\n  encoder_layers: [2]\n  operation_types: [sa]\n  number_of_feed-forward_stacks: [1]\n  feed-forward_hidden: [512]\n  operation_parameters: {sa: [sdp]}\n", "divides hidden size 100"},
		{"empty", "architecture:\n  hidden_size: [128]\n", "no choices"},
		{"huge width", "architecture:\n  hidden_size: [1000000000]\n  num_heads: [2]\n  encoder_layers: [2]\n  operation_types: [sa]\n  number_of_feed-forward_stacks: [1]\n  feed-forward_hidden: [512]\n  operation_parameters: {sa: [sdp]}\n", "from 1 to 65536"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("mine.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	if _, err := Load("no/such/space.yaml"); err == nil || !strings.Contains(err.Error(), "neither a built-in") {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzParseRecords: no input makes the reader panic; whatever it accepts is valid.
// Run with `go test -fuzz FuzzParseRecords ./space`.
func FuzzParseRecords(f *testing.F) {
	f.Add(`[{"id": 1, "hparams": {"model_hparam_overrides": {"hidden_size": 128, "nas_config": {"encoder_layers": [{"operation_type": "SA", "operation_parameter": "SDP", "num_operation_heads": 2, "feed_forward_dimension": 512, "num_feed_forward": 1}, {"operation_type": "DSC", "operation_parameter": 5, "num_operation_heads": 4, "feed_forward_dimension": 1024, "num_feed_forward": 3}]}}}}]`)
	f.Add(`{"layers":[{"hidden":128,"op":"LT","param":"DFT","heads":2,"ff":[512]},{"hidden":128,"op":"SA","param":"WMA","heads":4,"ff":[1024,1024,1024]}]}` + "\n")
	f.Add(`[{"arch": {"layers": []}}, 3, null]`)
	s, err := Load("nas-bench-bert")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data string) {
		recs, err := ParseRecords("fuzz.json", []byte(data), s)
		if err != nil {
			return
		}
		for _, r := range recs {
			if err := s.Validate(r.Arch); err != nil {
				t.Fatalf("accepted an invalid architecture: %v", err)
			}
			Params(r.Arch, Faithful)
		}
	})
}

// FuzzParseSpace: no definition makes Parse panic; whatever it accepts can be counted,
// sampled and validated. Run with `go test -fuzz FuzzParseSpace ./space`.
func FuzzParseSpace(f *testing.F) {
	for _, name := range []string{"spaces/flexibert-tiny.yaml", "spaces/nas-bench-bert.json"} {
		data, err := builtin.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("architecture:\n  hidden_size: []\n")
	f.Add("architecture:\n  hidden_size: [128, 128]\n  num_heads: [0]\n")
	f.Add(`{"hidden_size": [128], "num_encoder_layers": [2], "encoder_layer": {"operation_type": ["DSC"], "DSC": [-1]}}`)
	f.Fuzz(func(t *testing.T, data string) {
		s, err := Parse("fuzz", []byte(data))
		if err != nil {
			return
		}
		s.Count()
		rng := rand.New(rand.NewSource(1))
		for _, a := range []Arch{s.Sample(rng), s.SampleByDepth(rng)} {
			if err := s.Validate(a); err != nil {
				t.Fatalf("sampled an architecture outside the space: %v", err)
			}
		}
	})
}
