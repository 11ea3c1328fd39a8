package proxy

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/input"
)

// hostile are the numbers a careless or hostile user types.
var hostile = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, -1, 1e9, -1e9, 1e-300, math.MaxFloat64, math.SmallestNonzeroFloat64}

func TestSettingsRefuseBadAlpha(t *testing.T) {
	for _, tc := range []struct {
		alpha float64
		want  string // "" when accepted
	}{
		{0.75, ""}, {0, ""}, {-1.5, ""}, {MaxAbsAlpha, ""}, {-MaxAbsAlpha, ""},
		{math.NaN(), "alpha NaN: must be a finite number"},
		{math.Inf(1), "alpha +Inf: must be a finite number"},
		{math.Inf(-1), "alpha -Inf: must be a finite number"},
		{1e9, "alpha 1e+09: must be from -1000 to 1000"},
		{-1001, "alpha -1001: must be from -1000 to 1000"},
	} {
		s := DefaultSettings()
		s.Alpha = tc.alpha
		err := s.Validate()
		if _, zerr := NewZeroLM(s); (zerr == nil) != (err == nil) {
			t.Errorf("alpha %v: NewZeroLM %v, Validate %v", tc.alpha, zerr, err)
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("alpha %v refused: %v", tc.alpha, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("alpha %v: %v, want %q", tc.alpha, err, tc.want)
		}
	}
}

func TestGridValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    Grid
		want string // "" when accepted
	}{
		{"default", DefaultGrid(), ""},
		{"one point", Grid{From: 0.5, To: 0.5, Step: 1}, ""},
		{"beyond the alpha bound", Grid{From: 0, To: MaxGridPoints - 1, Step: 1}, "to 99999: must be from -1000 to 1000"},
		{"most points", Grid{From: -1, To: 1, Step: 2.0 / (MaxGridPoints - 1)}, ""},
		{"nan step", Grid{From: 0, To: 1, Step: math.NaN()}, "alpha grid: step NaN: must be a finite number"},
		{"nan from", Grid{From: math.NaN(), To: 1, Step: 0.1}, "alpha grid: from NaN"},
		{"inf to", Grid{From: 0, To: math.Inf(1), Step: 0.1}, "alpha grid: to +Inf"},
		{"zero step", Grid{From: 0, To: 1, Step: 0}, "step 0: must be above 0"},
		{"negative step", Grid{From: 0, To: 1, Step: -0.1}, "step -0.1: must be above 0"},
		{"reversed", Grid{From: 1, To: 0, Step: 0.1}, "from 1 is above to 0"},
		{"too many", Grid{From: -1, To: 1, Step: 1e-6}, "has 2000001 points, over the limit of 100000 (MaxGridPoints)"},
		{"tiny step", Grid{From: -1000, To: 1000, Step: math.SmallestNonzeroFloat64}, "over the limit of 100000"},
		{"absurd", Grid{From: -1e9, To: 1, Step: 1}, "from -1e+09: must be from -1000 to 1000"},
	} {
		vs, err := tc.g.Values()
		verr := tc.g.Validate()
		if (err == nil) != (verr == nil) {
			t.Errorf("%s: Values %v, Validate %v", tc.name, err, verr)
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want == "" && (len(vs) == 0 || vs[0] != tc.g.From):
			t.Errorf("%s: values %v", tc.name, vs[:min(len(vs), 3)])
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestGridNeverPanics tries every combination of hostile numbers: each grid is refused or
// gives at most MaxGridPoints finite values; none panics.
func TestGridNeverPanics(t *testing.T) {
	for _, from := range hostile {
		for _, to := range hostile {
			for _, step := range hostile {
				g := Grid{From: from, To: to, Step: step}
				vs, err := g.Values()
				if err != nil {
					continue
				}
				if len(vs) == 0 || len(vs) > MaxGridPoints {
					t.Errorf("%+v: %d values", g, len(vs))
				}
				for _, v := range vs {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%+v: value %v", g, v)
					}
				}
			}
		}
	}
}

// FuzzGrid: no grid panics Values or CalibrateSampling. Run with
// `go test -fuzz FuzzGrid ./proxy`.
func FuzzGrid(f *testing.F) {
	for _, v := range hostile {
		f.Add(v, 1.0, 0.1)
		f.Add(0.0, v, 0.1)
		f.Add(0.0, 1.0, v)
	}
	p := Parts{Attn: []float64{1, 2, 3, 4}, FFN: []float64{4, 1, 3, 2}}
	y := []float64{1, 2, 3, 4}
	f.Fuzz(func(t *testing.T, from, to, step float64) {
		g := Grid{From: from, To: to, Step: step}
		if vs, err := g.Values(); err == nil && (len(vs) == 0 || len(vs) > MaxGridPoints) {
			t.Fatalf("%+v: %d values", g, len(vs))
		}
		if g.Validate() == nil && (to-from)/step > 1000 {
			return // valid but slow to calibrate on; Values covered it
		}
		CalibrateSampling(p, y, 4, 1, g)
	})
}

func TestHeuristicSampleBounds(t *testing.T) {
	z := mustZeroLM(t, DefaultSettings())
	for _, n := range []int{-1, 0, 1, MaxHeuristicSample + 1} {
		if _, err := CalibrateHeuristic(z, nbb(t), n, 1); err == nil || !strings.Contains(err.Error(), "must be from 2 to 1000000 (MaxHeuristicSample)") {
			t.Errorf("sample %d: %v", n, err)
		}
	}
}

func TestReadCalibrated(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background()
	if c, err := ReadCalibrated(ctx, write("ok.json", `{"alpha": 0.3, "extra": 1}`)); err != nil || c.Alpha != 0.3 {
		t.Errorf("ok file: %+v, %v", c, err)
	}
	if c, err := ReadCalibrated(ctx, "default_alpha.json"); err != nil || c.Alpha != DefaultAlpha().Alpha {
		t.Errorf("the shipped file: %+v, %v", c, err)
	}
	for _, tc := range []struct{ name, data, want string }{
		{"missing.json", `{"strategy": "x"}`, "missing.json: missing field alpha"},
		{"absurd.json", `{"alpha": 1e300}`, "absurd.json: field alpha 1e+300: must be from -1000 to 1000"},
		{"string.json", `{"alpha": "NaN"}`, "string.json: json: cannot unmarshal string"},
		{"bad.json", `{"alpha": NaN}`, "bad.json: invalid character"},
	} {
		if _, err := ReadCalibrated(ctx, write(tc.name, tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadCalibrated(ctx, "/dev/zero"); !errors.Is(err, input.ErrNotRegular) {
		t.Errorf("/dev/zero: %v", err)
	}
}
