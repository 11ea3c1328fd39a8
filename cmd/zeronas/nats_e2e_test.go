package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// natsArgs are a search whose evaluations take a while (sampled weights), so that workers
// are killed in the middle of a task.
var natsArgs = []string{"--latency", "flops", "--mode", "sampled", "--generations", "3", "--population", "10", "--seed", "7"}

// proc is a zeronas process whose stderr lines are watched.
type proc struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	added chan struct{}
	done  chan error
}

func start(t testing.TB, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), added: make(chan struct{}, 1), done: make(chan error, 1)}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
			select {
			case p.added <- struct{}{}:
			default:
			}
		}
		io.Copy(io.Discard, stderr)
		p.done <- p.cmd.Wait()
	}()
	return p
}

// waitFor waits until n stderr lines match re and returns the last of them.
func (p *proc) waitFor(t testing.TB, re string, n int) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(2 * time.Minute)
	for {
		p.mu.Lock()
		var got []string
		for _, l := range p.lines {
			if rx.MatchString(l) {
				got = append(got, l)
			}
		}
		p.mu.Unlock()
		if len(got) >= n {
			return got[n-1]
		}
		select {
		case <-p.added:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no %d lines matching %q after 2 minutes:\n%s", n, re, p.stderr())
		}
	}
}

func (p *proc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// wait waits for the process to exit and fails the test unless it succeeded.
func (p *proc) wait(t testing.TB, what string) {
	t.Helper()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("%s: %v\n%s", what, err, p.stderr())
		}
	case <-time.After(3 * time.Minute):
		t.Fatalf("%s did not finish in 3 minutes:\n%s", what, p.stderr())
	}
}

