package search

import (
	"math"
	"testing"
)

func TestCrowdingDistance(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name   string
		points [][]float64
		want   []float64
	}{
		{"empty", nil, []float64{}},
		{"one point", [][]float64{{1, 1}}, []float64{inf}},
		{"two points", [][]float64{{0, 1}, {1, 0}}, []float64{inf, inf}},
		{"four points", [][]float64{{0, 4}, {1, 2}, {2, 1}, {4, 0}}, []float64{inf, 1.25, 1.25, inf}},
		{"input order does not matter", [][]float64{{2, 1}, {4, 0}, {0, 4}, {1, 2}}, []float64{1.25, inf, inf, 1.25}},
		{"a duplicate gets 0 and leaves the gaps", [][]float64{{0, 4}, {1, 2}, {1, 2}, {4, 0}}, []float64{inf, 2, 0, inf}},
		{"two distinct points and a copy", [][]float64{{1, 1}, {1, 1}, {2, 0}}, []float64{inf, 0, inf}},
		{"objective without spread adds nothing", [][]float64{{0, 5}, {1, 5}, {3, 5}}, []float64{inf, 1, inf}},
		{"gap to an infinite neighbour", [][]float64{{0}, {1}, {2}, {inf}}, []float64{inf, 1, inf, inf}},
		{"infinite objective", [][]float64{{0, inf}, {1, 2}, {2, 1}, {3, 0}}, []float64{inf, inf, 5.0 / 3, inf}},
		{"Inf - Inf is no gap", [][]float64{{inf, 0}, {inf, 1}, {inf, 2}, {0, 3}}, []float64{inf, 2.0 / 3, inf, inf}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CrowdingDistance(tt.points)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] && math.Abs(got[i]-tt.want[i]) > 1e-12 {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
