package proxy

import (
	"math"
	"testing"

	"github.com/zeronas/zeronas/space"
)

const benchFile = "../experiments/data/nas-bench-bert/nas-bench-bert-dev.json"

func benchParts(t *testing.T, s Settings) (Parts, []float64) {
	t.Helper()
	recs, err := space.ReadRecords(benchFile, nbb(t))
	if err != nil {
		t.Fatal(err)
	}
	z := mustZeroLM(t, s)
	var p Parts
	var y []float64
	for _, r := range recs {
		sc := z.Score(r.Arch)
		p.Attn = append(p.Attn, sc.Attn)
		p.FFN = append(p.FFN, sc.FFN)
		y = append(y, r.Scores["glue"])
	}
	return p, y
}

// TestDefaultAlphaReproduces recalibrates with the shipped provenance and requires the
// shipped alpha: the default is a measurement anyone can repeat, not a constant.
func TestDefaultAlphaReproduces(t *testing.T) {
	d := DefaultAlpha()
	if d.Strategy != "sampling" || d.Sample != 50 {
		t.Fatalf("default alpha provenance %+v: want benchmark sampling on 50 records", d)
	}
	p, y := benchParts(t, d.Settings)
	c, err := CalibrateSampling(p, y, d.Sample, d.Seed, DefaultGrid())
	if err != nil {
		t.Fatal(err)
	}
	if c.Alpha != d.Alpha {
		t.Errorf("recalibrated alpha %v, shipped %v: run `make default-alpha`", c.Alpha, d.Alpha)
	}
}

func TestCalibrateSampling(t *testing.T) {
	// Labels are the attention sum alone: every positive grid alpha orders the sample like
	// attention does only when alpha is near 1, and the grid must find it.
	p := Parts{Attn: []float64{1, 2, 3, 4, 5, 6}, FFN: []float64{6, 1, 5, 2, 4, 3}}
	y := []float64{10, 20, 30, 40, 50, 60}
	c, err := CalibrateSampling(p, y, 6, 1, Grid{From: 0, To: 1, Step: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Grid) != 11 || c.Grid[10].Tau != 1 || c.Alpha < 0.85 {
		t.Errorf("calibration %+v", c)
	}
	for _, k := range []int{2, 7} {
		if _, err := CalibrateSampling(p, y, k, 1, DefaultGrid()); err == nil {
			t.Errorf("sample %d accepted", k)
		}
	}
	if _, err := CalibrateSampling(p, y, 6, 1, Grid{From: 1, To: 0, Step: 0.1}); err == nil {
		t.Error("empty grid accepted")
	}
}

func TestGridValues(t *testing.T) {
	vs, err := DefaultGrid().Values()
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 31 || vs[0] != -1.5 || vs[15] != 0 || vs[30] != 1.5 || math.Abs(vs[16]-0.1) > 0 {
		t.Errorf("grid %v", vs)
	}
}

func TestHeuristicBalancesSpread(t *testing.T) {
	z := mustZeroLM(t, DefaultSettings())
	c, err := CalibrateHeuristic(z, nbb(t), 500, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !(c.Alpha > 0 && c.Alpha < 1) || c.Strategy != "heuristic" {
		t.Errorf("heuristic alpha %+v", c)
	}
}
