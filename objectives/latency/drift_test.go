package latency

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/zeronas/zeronas/internal/testspaces"
	"github.com/zeronas/zeronas/space"
)

// fakeMachine is a timer whose load follows a script: each reference timing returns the
// next of refs (the last one repeated), and the blocks timed after it take that long times
// their nominal cost (1 + their index in the group, ms), as on a machine slowed by its
// neighbours. No wall clock is read.
type fakeMachine struct {
	refs       []float64
	next, runs int // reference timings and block timings so far
	load       float64
}

func (m *fakeMachine) reference(ctx context.Context) (float64, error) {
	if err := ctx.Err(); err != nil {
		return math.NaN(), err
	}
	m.load = m.refs[min(m.next, len(m.refs)-1)]
	m.next++
	return m.load, nil
}

func (m *fakeMachine) blocks(ctx context.Context, fs []func(), warmup, reps int) ([]Stats, error) {
	m.runs++
	out := make([]Stats, len(fs))
	for i, f := range fs {
		f() // the blocks are real; only their timing is made up
		ms := m.load * float64(1+i)
		out[i] = Stats{MedianMS: ms, P10MS: ms, P90MS: ms, MinMS: ms, Reps: reps, Warmup: warmup}
	}
	return out, nil
}

// driftLeft is the drift a calibration keeps when drifted groups saw a reference 50% slow
// and budget retries could time only some of them again.
func driftLeft(drifted, budget int) float64 {
	if budget >= drifted {
		return 0
	}
	return 0.5
}

