package space

import (
	"context"
	"encoding/csv"
	"errors"
	"math"
	"math/big"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/input"
)

const benchFile = "../experiments/data/nas-bench-bert/nas-bench-bert-dev.json"

func mustLoad(t testing.TB, name string) *Space {
	t.Helper()
	s, err := Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCount(t *testing.T) {
	tests := []struct {
		space string
		want  string
	}{
		{"nas-bench-bert", "10621440"},
		// 5292 layer choices (3 hidden x 3 heads x 7 ops x 84 stacks), depths 2, 4, 6.
		{"flexibert", new(big.Int).Add(new(big.Int).Add(pow(5292, 2), pow(5292, 4)), pow(5292, 6)).String()},
		// 240 layer choices (2 x 2 x 6 x (2 + 8)), depths 2, 4.
		{"flexibert-tiny", new(big.Int).Add(pow(240, 2), pow(240, 4)).String()},
	}
	for _, tc := range tests {
		t.Run(tc.space, func(t *testing.T) {
			if got := mustLoad(t, tc.space).Count().String(); got != tc.want {
				t.Errorf("Count = %s, want %s", got, tc.want)
			}
		})
	}
}

func pow(b, e int64) *big.Int { return new(big.Int).Exp(big.NewInt(b), big.NewInt(e), nil) }

// TestLegacyParamsMatchPublished checks the shape derivation against the published
// "Number of Parameters" of every record of the proxies CSV.
func TestLegacyParamsMatchPublished(t *testing.T) {
	s := mustLoad(t, "nas-bench-bert")
	recs, err := ReadRecords(benchFile, s)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Arch{}
	for _, r := range recs {
		byID[r.ID] = r.Arch
	}
	f, err := os.Open("../experiments/data/nas-bench-bert/nas-bench-bert-dev-proxies.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "Number of Parameters" {
			col = i
		}
	}
	if col < 0 || len(rows) != 301 {
		t.Fatalf("unexpected CSV: %d rows, column %d", len(rows), col)
	}
	for _, row := range rows[1:] {
		a, ok := byID[row[0]]
		if !ok {
			t.Fatalf("CSV id %s not in the benchmark", row[0])
		}
		want, _ := strconv.ParseInt(row[col], 10, 64)
		if got := Params(a, Legacy); got != want {
			t.Errorf("id %s: legacy params %d, published %d", row[0], got, want)
		}
	}
}

func TestLegacyLayerParams(t *testing.T) {
	ff1 := []int{512}
	tests := []struct {
		name  string
		layer Layer
		want  int64 // token mixing only, as docs/search-spaces.md lists it
	}{
		{"SDP", Layer{128, OpSA, "SDP", 2, ff1}, 263680},
		{"WMA", Layer{128, OpSA, "WMA", 2, ff1}, 329216},
		{"DFT", Layer{128, OpLT, "DFT", 2, ff1}, 65792},
		{"DSC-2-5", Layer{128, OpDSC, "5", 2, ff1}, 232709},
		{"DSC-2-9", Layer{128, OpDSC, "9", 2, ff1}, 234249},
		{"DSC-4-5", Layer{128, OpDSC, "5", 4, ff1}, 233354},
		{"DSC-4-9", Layer{128, OpDSC, "9", 4, ff1}, 235410},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got int64
			for _, x := range LayerTensors(nil, 0, BuiltLayer(tc.layer, Legacy), Legacy) {
				if x.Role == Attention || x.FullName() == "layer0.attn.norm" {
					got += x.Params()
				}
			}
			if got != tc.want {
				t.Errorf("params %d, want %d", got, tc.want)
			}
		})
	}
}

func TestAsTrainedFeedForward(t *testing.T) {
	tests := []struct {
		ff   []int
		want []int
	}{
		{[]int{512}, []int{1024}},
		{[]int{512, 512, 512}, []int{1024, 512, 512}},
	}
	for _, tc := range tests {
		l := BuiltLayer(Layer{256, OpLT, "DFT", 4, tc.ff}, AsTrained)
		if l.Op != OpSA || l.Param != "SDP" || len(l.FF) != len(tc.want) || l.FF[0] != tc.want[0] || l.FF[len(l.FF)-1] != tc.want[len(tc.want)-1] {
			t.Errorf("as-trained of ff %v = %+v, want SDP with ff %v", tc.ff, l, tc.want)
		}
	}
}

func TestSampleAndVariationStayInSpace(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			s := mustLoad(t, name)
			rng := rand.New(rand.NewSource(1))
			depths := map[int]int{}
			for i := 0; i < 2000; i++ {
				a, b := s.SampleByDepth(rng), s.Sample(rng)
				m := s.Mutate(a, rng)
				c1, c2 := s.Crossover(a, b, rng)
				for _, x := range []Arch{a, b, m, c1, c2} {
					if err := s.Validate(x); err != nil {
						t.Fatalf("invalid %s: %v", x.Canonical(), err)
					}
				}
				depths[m.Depth()]++
			}
			if len(depths) != len(s.Depths) {
				t.Errorf("mutation reached depths %v, want all of %v", depths, s.Depths)
			}
		})
	}
}

