package distributed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/space"
)

// refuseDelay is how long a task this worker refused stays away from it: long enough for
// another worker to take it.
const refuseDelay = 2 * time.Second

// Worker evaluates tasks from the work queue.
type Worker struct {
	// Name identifies the worker in results and logs.
	Name string
	// Version is the zeronas version of this worker; it refuses tasks of others.
	Version string
	// Concurrency is the number of tasks evaluated at once. If 0, 1.
	Concurrency int
	// Device, if not empty, makes this a worker of runs whose latency is measured on the
	// device of that name: it takes only their tasks and measures each architecture's
	// forward pass here, with Measurement (zero: the defaults of 'zeronas latency measure').
	Device      string
	Measurement latency.Options
	Log         *zap.Logger

	mu       sync.Mutex
	problems map[string]*built
	done     int
	evalHook evalFunc // tests replace the evaluation
}

type evalFunc func(context.Context, space.Arch) (search.Eval, error)

type built struct {
	once sync.Once
	p    *nas.Problem
	err  error
}

// Run evaluates tasks until ctx is done. It waits for a coordinator to create the queue.
func (w *Worker) Run(ctx context.Context, nc *nats.Conn) error {
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	w.problems = map[string]*built{}
	if w.Device != "" {
		if err := CheckDevice(w.Device); err != nil {
			return err
		}
	}
	cons, err := w.consumer(ctx, js)
	if err != nil {
		return err
	}
	cfg := cons.CachedInfo().Config
	w.Log.Info("worker ready", zap.String("worker", w.Name), zap.Int("concurrency", max(1, w.Concurrency)),
		zap.Duration("ack_wait", cfg.AckWait), zap.Int("max_deliver", cfg.MaxDeliver))
	var wg sync.WaitGroup
	for range max(1, w.Concurrency) {
		wg.Go(func() {
			for ctx.Err() == nil {
				msg, err := cons.Next(jetstream.FetchMaxWait(time.Second))
				if err != nil {
					if !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
						time.Sleep(250 * time.Millisecond) // the server may be restarting
					}
					continue
				}
				w.handle(ctx, js, msg, cfg)
			}
		})
	}
	wg.Wait()
	return nil
}

// Done returns the number of tasks this worker evaluated and acked.
func (w *Worker) Done() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done
}

// consumer waits for the shared consumer a coordinator creates.
func (w *Worker) consumer(ctx context.Context, js jetstream.JetStream) (jetstream.Consumer, error) {
	for said := false; ; said = true {
		cons, err := js.Consumer(ctx, TasksStream, consumerName(w.Device))
		if err == nil {
			return cons, nil
		}
		if !said {
			w.Log.Info("waiting for a coordinator to create the work queue", zap.Error(err))
		}
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// handle evaluates one task, publishes its result and then acks it.
func (w *Worker) handle(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, cfg jetstream.ConsumerConfig) {
	meta, err := msg.Metadata()
	if err != nil {
		w.Log.Warn("refused a message without metadata", zap.Error(err))
		msg.Term()
		return
	}
	t, a, err := decodeTask(msg.Subject(), msg.Data(), w.Device)
	if err != nil {
		w.Log.Warn("refused a malformed task", zap.String("subject", msg.Subject()), zap.Error(err))
		msg.TermWithReason(err.Error())
		return
	}
	log := w.Log.With(zap.String("id", t.ID), zap.String("settings", t.Settings), zap.Uint64("delivery", meta.NumDelivered))
	if t.Version != w.Version {
		log.Warn("refused a task: it needs another zeronas version; left for another worker",
			zap.String("task_version", t.Version), zap.String("worker_version", w.Version))
		msg.NakWithDelay(refuseDelay)
		return
	}
	p, err := w.problem(ctx, js, t.Settings)
	if err != nil {
		log.Warn("refused a task: cannot honour its settings; left for another worker", zap.Error(err))
		msg.NakWithDelay(refuseDelay)
		return
	}
	res := Result{Protocol: Protocol, Settings: t.Settings, ID: t.ID, Worker: w.Name, Deliveries: meta.NumDelivered}
	if err := p.Space.Validate(a); err != nil {
		// It can never be evaluated: record the failure rather than leave the run waiting.
		log.Warn("refused a task: architecture not of the run's space", zap.Error(err))
		res.Error = truncate("not an architecture of the run's space: "+err.Error(), maxErrorBytes)
		w.finish(ctx, js, msg, res, log)
		return
	}
	log.Info("evaluating")
	t0 := time.Now()
	e, err := w.evaluate(ctx, p, a, msg, cfg.AckWait)
	if err == nil {
		err = checkEval(e, len(p.Set.Objectives)) // a measurement may fail
	}
	switch {
	case err != nil && ctx.Err() != nil:
		msg.Nak() // shutting down: someone else, at once
		return
	case err != nil && int(meta.NumDelivered) < cfg.MaxDeliver:
		log.Warn("evaluation failed; the task will be delivered again", zap.Error(err))
		msg.NakWithDelay(time.Second)
		return
	case err != nil:
		log.Error("evaluation failed on the last delivery: recording the failure", zap.Error(err))
		res.Error = truncate(err.Error(), maxErrorBytes)
	default:
		res.Objectives, res.Violation = e.Objectives, e.Violation
	}
	if w.finish(ctx, js, msg, res, log) && res.Error == "" {
		w.mu.Lock()
		w.done++
		w.mu.Unlock()
		log.Info("evaluated", zap.Duration("took", time.Since(t0)))
	}
}

// finish publishes res and then acks the task (terminates it, for a failure), reporting
// whether the result was stored.
func (w *Worker) finish(ctx context.Context, js jetstream.JetStream, msg jetstream.Msg, res Result, log *zap.Logger) bool {
	data, err := json.Marshal(res)
	if err == nil {
		_, err = js.Publish(ctx, resultsPrefix+res.Settings+"."+res.ID, data)
	}
	if err != nil {
		log.Warn("publish result failed; the task will be delivered again", zap.Error(err))
		msg.Nak()
		return false
	}
	if res.Error != "" {
		msg.Term()
		return true
	}
	// The result is stored (its publish was acknowledged); should this ack be lost, the
	// task comes again and its second result is a duplicate the coordinator ignores.
	if err := msg.Ack(); err != nil {
		log.Warn("ack failed (the result is published; a redelivery will be a duplicate)", zap.Error(err))
	}
	return true
}

// evaluate evaluates a with p, telling the server every ackWait/3 that it is still at it.
func (w *Worker) evaluate(ctx context.Context, p *nas.Problem, a space.Arch, msg jetstream.Msg, ackWait time.Duration) (search.Eval, error) {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(max(ackWait/3, 10*time.Millisecond))
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				msg.InProgress()
			case <-stop:
				return
			}
		}
	}()
	if w.evalHook != nil {
		return w.evalHook(ctx, a)
	}
	return p.Evaluate(ctx, a)
}