func tinyGPT2(t *testing.T) *space.Space {
	t.Helper()
	sp, err := space.Parse("tiny-gpt2", []byte(testspaces.MicroGPT2))
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// tinyGroups is the number of groups Calibrate times the plan of sp in: its distinct
// computations, maxGroupBlocks at a time.
func tinyGroups(t *testing.T, sp *space.Space) int {
	t.Helper()
	keys := map[string]bool{}
	for _, e := range Plan(sp) {
		keys[computeKey(e)] = true
	}
	if len(keys) <= maxGroupBlocks {
		t.Fatalf("the plan of %d blocks fits in one group: the test needs several", len(keys))
	}
	return (len(keys) + maxGroupBlocks - 1) / maxGroupBlocks
}

// TestCalibrateRetriesDrift: a group timed while the reference kernel ran slower than
// RetryDrift allows is timed again; the table records the reference, the drift and the
// retries, and keeps the quiet timings.
func TestCalibrateRetriesDrift(t *testing.T) {
	sp := tinyGPT2(t)
	g := tinyGroups(t, sp)
	cases := []struct {
		name    string
		refs    []float64
		retried int
		drift   float64
		warn    bool
	}{
		// References before group 0, after group 0, after group 1, ...
		{"quiet", []float64{2}, 0, 0, false},
		{"within the threshold", []float64{2, 2.1, 2.19, 2}, 0, 0.095, false},
		// The machine slows by half after group 0: groups 0 and 1 see it (before or after
		// them) and are timed again, when it is quiet.
		{"a busy spell", append([]float64{2, 3, 2}, repeat(2, g)...), min(2, retryBudget(g)), driftLeft(2, retryBudget(g)), retryBudget(g) < 2},
		// A busy start: group 0 alone is timed again.
		{"a busy start", []float64{3, 2}, 1, 0, false},
		// A drift that retries never cure is recorded and warned about; retries stop at
		// the budget.
		{"busy throughout the retries", append([]float64{2, 2, 3}, repeat(3, 2*g+20)...), min(MaxRetries*(g-1), retryBudget(g)), 0.5, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			core, logs := observer.New(zap.InfoLevel)
			m := &fakeMachine{refs: c.refs}
			tab, err := calibrate(context.Background(), sp, tinyOptions, zap.New(core), m)
			if err != nil {
				t.Fatal(err)
			}
			r := tab.Reference
			if r == nil || r.MS != 2 || r.Kernel != ReferenceKernel || r.Threshold != RetryDrift || math.Abs(r.Drift-c.drift) > 1e-12 {
				t.Fatalf("reference %+v, want ms 2, drift %v", r, c.drift)
			}
			if r.Retried != c.retried {
				t.Errorf("retried %d groups, want %d", r.Retried, c.retried)
			}
			if r.Checks != m.next || m.runs != g+r.Retried+NetworkChecks {
				t.Errorf("checks %d (timed %d), group and network timings %d (want %d)", r.Checks, m.next, m.runs, g+r.Retried+NetworkChecks)
			}
			for _, e := range tab.Entries {
				if c.drift == 0 && e.MS > 2*maxGroupBlocks {
					t.Errorf("%s: %v ms kept from a busy spell", e, e.MS)
				}
			}
			warned := logs.FilterMessageSnippet("drifted during calibration").Len() > 0
			if warned != c.warn {
				t.Errorf("warning logged %t, want %t", warned, c.warn)
			}
			if c.retried > 0 && logs.FilterMessageSnippet("timing blocks again").Len() != r.Retried {
				t.Errorf("%d retry log lines for %d retries", logs.FilterMessageSnippet("timing blocks again").Len(), r.Retried)
			}
			// The file keeps the drift check.
			back, err := ParseTable("t.json", must(tab.Marshal()))
			if err != nil || *back.Reference != *r {
				t.Fatalf("read back: %+v, %v", back.Reference, err)
			}
		})
	}
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestLoadOrCalibrateDrift: a cached table is used while the reference kernel times as it
// did at calibration (within RecalibrateDrift), and recalibrated, with a log line, when it
// moved further, or when the table has no reference timing.
func TestLoadOrCalibrateDrift(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	sp := tinyGPT2(t)
	ctx := context.Background()
	first, err := loadOrCalibrate(ctx, sp, tinyOptions, nil, &fakeMachine{refs: []float64{2}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref          float64
		recalibrates bool
	}{{2.19, false}, {1.81, false}, {2.21, true}, {1.7, true}} {
		core, logs := observer.New(zap.InfoLevel)
		m := &fakeMachine{refs: []float64{c.ref}}
		tab, err := loadOrCalibrate(ctx, sp, tinyOptions, zap.New(core), m)
		if err != nil {
			t.Fatal(err)
		}
		recalibrated := m.runs > 0
		logged := logs.FilterMessageSnippet("reference kernel's timing moved").Len() == 1
		if recalibrated != c.recalibrates || logged != c.recalibrates {
			t.Errorf("reference %v against %v: recalibrated %t, logged %t, want %t", c.ref, first.Reference.MS, recalibrated, logged, c.recalibrates)
		}
		if recalibrated {
			if tab.Reference.MS != c.ref {
				t.Errorf("recalibrated table's reference %v, want %v", tab.Reference.MS, c.ref)
			}
			if err := first.Write(first.Path()); err != nil { // back to the table of speed 2
				t.Fatal(err)
			}
		}
	}
	// A cached table made before drift checks is recalibrated.
	old := *first
	old.Reference = nil
	if err := old.Write(first.Path()); err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.InfoLevel)
	m := &fakeMachine{refs: []float64{2}}
	if _, err := loadOrCalibrate(ctx, sp, tinyOptions, zap.New(core), m); err != nil {
		t.Fatal(err)
	}
	if m.runs == 0 || logs.FilterMessageSnippet("no reference timing").Len() != 1 {
		t.Errorf("table without reference: recalibrated %t, logs %v", m.runs > 0, logs.All())
	}
	data, err := os.ReadFile(first.Path())
	if err != nil || !strings.Contains(string(data), `"reference"`) {
		t.Errorf("cache not rewritten with a reference: %v", err)
	}
	// So is one made before network checks.
	old = *first
	old.Network = nil
	if err := old.Write(first.Path()); err != nil {
		t.Fatal(err)
	}
	m = &fakeMachine{refs: []float64{2}}
	tab, err := loadOrCalibrate(ctx, sp, tinyOptions, nil, m)
	if err != nil || m.runs == 0 || tab.Network == nil {
		t.Errorf("table without network check: recalibrated %t, network check %v, %v", m.runs > 0, tab.Network, err)
	}
}
