package search

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"
)

// inclusionExclusion is the reference hypervolume: the measure of the union of the boxes
// [p, ref] by the inclusion-exclusion principle, exponential in the number of points.
func inclusionExclusion(points [][]float64, ref []float64) float64 {
	var in [][]float64
	for _, p := range points {
		if strictlyBelow(p, ref) {
			in = append(in, p)
		}
	}
	vol := 0.0
	for mask := 1; mask < 1<<len(in); mask++ {
		corner := make([]float64, len(ref))
		for i, p := range in {
			if mask&(1<<i) == 0 {
				continue
			}
			for m := range corner {
				corner[m] = max(corner[m], p[m])
			}
		}
		box := 1.0
		for m := range corner {
			box *= ref[m] - corner[m]
		}
		if bits := popcount(mask); bits%2 == 1 {
			vol += box
		} else {
			vol -= box
		}
	}
	return vol
}

func popcount(x int) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

func TestHypervolumeMatchesInclusionExclusion(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for m := 1; m <= 5; m++ {
		t.Run(fmt.Sprintf("M=%d", m), func(t *testing.T) {
			for trial := range 200 {
				n := rng.Intn(12)
				points := make([][]float64, n)
				for i := range points {
					points[i] = make([]float64, m)
					for j := range points[i] {
						points[i][j] = float64(rng.Intn(6)) / 4 // ties, duplicates, some beyond ref
					}
				}
				ref := slices.Repeat([]float64{1.1}, m)
				want := inclusionExclusion(points, ref)
				got := Hypervolume(slices.Clone(points), ref)
				if math.Abs(got-want) > 1e-9 {
					t.Fatalf("trial %d: Hypervolume = %v, want %v for %v", trial, got, want, points)
				}
			}
		})
	}
}

func TestHypervolumeCases(t *testing.T) {
	tests := []struct {
		name   string
		points [][]float64
		ref    []float64
		want   float64
	}{
		{"empty", nil, []float64{1, 1}, 0},
		{"one point", [][]float64{{0, 0}}, []float64{2, 3}, 6},
		{"staircase", [][]float64{{0, 2}, {1, 1}, {2, 0}}, []float64{3, 3}, 6},
		{"dominated and repeated points add nothing", [][]float64{{0, 2}, {1, 1}, {1, 1}, {2, 2}, {2, 0}}, []float64{3, 3}, 6},
		{"a point on the reference adds nothing", [][]float64{{0, 3}, {1, 1}}, []float64{3, 3}, 4},
		{"3-D corner", [][]float64{{0, 0, 0}}, []float64{1, 2, 3}, 6},
		{"3-D two boxes", [][]float64{{0, 0, 1}, {1, 1, 0}}, []float64{2, 2, 2}, 4 + 2 - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Hypervolume(tt.points, tt.ref); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("Hypervolume = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNormalizedHypervolume(t *testing.T) {
	// The ideal point alone dominates the whole normalised box of side 1.1.
	got := NormalizedHypervolume([][]float64{{10, -5}}, []float64{10, -5}, []float64{20, 5})
	if want := 1.1 * 1.1; math.Abs(got-want) > 1e-12 {
		t.Errorf("NormalizedHypervolume = %v, want %v", got, want)
	}
	// The nadir point dominates a box of side 0.1; a zero range counts as 1.
	got = NormalizedHypervolume([][]float64{{20, 3}}, []float64{10, 3}, []float64{20, 3})
	if want := 0.1 * 1.1; math.Abs(got-want) > 1e-12 {
		t.Errorf("NormalizedHypervolume = %v, want %v", got, want)
	}
}

// spherePoints returns n random points on the positive unit sphere in m dimensions: all
// mutually non-dominated.
func spherePoints(n, m int, seed int64) [][]float64 {
	rng := rand.New(rand.NewSource(seed))
	points := make([][]float64, n)
	for i := range points {
		p, norm := make([]float64, m), 0.0
		for j := range p {
			p[j] = math.Abs(rng.NormFloat64())
			norm += p[j] * p[j]
		}
		for j := range p {
			p[j] /= math.Sqrt(norm)
		}
		points[i] = p
	}
	return points
}

func TestHypervolume3DSphere(t *testing.T) {
	// Many points of the unit sphere approach 1.1^3 - pi/6 from below.
	hv := Hypervolume(spherePoints(3000, 3, 1), []float64{1.1, 1.1, 1.1})
	if want := 1.331 - math.Pi/6; hv > want || hv < want-0.02 {
		t.Errorf("Hypervolume = %v, want just below %v", hv, want)
	}
}

func BenchmarkHypervolume3D(b *testing.B) {
	ref := []float64{1.1, 1.1, 1.1}
	for _, n := range []int{100, 1000, 5000} {
		points := spherePoints(n, 3, 1)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			for b.Loop() {
				Hypervolume(points, ref)
			}
		})
	}
}