// problem returns the problem of the settings hash, built once from the settings bucket.
func (w *Worker) problem(ctx context.Context, js jetstream.JetStream, hash string) (*nas.Problem, error) {
	w.mu.Lock()
	b, ok := w.problems[hash]
	if !ok {
		b = &built{}
		w.problems[hash] = b
	}
	w.mu.Unlock()
	b.once.Do(func() { b.p, b.err = w.build(ctx, js, hash) })
	if b.err != nil { // not kept: the cause may pass (a server restarting)
		w.mu.Lock()
		if w.problems[hash] == b {
			delete(w.problems, hash)
		}
		w.mu.Unlock()
	}
	return b.p, b.err
}

func (w *Worker) build(ctx context.Context, js jetstream.JetStream, hash string) (*nas.Problem, error) {
	kv, err := js.KeyValue(ctx, SettingsBucket)
	if err != nil {
		return nil, fmt.Errorf("settings bucket: %w", err)
	}
	entry, err := kv.Get(ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("settings %s: %w", hash, err)
	}
	spec, err := decodeSpec(hash, entry.Value())
	if err != nil {
		return nil, err
	}
	if spec.Version != w.Version {
		return nil, fmt.Errorf("settings %s are of zeronas %s, this worker is %s", hash, spec.Version, w.Version)
	}
	if spec.Device() != w.Device {
		return nil, fmt.Errorf("settings %s measure latency on device %q, this worker is for %q", hash, spec.Device(), w.Device)
	}
	p, err := spec.Problem()
	if err != nil {
		return nil, fmt.Errorf("settings %s: %w", hash, err)
	}
	for _, o := range p.Set.Objectives {
		if m, ok := o.(*objectives.Measured); ok {
			m.Measure = w.measure(ctx)
		}
	}
	w.Log.Info("settings loaded", zap.String("settings", hash), zap.String("space", p.Space.Name))
	return p, nil
}

// measure returns the forward-pass latency in milliseconds of an architecture on this
// machine (the statistic of w.Measurement), or NaN when the measurement failed.
func (w *Worker) measure(ctx context.Context) func(space.Arch) float64 {
	return func(a space.Arch) float64 {
		r, err := latency.MeasureArch(ctx, a, w.Measurement)
		if err != nil {
			w.Log.Warn("measurement failed", zap.String("id", a.ID()), zap.Error(err))
			return math.NaN()
		}
		return r.MS
	}
}

// checkEval reports why e is not an evaluation of m objectives to publish.
func checkEval(e search.Eval, m int) error {
	if len(e.Objectives) != m {
		return fmt.Errorf("%d objectives, want %d", len(e.Objectives), m)
	}
	for i, f := range e.Objectives {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("objective %d is %v", i, f)
		}
	}
	if !(e.Violation >= 0) || math.IsInf(e.Violation, 0) {
		return fmt.Errorf("violation %v", e.Violation)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
