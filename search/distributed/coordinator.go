package distributed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/space"
)

// Coordinator is a search.Evaluator that sends each architecture to the workers as a task
// and waits for their results. It is safe for one search at a time.
type Coordinator struct {
	js     jetstream.JetStream
	res    *resources
	hash   string
	device string
	m      int
	opt    Options
	log    *zap.Logger
	stop   func()

	mu       sync.Mutex
	results  map[string]outcome    // by architecture ID: the first valid result
	pending  map[string]space.Arch // tasks the current Evaluate waits for
	refused  map[string]int        // invalid results per pending ID
	changed  chan struct{}         // closed and replaced whenever results change
	synced   chan struct{}         // closed once the results published before are read
	stats    Stats
	consumed jetstream.ConsumeContext
	advisory *nats.Subscription
}

// Stats count what a Coordinator did.
type Stats struct {
	Published   int // tasks published
	Reused      int // results found already published (by a run that stopped)
	Duplicates  int // duplicate results ignored
	Redelivered int // results that came from a task's second or later delivery
	Refused     int // invalid results refused
}

type outcome struct {
	eval   search.Eval
	err    string
	worker string
}

// NewCoordinator creates the JetStream resources on nc, publishes spec and reads the
// results already published for it. Close releases it.
func NewCoordinator(ctx context.Context, nc *nats.Conn, spec *Spec, o Options, log *zap.Logger) (*Coordinator, error) {
	o = o.withDefaults()
	data, hash, err := spec.Encode()
	if err != nil {
		return nil, err
	}
	if len(data) > maxSpecBytes {
		return nil, fmt.Errorf("settings of %d bytes, over the limit of %d", len(data), maxSpecBytes)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	device := spec.Device()
	if device != "" {
		if err := CheckDevice(device); err != nil {
			return nil, err
		}
	}
	res, err := ensure(ctx, js, o, device)
	if err != nil {
		return nil, err
	}
	if _, err := res.kv.Put(ctx, hash, data); err != nil {
		return nil, fmt.Errorf("publish settings %s: %w", hash, err)
	}
	c := &Coordinator{js: js, res: res, hash: hash, device: device, m: len(spec.Config.Objectives), opt: o, log: log,
		results: map[string]outcome{}, pending: map[string]space.Arch{}, refused: map[string]int{},
		changed: make(chan struct{}), synced: make(chan struct{})}
	cons, err := js.OrderedConsumer(ctx, ResultsStream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{resultsPrefix + hash + ".*"}})
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	info := cons.CachedInfo()
	if info == nil || info.NumPending == 0 {
		close(c.synced)
	}
	if c.consumed, err = cons.Consume(c.onResult); err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	subj := "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + TasksStream + "." + consumerName(device)
	if c.advisory, err = nc.Subscribe(subj, c.onMaxDeliveries); err != nil {
		c.consumed.Stop()
		return nil, fmt.Errorf("subscribe to %s: %w", subj, err)
	}
	select {
	case <-c.synced:
	case <-ctx.Done():
		c.Close()
		return nil, ctx.Err()
	}
	log.Info("coordinator", zap.String("settings", hash), zap.String("device", device), zap.Int("results_published_before", len(c.results)),
		zap.Duration("ack_wait", o.AckWait), zap.Int("max_deliver", o.MaxDeliver), zap.Int("replicas", o.Replicas))
	return c, nil
}

// Hash returns the settings hash tasks are keyed by.
func (c *Coordinator) Hash() string { return c.hash }

// Stats returns the counts so far.
func (c *Coordinator) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Close stops reading results and advisories.
func (c *Coordinator) Close() {
	c.consumed.Stop()
	c.advisory.Unsubscribe()
}

