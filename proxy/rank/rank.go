// Package rank computes rank correlations: Spearman's rho with average ranks for ties and
// Kendall's tau-b, the statistics zero-cost proxy papers report.
package rank

import (
	"errors"
	"math"
	"sort"
)

// ErrLength is returned for inputs of different lengths or fewer than two pairs.
var ErrLength = errors.New("rank: need two equal-length samples of at least two values")

// Ranks returns the ranks of x from 1, ties sharing their average rank.
func Ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
}

// Spearman returns Spearman's rank correlation of x and y: the Pearson correlation of their
// average ranks. It is NaN when either sample is constant.
func Spearman(x, y []float64) (float64, error) {
	if len(x) != len(y) || len(x) < 2 {
		return 0, ErrLength
	}
	return pearson(Ranks(x), Ranks(y)), nil
}

func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

// KendallTauB returns Kendall's tau-b of x and y, which corrects for ties in either sample,
// in O(n log n) (Knight 1966). It is NaN when either sample is constant.
func KendallTauB(x, y []float64) (float64, error) {
	n := len(x)
	if n != len(y) || n < 2 {
		return 0, ErrLength
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if x[i] != x[j] {
			return x[i] < x[j]
		}
		return y[i] < y[j]
	})
	ys := make([]float64, n)
	for k, i := range idx {
		ys[k] = y[i]
	}
	// Pairs tied in x, and tied in both.
	var tiedX, tiedXY int64
	for i := 0; i < n; {
		j, k := i, i
		for j+1 < n && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		tiedX += pairs(j - i + 1)
		for k = i; k <= j; {
			m := k
			for m+1 <= j && ys[m+1] == ys[k] {
				m++
			}
			tiedXY += pairs(m - k + 1)
			k = m + 1
		}
		i = j + 1
	}
	// Discordant pairs are the swaps a merge sort of y (ordered by x) makes.
	swaps := mergeCount(ys, make([]float64, n))
	var tiedY int64
	for i := 0; i < n; {
		j := i
		for j+1 < n && ys[j+1] == ys[i] {
			j++
		}
		tiedY += pairs(j - i + 1)
		i = j + 1
	}
	n0 := pairs(n)
	concMinusDisc := n0 - tiedX - tiedY + tiedXY - 2*swaps
	return float64(concMinusDisc) / math.Sqrt(float64(n0-tiedX)*float64(n0-tiedY)), nil
}

func pairs(k int) int64 { return int64(k) * int64(k-1) / 2 }

// mergeCount sorts a in place and returns the number of inversions (strictly greater
// elements before smaller ones).
func mergeCount(a, buf []float64) int64 {
	if len(a) < 2 {
		return 0
	}
	mid := len(a) / 2
	inv := mergeCount(a[:mid], buf[:mid]) + mergeCount(a[mid:], buf[mid:])
	i, j, k := 0, mid, 0
	for i < mid && j < len(a) {
		if a[j] < a[i] {
			buf[k] = a[j]
			inv += int64(mid - i)
			j++
		} else {
			buf[k] = a[i]
			i++
		}
		k++
	}
	k += copy(buf[k:], a[i:mid])
	copy(buf[k:], a[j:])
	copy(a, buf[:len(a)])
	return inv
}
