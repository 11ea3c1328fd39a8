package search

import (
	"cmp"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"
)

// bruteArchive returns the individuals no other dominates, one per key, sorted.
func bruteArchive(inds []Individual[int]) []Individual[int] {
	var out []Individual[int]
	seen := map[string]bool{}
	for _, a := range inds {
		if seen[a.Key] {
			continue
		}
		seen[a.Key] = true
		dominated := false
		for _, b := range inds {
			dominated = dominated || Dominates(b.Eval, a.Eval)
		}
		if !dominated {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b Individual[int]) int {
		if c := slices.Compare(a.Objectives, b.Objectives); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

func TestArchiveMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	forShapes(t, func(t *testing.T, m int, constrained bool) {
		for range 200 {
			evals := randomEvals(rng, rng.Intn(50), m, 1+rng.Intn(6), constrained)
			inds := make([]Individual[int], len(evals))
			for i, e := range evals {
				// Genome i; keys repeat for about one in five, with the same evaluation.
				inds[i] = Individual[int]{Genome: i, Key: fmt.Sprint("k", i), Eval: e}
				if i > 0 && rng.Intn(5) == 0 {
					inds[i] = inds[rng.Intn(i)]
				}
			}
			checkArchive(t, inds, rng)
		}
	})
}

// checkArchive adds inds to an archive, in their order and shuffled, and fails unless
// it ends up as the brute-force archive.
func checkArchive(t *testing.T, inds []Individual[int], rng *rand.Rand) {
	t.Helper()
	want := bruteArchive(inds)
	for pass := range 2 { // the order of arrival must not matter
		a := newArchive[int]()
		for _, ind := range inds {
			hint := 0
			rejected := a.rejects(ind.Eval, &hint)
			if a.add(ind) && rejected {
				t.Fatalf("%v entered although rejected", ind)
			}
		}
		if got := a.front(); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("pass %d: archive\n%v\nwant\n%v", pass, got, want)
		}
		if a.feasible() != (len(want) > 0 && want[0].Feasible()) {
			t.Fatalf("feasible = %v, want %v", a.feasible(), !a.feasible())
		}
		rng.Shuffle(len(inds), func(i, j int) { inds[i], inds[j] = inds[j], inds[i] })
	}
}

func TestArchiveCompacts(t *testing.T) {
	// Every point dominates all before it, so the store fills with departed members.
	rng := rand.New(rand.NewSource(5))
	for _, m := range []int{2, 3} {
		var inds []Individual[int]
		for i := range 3000 {
			f := make([]float64, m)
			for j := range f {
				f[j] = float64(3000 - i)
			}
			f[0] += float64(rng.Intn(2)) // and some trade off
			inds = append(inds, Individual[int]{Genome: i, Key: fmt.Sprint(i), Eval: Eval{Objectives: f}})
		}
		a := newArchive[int]()
		for _, ind := range inds {
			a.add(ind)
		}
		if len(a.store) > 1024+4*len(a.members) {
			t.Errorf("M=%d: store of %d for %d members", m, len(a.store), len(a.members))
		}
		checkArchive(t, inds, rng)
	}
}
