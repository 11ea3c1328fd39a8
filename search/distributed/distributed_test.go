package distributed

import (
	"context"
	"errors"
	"math/rand"
	"net"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

const testVersion = "test"

func testConfig(t testing.TB) *rundir.Config {
	t.Helper()
	sp, err := space.Load("nas-bench-bert")
	if err != nil {
		t.Fatal(err)
	}
	return &rundir.Config{Version: testVersion, Space: sp,
		Objectives: []rundir.ObjectiveSpec{{Name: "proxy", Sense: "max"}, {Name: "params", Sense: "min"}, {Name: "flops", Sense: "min"}},
		Proxy:      proxy.DefaultSettings(), Strategy: "nsga2", NSGA2: search.NSGA2{PopSize: 16}, Seed: 3,
		Budget: rundir.Budget{Generations: 5}, MaxParams: 8e6}
}

// startServer starts an embedded server without a token on a free loopback port.
func startServer(t testing.TB, dir, listen string) *Embedded {
	t.Helper()
	e, err := StartEmbedded(EmbeddedOptions{StoreDir: dir, Listen: listen, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func connect(t testing.TB, u string) *nats.Conn {
	t.Helper()
	nc, err := Connect(u, t.Name(), Credentials{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// startWorkers runs n workers of concurrency 2 on their own connections until the test ends.
func startWorkers(t testing.TB, u string, n int, version string, eval evalFunc) []*Worker {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	var ws []*Worker
	for i := range n {
		log := zaptest.NewLogger(t)
		if _, bench := t.(*testing.B); bench {
			log = zap.NewNop()
		}
		w := &Worker{Name: "w" + string(rune('0'+i)), Version: version, Concurrency: 2, Log: log, evalHook: eval}
		ws = append(ws, w)
		nc := connect(t, u)
		wg.Go(func() { w.Run(ctx, nc) })
	}
	return ws
}

// localRun is the reference: the run of cfg on the local pool.
func localRun(t testing.TB, cfg *rundir.Config) *search.Result[space.Arch] {
	t.Helper()
	return minimize(t, context.Background(), cfg, nil, nil)
}

func minimize(t testing.TB, ctx context.Context, cfg *rundir.Config, ev search.Evaluator[space.Arch], rec search.Recorder[space.Arch]) *search.Result[space.Arch] {
	t.Helper()
	out, err := tryMinimize(ctx, cfg, ev, rec)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func tryMinimize(ctx context.Context, cfg *rundir.Config, ev search.Evaluator[space.Arch], rec search.Recorder[space.Arch]) (*search.Result[space.Arch], error) {
	p, err := cfg.Problem("")
	if err != nil {
		return nil, err
	}
	m, _ := cfg.Method()
	s := cfg.Settings()
	return search.Minimize(ctx, p, p, m, &s, &search.Options[space.Arch]{Evaluator: ev, Recorder: rec})
}

func coordinator(t testing.TB, nc *nats.Conn, cfg *rundir.Config, o Options) *Coordinator {
	t.Helper()
	spec, err := SpecOf("", testVersion, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if o.Version == "" {
		o.Version = testVersion
	}
	c, err := NewCoordinator(context.Background(), nc, spec, o, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func sameResult(t testing.TB, want, got *search.Result[space.Arch]) {
	t.Helper()
	if !reflect.DeepEqual(want.State, got.State) || !reflect.DeepEqual(want.Front, got.Front) || want.Status != got.Status {
		t.Fatalf("the distributed run differs from the local one: status %v and %v, fronts of %d and %d",
			want.Status, got.Status, len(want.Front), len(got.Front))
	}
}

func TestDistributedEqualsLocal(t *testing.T) {
	cfg := testConfig(t)
	want := localRun(t, cfg)
	e := startServer(t, t.TempDir(), "")
	defer e.Shutdown()
	startWorkers(t, e.URL(), 2, testVersion, nil)
	c := coordinator(t, connect(t, e.URL()), cfg, Options{})
	got := minimize(t, context.Background(), cfg, c, nil)
	sameResult(t, want, got)
	st := c.Stats()
	if st.Published != got.Evaluations || st.Refused != 0 {
		t.Errorf("stats %+v for %d evaluations", st, got.Evaluations)
	}
	// A second coordinator of the same settings finds every result published.
	c2 := coordinator(t, connect(t, e.URL()), cfg, Options{})
	sameResult(t, want, minimize(t, context.Background(), cfg, c2, nil))
	if st := c2.Stats(); st.Published != 0 || st.Reused != got.Evaluations {
		t.Errorf("the second coordinator published %d tasks and reused %d results, want 0 and %d", st.Published, st.Reused, got.Evaluations)
	}
}

// onGeneration is a Recorder that calls f after each generation.
type onGeneration func(gen int)

func (onGeneration) Init(search.RunInfo) error { return nil }
func (f onGeneration) Record(r *search.Report[space.Arch]) error {
	f(r.Generation)
	return nil
}

func TestServerRestartMidRun(t *testing.T) {
	skipShort(t)
	cfg := testConfig(t)
	cfg.Budget.Generations = 8
	want := localRun(t, cfg)
	store := t.TempDir()
	e := startServer(t, store, "")
	u, _ := url.Parse(e.URL())
	_, port, _ := net.SplitHostPort(u.Host)
	startWorkers(t, e.URL(), 2, testVersion, nil)
	c := coordinator(t, connect(t, e.URL()), cfg, Options{AckWait: 2 * time.Second})
	var restarted *Embedded
	var wg sync.WaitGroup
	got := minimize(t, context.Background(), cfg, c, onGeneration(func(gen int) {
		if gen == 3 { // down while generation 4 is published
			e.Shutdown()
			wg.Go(func() {
				time.Sleep(500 * time.Millisecond)
				restarted = startServer(t, store, "127.0.0.1:"+port)
			})
		}
	}))
	wg.Wait()
	defer restarted.Shutdown()
	sameResult(t, want, got)
	if st := c.Stats(); st.Published != got.Evaluations {
		t.Errorf("published %d tasks for %d evaluations", st.Published, got.Evaluations)
	}
}

func TestRefusedVersionFailsAfterMaxDeliver(t *testing.T) {
	skipShort(t)
	cfg := testConfig(t)
	e := startServer(t, t.TempDir(), "")
	defer e.Shutdown()
	startWorkers(t, e.URL(), 1, "other-version", nil)
	c := coordinator(t, connect(t, e.URL()), cfg, Options{MaxDeliver: 2})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := tryMinimize(ctx, cfg, c, nil)
	var ee *search.EvalError
	if !errorsAs(err, &ee) {
		t.Fatalf("err %v, want an EvalError", err)
	}
	t.Log(err)
}

func TestWorkerErrorIsRecorded(t *testing.T) {
	skipShort(t)
	cfg := testConfig(t)
	e := startServer(t, t.TempDir(), "")
	defer e.Shutdown()
	startWorkers(t, e.URL(), 1, testVersion, func(context.Context, space.Arch) (search.Eval, error) {
		return search.Eval{}, errBoom
	})
	c := coordinator(t, connect(t, e.URL()), cfg, Options{MaxDeliver: 2})
	_, err := tryMinimize(context.Background(), cfg, c, nil)
	var ee *search.EvalError
	if !errorsAs(err, &ee) || !contains(err.Error(), errBoom.Error()) || !contains(err.Error(), "w0") {
		t.Fatalf("err %v, want an EvalError with the worker's name and error", err)
	}
}

var errBoom = errors.New("boom")

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func newRand() *rand.Rand { return rand.New(rand.NewSource(time.Now().UnixNano())) }

// freePorts returns n ports free at the moment.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// TestLongEvaluationKeepsItsTask: evaluations that take 2.5 AckWaits are not delivered
// again, thanks to in-progress acks.
func TestLongEvaluationKeepsItsTask(t *testing.T) {
	skipShort(t)
	cfg := testConfig(t)
	cfg.NSGA2.PopSize, cfg.Budget = 4, rundir.Budget{Evaluations: 4}
	want := localRun(t, cfg)
	p, err := cfg.Problem("")
	if err != nil {
		t.Fatal(err)
	}
	e := startServer(t, t.TempDir(), "")
	defer e.Shutdown()
	const ackWait = time.Second
	startWorkers(t, e.URL(), 1, testVersion, func(ctx context.Context, a space.Arch) (search.Eval, error) {
		time.Sleep(5 * ackWait / 2)
		return p.Evaluate(ctx, a)
	})
	c := coordinator(t, connect(t, e.URL()), cfg, Options{AckWait: ackWait})
	sameResult(t, want, minimize(t, context.Background(), cfg, c, nil))
	if st := c.Stats(); st.Redelivered != 0 || st.Duplicates != 0 {
		t.Errorf("%d results from redeliveries and %d duplicates, want none", st.Redelivered, st.Duplicates)
	}
}

// skipShort skips a test that waits on AckWait or measures in the -short (race) run; the
// plain run has them all.
func skipShort(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs without -short")
	}
}
