package distributed

import (
	"context"
	"sync"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/search/rundir"
)

// TestDeviceLatency: latency measured on the workers of one device only; the measured
// values are published once, and a coordinator that resumes reuses them and measures
// nothing again.
func TestDeviceLatency(t *testing.T) {
	skipShort(t)
	cfg := testConfig(t)
	cfg.Objectives = []rundir.ObjectiveSpec{{Name: "proxy", Sense: "max"}, {Name: "latency", Sense: "min"}}
	cfg.Latency = rundir.LatencySpec{Model: rundir.DevicePrefix + "board", Description: "measured on workers for board"}
	cfg.NSGA2.PopSize, cfg.Budget.Generations, cfg.MaxParams = 6, 1, 0
	e := startServer(t, t.TempDir(), "")
	defer e.Shutdown()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	small := latency.Options{SeqLen: 8, Reps: 2, Warmup: -1}
	board := &Worker{Name: "board", Version: testVersion, Device: "board", Measurement: small, Log: zaptest.NewLogger(t)}
	other := &Worker{Name: "other-board", Version: testVersion, Device: "other", Measurement: small, Log: zaptest.NewLogger(t)}
	plain := &Worker{Name: "plain", Version: testVersion, Concurrency: 2, Log: zaptest.NewLogger(t)}
	for _, w := range []*Worker{board, other, plain} {
		nc := connect(t, e.URL())
		wg.Go(func() { w.Run(ctx, nc) })
	}
	c := coordinator(t, connect(t, e.URL()), cfg, Options{})
	got := minimize(t, context.Background(), cfg, c, nil)
	if other.Done() != 0 || plain.Done() != 0 {
		t.Errorf("workers of another device or none evaluated %d and %d tasks", other.Done(), plain.Done())
	}
	for _, ind := range got.Front {
		if lat := ind.Objectives[1]; !(lat > 0) {
			t.Errorf("%s: latency %v ms", ind.Key, lat)
		}
	}
	c2 := coordinator(t, connect(t, e.URL()), cfg, Options{})
	again := minimize(t, context.Background(), cfg, c2, nil)
	sameResult(t, got, again)
	if st := c2.Stats(); st.Published != 0 {
		t.Errorf("a second run of the settings published %d tasks: it measured again", st.Published)
	}
}

func TestSpecDevice(t *testing.T) {
	for model, want := range map[string]string{"": "", "flops": "", "table": "", "device:board": "board", "device:": ""} {
		s := &Spec{Config: &rundir.Config{Latency: rundir.LatencySpec{Model: model}}}
		if got := s.Device(); got != want {
			t.Errorf("latency model %q: device %q, want %q", model, got, want)
		}
	}
}
