package distributed

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/zeronas/zeronas/space"
)

// garbage are results a broken or hostile worker might send for the task of id.
var garbage = []func(hash, id string) []byte{
	func(hash, id string) []byte { return []byte("not json") },
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2],"worker":"g"}`, hash, id)
	},
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2,3],"violation":-1,"worker":"g"}`, hash, id)
	},
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":"0123456789abcdef","objectives":[1,2,3],"worker":"g"}`, hash)
	},
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2,3],"worker":"g","extra":true}`, hash, id)
	},
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":2,"settings":%q,"id":%q,"objectives":[1,2,3],"worker":"g"}`, hash, id)
	},
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":1,"settings":"ffffffffffffffff","id":%q,"objectives":[1,2,3],"worker":"g"}`, id)
	},
	func(hash, id string) []byte {
		return fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":%q,"objectives":[1e999,2,3],"worker":"g"}`, hash, id)
	},
}

// garbageWorker is a test double that speaks the protocol but answers the first tasks it
// takes with garbage, acking them away, then stops.
func garbageWorker(t *testing.T, u string) {
	js, err := jetstream.New(connect(t, u))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var cons jetstream.Consumer
	for cons == nil {
		if cons, err = js.Consumer(ctx, TasksStream, WorkersConsumer); err != nil {
			time.Sleep(50 * time.Millisecond)
		}
	}
	for _, g := range garbage {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Errorf("garbage worker: %v", err)
			return
		}
		var task Task
		json.Unmarshal(msg.Data(), &task)
		if _, err := js.Publish(ctx, resultsPrefix+task.Settings+"."+task.ID, g(task.Settings, task.ID)); err != nil {
			t.Errorf("garbage worker: %v", err)
		}
		msg.Ack()
	}
}