// Evaluate implements search.Evaluator: it publishes a task for every architecture whose
// result is not known yet and waits for all of them. The first architecture (in order)
// that failed is returned as a *search.EvalError with the worker's error.
func (c *Coordinator) Evaluate(ctx context.Context, p search.Problem[space.Arch], archs []space.Arch, keys []string) ([]search.Eval, error) {
	if m := p.NumObjectives(); m != c.m {
		return nil, fmt.Errorf("problem of %d objectives, settings of %d", m, c.m)
	}
	for i, a := range archs {
		if keys[i] != a.ID() {
			return nil, fmt.Errorf("key %s is not the ID of its architecture (%s)", keys[i], a.ID())
		}
	}
	c.mu.Lock()
	var todo []space.Arch
	for _, a := range archs {
		if _, ok := c.results[a.ID()]; !ok {
			c.pending[a.ID()] = a
			todo = append(todo, a)
		}
	}
	c.stats.Reused += len(archs) - len(todo)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		clear(c.pending)
		clear(c.refused)
		c.mu.Unlock()
	}()
	for _, a := range todo {
		if err := c.publish(ctx, a, 0); err != nil {
			return nil, err
		}
	}
	for {
		c.mu.Lock()
		evals, err, done := c.collect(keys)
		changed := c.changed
		c.mu.Unlock()
		if done {
			return evals, err
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// collect returns the evaluations of keys once all are known; c.mu is held.
func (c *Coordinator) collect(keys []string) ([]search.Eval, error, bool) {
	evals := make([]search.Eval, len(keys))
	for i, k := range keys {
		o, ok := c.results[k]
		if !ok {
			return nil, nil, false
		}
		evals[i] = o.eval
	}
	for _, k := range keys {
		if o := c.results[k]; o.err != "" {
			return nil, &search.EvalError{Key: k, Err: fmt.Errorf("failed on worker %s: %s", o.worker, o.err)}, true
		}
	}
	return evals, nil, true
}

// publishTimeout bounds one attempt to publish: a publish buffered while the client
// reconnects is tried again (the same key, so it is stored once) rather than waited for.
const publishTimeout = 2 * time.Second

// publish publishes the task of a, retrying until the server takes it or ctx is done (the
// server may be restarting). attempt distinguishes a task published again after a refused
// result from a duplicate.
func (c *Coordinator) publish(ctx context.Context, a space.Arch, attempt int) error {
	data, err := json.Marshal(newTask(c.opt.Version, c.hash, a))
	if err != nil {
		return err
	}
	id := c.hash + "." + a.ID() + "." + strconv.Itoa(attempt)
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		actx, cancel := context.WithTimeout(ctx, publishTimeout)
		_, err := c.js.Publish(actx, taskSubject(c.device, c.hash), data, jetstream.WithMsgID(id))
		cancel()
		if err == nil {
			c.mu.Lock()
			c.stats.Published++
			c.mu.Unlock()
			return nil
		}
		c.log.Warn("publish task: retrying", zap.String("id", a.ID()), zap.Error(err))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// onResult takes a result from the results stream.
func (c *Coordinator) onResult(msg jetstream.Msg) {
	if meta, err := msg.Metadata(); err == nil && meta.NumPending == 0 {
		defer c.markSynced()
	}
	r, err := decodeResult(msg.Subject(), msg.Data(), c.hash, c.m)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.stats.Refused++
		id := msg.Subject()[min(len(msg.Subject()), len(resultsPrefix+c.hash+".")):]
		c.log.Warn("refused a result", zap.String("subject", msg.Subject()), zap.String("worker", r.Worker), zap.Error(err))
		if a, ok := c.pending[id]; ok {
			c.refusedResult(id, a)
		}
		return
	}
	if _, ok := c.results[r.ID]; ok {
		c.stats.Duplicates++
		c.log.Debug("duplicate result ignored", zap.String("id", r.ID), zap.String("worker", r.Worker))
		return
	}
	if r.Deliveries > 1 {
		c.stats.Redelivered++
	}
	c.results[r.ID] = outcome{eval: search.Eval{Objectives: r.Objectives, Violation: r.Violation}, err: r.Error, worker: r.Worker}
	c.signal()
}

// refusedResult publishes the task of a pending ID again after a refused result (its
// worker acked it away), or fails it after MaxDeliver refusals; c.mu is held.
func (c *Coordinator) refusedResult(id string, a space.Arch) {
	c.refused[id]++
	n := c.refused[id]
	if n >= c.opt.MaxDeliver {
		go c.fail(id, fmt.Sprintf("%d invalid results refused", n))
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.publish(ctx, a, n); err != nil {
			c.log.Error("publish task again", zap.String("id", id), zap.Error(err))
		}
	}()
}

// fail records the architecture id as failed for reason, in the results stream, so that a
// resumed run finds the failure too.
func (c *Coordinator) fail(id, reason string) {
	c.log.Error("task failed", zap.String("id", id), zap.String("reason", reason))
	data, err := json.Marshal(Result{Protocol: Protocol, Settings: c.hash, ID: id, Error: reason, Worker: "coordinator"})
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		if _, err = c.js.Publish(ctx, resultsPrefix+c.hash+"."+id, data); err == nil {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	c.log.Error("record failure", zap.String("id", id), zap.Error(err))
}

func (c *Coordinator) markSynced() {
	select {
	case <-c.synced:
	default:
		close(c.synced)
	}
}

// signal wakes Evaluate; c.mu is held.
func (c *Coordinator) signal() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// maxDeliveries is the server's advisory on a task delivered MaxDeliver times.
type maxDeliveries struct {
	StreamSeq  uint64 `json:"stream_seq"`
	Deliveries uint64 `json:"deliveries"`
}

// onMaxDeliveries records as failed a task that no worker completed in MaxDeliver
// deliveries (workers died, or refused it), unless a worker already said why, and deletes
// it from the queue, where it would otherwise stay.
func (c *Coordinator) onMaxDeliveries(m *nats.Msg) {
	var adv maxDeliveries
	if err := json.Unmarshal(m.Data, &adv); err != nil || adv.StreamSeq == 0 {
		c.log.Warn("unreadable max-deliveries advisory", zap.Error(err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := c.res.tasks.GetMsg(ctx, adv.StreamSeq)
	if err != nil {
		if !errors.Is(err, jetstream.ErrMsgNotFound) {
			c.log.Warn("max-deliveries advisory: read task", zap.Uint64("seq", adv.StreamSeq), zap.Error(err))
		}
		return
	}
	t, _, decErr := decodeTask(raw.Subject, raw.Data, c.device)
	if decErr == nil && t.Settings != c.hash {
		return // another run's
	}
	if err := c.res.tasks.DeleteMsg(ctx, adv.StreamSeq); err != nil {
		c.log.Warn("delete failed task", zap.Uint64("seq", adv.StreamSeq), zap.Error(err))
	}
	if decErr != nil {
		return
	}
	c.mu.Lock()
	_, known := c.results[t.ID]
	c.mu.Unlock()
	if !known {
		c.fail(t.ID, fmt.Sprintf("delivered %d times without a result: workers died, timed out or refused it (see their logs)", adv.Deliveries))
	}
}