// natsStat returns a count from the coordinator's closing "nats" log line.
func natsStat(t *testing.T, p *proc, name string) int {
	t.Helper()
	m := regexp.MustCompile(`"` + name + `": (\d+)`).FindStringSubmatch(p.waitFor(t, `INFO\s+nats\s`, 1))
	if m == nil {
		t.Fatalf("no %s in the coordinator's log", name)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func reference(t *testing.T, bin, dir string) string {
	t.Helper()
	ref := filepath.Join(dir, "ref")
	if out, err := exec.Command(bin, append([]string{"search", "--out", ref, "--workers", "2"}, natsArgs...)...).CombinedOutput(); err != nil {
		t.Fatalf("reference run: %v\n%s", err, out)
	}
	return ref
}

// TestNATSWorkerKilledMidTask: a worker SIGKILLed while it evaluates; its task is delivered
// again to another worker, and the run equals a local one byte for byte.
func TestNATSWorkerKilledMidTask(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	ref := reference(t, bin, dir)
	run := filepath.Join(dir, "nats")
	co := start(t, bin, append([]string{"search", "--out", run, "--nats", "embedded", "--insecure-local", "--nats-listen", "127.0.0.1:0",
		"--nats-ack-wait", "2s", "--verbose"}, natsArgs...)...)
	url := regexp.MustCompile(`nats://\S+`).FindString(co.waitFor(t, `^NATS JetStream server for workers: nats://`, 1))
	doomed := start(t, bin, "worker", "--nats", url, "--concurrency", "1", "--name", "doomed", "--verbose")
	doomed.waitFor(t, `"evaluating"|\tevaluating\t`, 4) // the fourth task, after three results
	doomed.cmd.Process.Signal(syscall.SIGKILL)
	<-doomed.done
	if l := doomed.lines[len(doomed.lines)-1]; !strings.Contains(l, "evaluating") {
		t.Fatalf("the worker was not in the middle of a task; its last line: %s", l)
	}
	start(t, bin, "worker", "--nats", url, "--concurrency", "2", "--name", "survivor")
	co.wait(t, "the coordinator")
	if n := natsStat(t, co, "redelivered"); n < 1 {
		t.Errorf("%d results came from a second delivery, want at least 1", n)
	}
	sameRun(t, ref, run)
}

// TestNATSCoordinatorKilledMidGeneration: the coordinator (with its embedded server) is
// SIGKILLed mid-generation; zeronas resume takes up the results already published and
// gives the local run's bytes.
func TestNATSCoordinatorKilledMidGeneration(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	ref := reference(t, bin, dir)
	run := filepath.Join(dir, "nats")
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	co := start(t, bin, append([]string{"search", "--out", run, "--nats", "embedded", "--insecure-local", "--nats-listen", listen, "--verbose"}, natsArgs...)...)
	co.waitFor(t, `^NATS JetStream server for workers`, 1)
	w := start(t, bin, "worker", "--nats", "nats://"+listen, "--concurrency", "2", "--verbose")
	w.waitFor(t, `\tevaluated\t`, 15) // generation 0 has 10 evaluations: this is in generation 1
	co.cmd.Process.Signal(syscall.SIGKILL)
	<-co.done
	if _, err := os.Stat(filepath.Join(run, "checkpoint.json")); err != nil {
		t.Fatalf("no checkpoint before the kill: %v", err)
	}
	re := start(t, bin, "resume", run, "--nats", "embedded", "--insecure-local", "--nats-listen", listen, "--verbose")
	re.wait(t, "resume")
	if n := natsStat(t, re, "reused"); n < 1 {
		t.Errorf("the resume reused %d published results, want at least 1", n)
	}
	sameRun(t, ref, run)
}

// TestRealNATSServer runs a search against the nats-server binary (built from the module
// by 'make nats-e2e', named by $ZERONAS_NATS_SERVER) with three worker processes, a token,
// and a server restart mid-run: file storage loses nothing and nothing is evaluated twice
// into the archive, which equals a local run's byte for byte.
func TestRealNATSServer(t *testing.T) {
	server := os.Getenv("ZERONAS_NATS_SERVER")
	if server == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ZERONAS_NATS_SERVER is not set: run 'make nats-e2e'")
		}
		t.Skip("needs the nats-server binary: run 'make nats-e2e'")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	ref := reference(t, bin, dir)
	port, store := freePort(t), filepath.Join(dir, "store")
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	startServer := func() *proc {
		s := start(t, server, "-js", "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-sd", store, "--auth", "s3cret")
		s.waitFor(t, "Server is ready", 1)
		return s
	}
	srv := startServer()
	run := filepath.Join(dir, "nats")
	co := start(t, bin, append([]string{"search", "--out", run, "--nats", url, "--nats-token", "s3cret", "--verbose"}, natsArgs...)...)
	var workers []*proc
	for i := range 3 {
		workers = append(workers, start(t, bin, "worker", "--nats", url, "--nats-token", "s3cret", "--concurrency", "1",
			"--name", fmt.Sprintf("w%d", i), "--verbose"))
	}
	// Restart the server once 4 tasks are done, by whichever workers took them: one worker
	// alone may finish fewer than 4 before the run ends.
	waitForAll(t, workers, `\tevaluated\t`, 4)
	srv.cmd.Process.Signal(syscall.SIGTERM)
	<-srv.done
	time.Sleep(500 * time.Millisecond)
	startServer()
	co.wait(t, "the coordinator")
	sameRun(t, ref, run)
	lines, err := os.ReadFile(filepath.Join(run, "archive.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n, published := strings.Count(string(lines), "\n"), natsStat(t, co, "published"); published != n {
		t.Errorf("%d tasks published for %d architectures", published, n)
	}
	for _, w := range workers {
		if !strings.Contains(w.stderr(), "evaluated") {
			t.Logf("worker evaluated nothing:\n%s", w.stderr())
		}
	}
}

// waitForAll waits until n stderr lines of the processes together match re.
func waitForAll(t testing.TB, ps []*proc, re string, n int) {
	t.Helper()
	rx := regexp.MustCompile(re)
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		got := 0
		for _, p := range ps {
			p.mu.Lock()
			for _, l := range p.lines {
				if rx.MatchString(l) {
					got++
				}
			}
			p.mu.Unlock()
		}
		if got >= n {
			return
		}
	}
	t.Fatalf("fewer than %d lines matching %q after 2 minutes", n, re)
}