func TestGarbageResultsAreRefusedAndLogged(t *testing.T) {
	cfg := testConfig(t)
	want := localRun(t, cfg)
	e := startServer(t, t.TempDir(), "")
	defer e.Shutdown()
	core, logs := observer.New(zap.WarnLevel)
	spec, _ := SpecOf("", testVersion, cfg)
	c, err := NewCoordinator(context.Background(), connect(t, e.URL()), spec, Options{Version: testVersion}, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go func() {
		garbageWorker(t, e.URL())
		startWorkers(t, e.URL(), 1, testVersion, nil) // the real worker comes after
	}()
	got := minimize(t, context.Background(), cfg, c, nil)
	sameResult(t, want, got)
	if st := c.Stats(); st.Refused != len(garbage) {
		t.Errorf("%d results refused, want %d", st.Refused, len(garbage))
	}
	if n := logs.FilterMessage("refused a result").Len(); n != len(garbage) {
		t.Errorf("%d refusals logged, want %d", n, len(garbage))
	}
	for _, l := range logs.FilterMessage("refused a result").All() {
		t.Log(l.ContextMap()["error"])
	}
}

func TestDecodeTask(t *testing.T) {
	sp, _ := space.Load("nas-bench-bert")
	a := sp.SampleByDepth(newRand())
	hash := "0123456789abcdef"
	good, _ := json.Marshal(newTask("v", hash, a))
	other := sp.SampleByDepth(newRand())
	for other.ID() == a.ID() {
		other = sp.SampleByDepth(newRand())
	}
	spaced := strings.Replace(string(a.Canonical()), ":", ": ", 1)
	for _, tc := range []struct {
		name, subject, data, want string
	}{
		{"good", tasksPrefix + hash, string(good), ""},
		{"wrong subject", tasksPrefix + "ffffffffffffffff", string(good), "subject"},
		{"not json", tasksPrefix + hash, "{", "invalid"},
		{"unknown field", tasksPrefix + hash, strings.Replace(string(good), `"protocol"`, `"x":1,"protocol"`, 1), "unknown field"},
		{"protocol", tasksPrefix + hash, strings.Replace(string(good), `"protocol":1`, `"protocol":9`, 1), "protocol 9"},
		{"id of another", tasksPrefix + hash, strings.Replace(string(good), a.ID(), other.ID(), 1), "but the architecture's is"},
		{"not canonical", tasksPrefix + hash, fmt.Sprintf(`{"protocol":1,"zeronas":"v","settings":%q,"id":%q,"arch":%s}`, hash, a.ID(), spaced), "canonical"},
		{"too large", tasksPrefix + hash, string(good) + strings.Repeat(" ", MaxMessageBytes), "over the limit"},
		{"bad id", tasksPrefix + hash, strings.Replace(string(good), a.ID(), "../x", 1), "id"},
	} {
		_, got, err := decodeTask(tc.subject, []byte(tc.data), "")
		switch {
		case tc.want == "" && (err != nil || got.ID() != a.ID()):
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err %v, want one saying %q", tc.name, err, tc.want)
		}
	}
}

func TestDecodeResult(t *testing.T) {
	hash, id := "0123456789abcdef", "fedcba9876543210"
	subj := resultsPrefix + hash + "." + id
	if _, err := decodeResult(subj, fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2,3],"violation":0.5,"worker":"w"}`, hash, id), hash, 3); err != nil {
		t.Fatalf("a good result: %v", err)
	}
	if _, err := decodeResult(subj, fmt.Appendf(nil, `{"protocol":1,"settings":%q,"id":%q,"error":"oom","worker":"w"}`, hash, id), hash, 3); err != nil {
		t.Fatalf("a failure: %v", err)
	}
	for i, g := range garbage {
		if _, err := decodeResult(subj, g(hash, id), hash, 3); err == nil {
			t.Errorf("garbage %d accepted", i)
		}
	}
	for name, data := range map[string]string{
		"failure with values": fmt.Sprintf(`{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2,3],"error":"x","worker":"w"}`, hash, id),
		"no worker":           fmt.Sprintf(`{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2,3]}`, hash, id),
		"long error":          fmt.Sprintf(`{"protocol":1,"settings":%q,"id":%q,"error":%q,"worker":"w"}`, hash, id, strings.Repeat("x", maxErrorBytes+1)),
		"two values":          fmt.Sprintf(`{"protocol":1,"settings":%q,"id":%q,"objectives":[1,2,3],"worker":"w"} {}`, hash, id),
	} {
		if _, err := decodeResult(subj, []byte(data), hash, 3); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// TestClusterNodeLost runs a search on a three-node JetStream cluster on 127.0.0.1 with
// every stream replicated three times and kills a node mid-run.
func TestClusterNodeLost(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node cluster")
	}
	cfg := testConfig(t)
	cfg.Budget.Generations = 8
	want := localRun(t, cfg)
	nodes := startCluster(t, 3)
	var urls []string
	for _, n := range nodes {
		urls = append(urls, n.ClientURL())
	}
	all := strings.Join(urls, ",")
	startWorkers(t, all, 2, testVersion, nil)
	c := coordinator(t, connect(t, all), cfg, Options{Replicas: 3, AckWait: 5 * time.Second})
	killed := false
	got := minimize(t, context.Background(), cfg, c, onGeneration(func(gen int) {
		if gen == 3 {
			nodes[0].Shutdown() // the first URL, which clients are likely connected to
			killed = true
		}
	}))
	if !killed {
		t.Fatal("no node was killed")
	}
	sameResult(t, want, got)
}

// startCluster starts n JetStream servers clustered on 127.0.0.1.
func startCluster(t *testing.T, n int) []*server.Server {
	t.Helper()
	ports := freePorts(t, n)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	var nodes []*server.Server
	for i := range n {
		o := &server.Options{ServerName: fmt.Sprintf("n%d", i), Host: "127.0.0.1", Port: server.RANDOM_PORT,
			JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
			Cluster: server.ClusterOpts{Name: "zeronas-test", Host: "127.0.0.1", Port: ports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ","))}
		s, err := server.NewServer(o)
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		t.Cleanup(s.Shutdown)
		nodes = append(nodes, s)
	}
	for _, s := range nodes {
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatal("cluster node not ready")
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for !hasMetaLeader(nodes) {
		if time.Now().After(deadline) {
			t.Fatal("no JetStream meta leader after 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nodes
}

func hasMetaLeader(nodes []*server.Server) bool {
	for _, s := range nodes {
		if s.JetStreamIsLeader() {
			return true
		}
	}
	return false
}
