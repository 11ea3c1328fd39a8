package search_test

import (
	"context"
	"fmt"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/testproblems"
)

// ExampleMinimize runs NSGA-II on ZDT1 with Deb's bounded operators, then extends the
// finished run. (The figures are those of amd64; a platform that fuses multiply-adds may
// take another path to a similar front.)
func ExampleMinimize() {
	p := testproblems.ZDT1()
	settings := &search.Settings{Seed: 1, Generations: 100}
	mem := &search.Memory[[]float64]{} // in a real run, a Recorder that writes checkpoints
	res, err := search.Minimize(context.Background(), p, p.Variation(), search.NSGA2{PopSize: 100}, settings,
		&search.Options[[]float64]{Recorder: mem})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v after generation %d: %d evaluations, hypervolume %.2f\n",
		res.Status, res.State.Generation, res.Evaluations, res.Hypervolume)

	// Extend the finished run by 100 generations.
	resume, err := mem.Resume()
	if err != nil {
		panic(err)
	}
	settings.Generations = 200
	res, err = search.Minimize(context.Background(), p, p.Variation(), search.NSGA2{PopSize: 100}, settings,
		&search.Options[[]float64]{Recorder: mem, Resume: resume})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v after generation %d: %d evaluations, hypervolume %.2f, feasible %v\n",
		res.Status, res.State.Generation, res.Evaluations, res.Hypervolume, res.Feasible)
	// Output:
	// GenerationLimit after generation 100: 10100 evaluations, hypervolume 0.85
	// GenerationLimit after generation 200: 20100 evaluations, hypervolume 0.87, feasible true
}