func TestMutateDoesNotAlias(t *testing.T) {
	s := mustLoad(t, "flexibert")
	rng := rand.New(rand.NewSource(2))
	a := s.Sample(rng)
	before := string(a.Canonical())
	for i := 0; i < 200; i++ {
		s.Mutate(a, rng)
		s.Crossover(a, a, rng)
	}
	if string(a.Canonical()) != before {
		t.Fatal("variation changed its parent")
	}
}

func TestSampleIsUniformOverDepth(t *testing.T) {
	// In nas-bench-bert a depth-2 architecture is 48^2/(48^2+48^4) of the space.
	s := mustLoad(t, "nas-bench-bert")
	rng := rand.New(rand.NewSource(3))
	shallow := 0
	for i := 0; i < 20000; i++ {
		if s.Sample(rng).Depth() == 2 {
			shallow++
		}
	}
	if shallow > 10 {
		t.Errorf("%d of 20000 uniform samples have depth 2, expected about 9", shallow)
	}
}

func TestEnumerateMatchesCount(t *testing.T) {
	s := &Space{Name: "small", Hidden: []int{128, 256}, Depths: []int{1, 2}, Heads: []int{2, 4},
		Ops: []OpChoice{{OpSA, "SDP"}, {OpDSC, "5"}}, FFCounts: []int{1, 2}, FFWidths: []int{512, 1024}}
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err := s.Enumerate(context.Background(), func(a Arch) bool {
		if err := s.Validate(a); err != nil {
			t.Fatal(err)
		}
		seen[a.ID()] = true
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Count().Int64(); int64(len(seen)) != want {
		t.Errorf("enumerated %d distinct architectures, Count says %d", len(seen), want)
	}
}

func TestIDIsStable(t *testing.T) {
	a := Arch{Layers: []Layer{{256, OpSA, "SDP", 4, []int{1024}}, {256, OpDSC, "9", 2, []int{512, 512, 512}}}}
	const canon = `{"layers":[{"hidden":256,"op":"SA","param":"SDP","heads":4,"ff":[1024]},{"hidden":256,"op":"DSC","param":"9","heads":2,"ff":[512,512,512]}]}`
	if got := string(a.Canonical()); got != canon {
		t.Errorf("Canonical = %s", got)
	}
	// The ID is part of the run-directory format: changing it breaks every stored run.
	if got, want := a.ID(), "9e16b0efd971857e"; got != want {
		t.Errorf("ID = %s, want %s", got, want)
	}
}

// TestDuplicateChoices: a choice listed twice is an error naming the list and the value,
// in both file forms and in a space decoded from elsewhere; it must not count twice.
func TestDuplicateChoices(t *testing.T) {
	const base = "architecture:\n  hidden_size: [128, 256]\n  num_heads: [2, 4]\n  encoder_layers: [2, 4]\n" +
		"  operation_types: [sa, c]\n  number_of_feed-forward_stacks: [1, 2]\n  feed-forward_hidden: [512, 1024]\n" +
		"  operation_parameters: {sa: [sdp, wma], c: [5, 9]}\n"
	sub := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("%q not in the base space", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	if _, err := Parse("ok.yaml", []byte(base)); err != nil {
		t.Fatalf("base space: %v", err)
	}
	tests := []struct{ name, data, want string }{
		{"hidden", sub("[128, 256]", "[128, 128, 256]"), "hidden_size: 128 is listed twice"},
		{"heads", sub("[2, 4]", "[4, 2, 4]"), "num_heads: 4 is listed twice"},
		{"depths", sub("encoder_layers: [2, 4]", "encoder_layers: [2, 2]"), "encoder_layers: 2 is listed twice"},
		{"ff counts", sub("stacks: [1, 2]", "stacks: [1, 1]"), "number_of_feed-forward_stacks: 1 is listed twice"},
		{"ff widths", sub("[512, 1024]", "[512, 1024, 512]"), "feed-forward_hidden: 512 is listed twice"},
		{"op types", sub("[sa, c]", "[sa, c, SA]"), "operation_types: SA is listed twice"},
		{"op params", sub("[sdp, wma]", "[sdp, wma, SDP]"), "operation_parameters: SA SDP is listed twice"},
		{"kernel spelled twice", sub("[5, 9]", "[5, 9, 05]"), "operation_parameters: DSC 5 is listed twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("mine.yaml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	bench := `{"hidden_size": [128], "num_encoder_layers": [2], "encoder_layer": {"operation_type": ["SA", "SA"],
		"num_operation_heads": [2], "feed_forward_dimension": [512], "num_feed_forward": [1], "SA": ["SDP"], "LT": [], "DSC": []}}`
	if _, err := Parse("space.json", []byte(bench)); err == nil || !strings.Contains(err.Error(), "operation_type: SA is listed twice") {
		t.Errorf("NAS-Bench-BERT form: %v", err)
	}
	// A space decoded from a run's configuration goes through Check.
	s := &Space{Name: "run", Hidden: []int{128, 128}, Depths: []int{2}, Heads: []int{2}, Ops: []OpChoice{{OpSA, "SDP"}},
		FFCounts: []int{1}, FFWidths: []int{512}}
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "hidden_size: 128 is listed twice") {
		t.Errorf("Check: %v", err)
	}
	s.Hidden = nil
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "hidden_size: no choices") {
		t.Errorf("Check of an empty list: %v", err)
	}
}

// TestOneArchitectureCountsOne: a space whose every list has one choice holds exactly one
// architecture, and Count and Enumerate agree, in every combination of the layout flags.
func TestOneArchitectureCountsOne(t *testing.T) {
	for _, shared := range []bool{false, true} {
		for _, uniform := range []bool{false, true} {
			s := &Space{Name: "one", Hidden: []int{128}, Depths: []int{3}, Heads: []int{2}, Ops: []OpChoice{{OpDSC, "5"}},
				FFCounts: []int{2}, FFWidths: []int{512}, SharedHidden: shared, UniformFF: uniform}
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			n := 0
			if err := s.Enumerate(context.Background(), func(Arch) bool { n++; return true }); err != nil {
				t.Fatal(err)
			}
			if c := s.Count().Int64(); c != 1 || n != 1 {
				t.Errorf("shared %v, uniform %v: Count %d, enumerated %d; want 1", shared, uniform, c, n)
			}
		}
	}
}

func TestLoadRefusesUnboundedInput(t *testing.T) {
	for _, path := range []string{"/dev/zero", t.TempDir()} {
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(%s): %v", path, err)
		}
		if _, err := ReadRecords(path, mustLoad(t, Default)); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("ReadRecords(%s): %v", path, err)
		}
	}
	t.Setenv(input.LimitEnv, "1000")
	_, err := ReadRecordsContext(context.Background(), benchFile, mustLoad(t, Default))
	var tl *input.TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), benchFile) {
		t.Errorf("a file over the limit: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadContext(ctx, "spaces/flexibert.yaml"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestLayerChoicesBounded(t *testing.T) {
	// 16 free widths in stacks of up to 64 layers: 16^64 stacks, which LayerChoices would
	// try to list and an int64 count would overflow.
	const huge = "architecture:\n  hidden_size: [128]\n  num_heads: [2]\n  encoder_layers: [2]\n  operation_types: [sa]\n" +
		"  number_of_feed-forward_stacks: [1, 64]\n  feed-forward_hidden: [16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256]\n" +
		"  operation_parameters: {sa: [sdp]}\n"
	if _, err := Parse("huge.yaml", []byte(huge)); err == nil || !strings.Contains(err.Error(), "over the limit of 1048576 (MaxLayerChoices)") {
		t.Errorf("huge space: %v", err)
	}
	// The same lists with one width per stack are small.
	if _, err := Parse("uniform.yaml", []byte("uniform_feed_forward: true\n"+huge)); err != nil {
		t.Errorf("uniform stacks: %v", err)
	}
}

// TestSampleDeepSpace: counts beyond float64 (1e3 layer choices over 256 layers) still
// weigh the branches: both hidden sizes, equally many architectures each, are drawn.
func TestSampleDeepSpace(t *testing.T) {
	s := &Space{Name: "deep", Hidden: []int{128, 256}, Depths: []int{1, 256}, Heads: []int{2}, SharedHidden: true,
		Ops: []OpChoice{{OpSA, "SDP"}, {OpSA, "WMA"}, {OpLT, "DFT"}, {OpLT, "DCT"}}, FFCounts: []int{1, 2, 3},
		FFWidths: []int{512, 1024, 1536, 2048, 2560}}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	if f, _ := new(big.Float).SetInt(s.Count()).Float64(); !math.IsInf(f, 1) {
		t.Fatalf("count %v is within float64: the test needs a deeper space", f)
	}
	rng := rand.New(rand.NewSource(1))
	seen := map[[2]int]int{}
	for range 200 {
		a := s.Sample(rng)
		if err := s.Validate(a); err != nil {
			t.Fatal(err)
		}
		seen[[2]int{a.Depth(), a.Layers[0].Hidden}]++
	}
	if seen[[2]int{256, 128}] == 0 || seen[[2]int{256, 256}] == 0 || seen[[2]int{1, 128}]+seen[[2]int{1, 256}] != 0 {
		t.Errorf("draws by (depth, hidden): %v; want both hidden sizes at depth 256 only", seen)
	}
}
