package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search/rundir"
)

// The tests of this file are issue 9's careless and hostile user: each numbered case of
// the issue, run on the built binary, refused with a clear message or handled, and never a
// panic.

// binary builds zeronas once for every test of this file.
var binary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "zeronas-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "zeronas")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// zeronas runs the binary in dir with a deadline and returns its stdout, stderr and exit
// code; any sign of a panic in its stderr fails the test.
func zeronas(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	noPanic(t, errb.String())
	return out.String(), errb.String(), code
}

func noPanic(t *testing.T, stderr string) {
	t.Helper()
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Fatalf("stderr shows a panic:\n%s", stderr)
	}
}

// refused runs args and requires exit code want with every one of msgs on stderr.
func refused(t *testing.T, dir string, want int, args []string, msgs ...string) {
	t.Helper()
	_, errs, code := zeronas(t, dir, args...)
	if code != want {
		t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, want, errs)
	}
	for _, m := range msgs {
		if !strings.Contains(errs, m) {
			t.Errorf("%v: stderr %q lacks %q", args, errs, m)
		}
	}
}

var tiny = []string{"--latency", "flops", "--generations", "2", "--population", "6"}

// consistent requires dir to hold a run that opens and whose archive has one line per
// evaluation: no two writers' generations mixed.
func consistent(t *testing.T, dir string) {
	t.Helper()
	r, err := rundir.Open(dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	seen := map[string]bool{}
	err = r.Archive(context.Background(), func(l rundir.ArchiveLine) error {
		if seen[l.ID] {
			return fmt.Errorf("%s archived twice", l.ID)
		}
		seen[l.ID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != r.Front.Evaluations {
		t.Fatalf("%d archived architectures, %d evaluations", len(seen), r.Front.Evaluations)
	}
}

// Case 1: two writers on one run directory never mix it.
func TestTwoWriters(t *testing.T) {
	mustBinary(t) // here, not in the racing goroutines, which may not stop the test
	races := 200
	if testing.Short() {
		races = 20
	}
	work := t.TempDir()
	for i := range races {
		dir := fmt.Sprintf("r%d", i)
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for w := range 2 {
			wg.Go(func() {
				args := append([]string{"search", "--out", dir, "--seed", fmt.Sprint(w)}, tiny...)
				_, _, codes[w] = zeronas(t, work, args...)
			})
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			switch c {
			case 0:
				ok++
			case exitBusy, exitBadInput: // in use, or already holds the other's run
			default:
				t.Fatalf("race %d: exit codes %v", i, codes)
			}
		}
		if ok != 1 {
			t.Fatalf("race %d: %d writers succeeded (exit codes %v)", i, ok, codes)
		}
		consistent(t, filepath.Join(work, dir))
	}
	// A resume, or a search --force, while a search runs is refused at once, naming it.
	long := append([]string{"search", "--out", "long", "--space", "flexibert"}, "--latency", "flops", "--generations", "100000")
	bin, _ := binary()
	cmd := exec.Command(bin, long...)
	cmd.Dir = work
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitFor(t, filepath.Join(work, "long", rundir.CheckpointFile))
	refused(t, work, exitBusy, []string{"resume", "long"}, "long is in use by pid", "zeronas search --out long")
	refused(t, work, exitBusy, append([]string{"search", "--out", "long", "--force"}, tiny...), "in use by pid")
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Wait()
	consistent(t, filepath.Join(work, "long"))
}

func waitFor(t *testing.T, path string) {
	t.Helper()
	for start := time.Now(); time.Since(start) < time.Minute; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s never appeared", path)
}

// Cases 2 and 3: nothing of the user's is overwritten, and no refused command leaves a run
// directory that later commands cannot use.
func TestNothingOverwrittenNothingStuck(t *testing.T) {
	work := t.TempDir()
	os.Mkdir(filepath.Join(work, "d"), 0o755)
	os.WriteFile(filepath.Join(work, "d", "front.json"), []byte(`{"mine":1}`), 0o644)
	refused(t, work, exitBadInput, append([]string{"search", "--out", "d"}, tiny...), "d is not empty and holds no run (it holds front.json)")
	if b, _ := os.ReadFile(filepath.Join(work, "d", "front.json")); string(b) != `{"mine":1}` {
		t.Error("a user's front.json was overwritten")
	}
	for _, c := range []struct {
		flag []string
		msg  string
	}{
		{[]string{"--workers", "-3"}, "--workers -3: must be from 1 to"},
		{[]string{"--max-evals", "-5"}, "--max-evals -5: must be positive"},
		{[]string{"--generations", "-1"}, "--generations -1: must be positive"},
		{[]string{"--time-limit", "-1s"}, "--time-limit -1s: must be positive"},
		{[]string{"--max-params", "-1"}, "--max-params -1: must be positive"},
		{[]string{"--population", "1000000000"}, "--population 1000000000: must be from 2 to 100000"},
	} {
		refused(t, work, exitBadInput, append(append([]string{"search", "--out", "q"}, c.flag...), "--latency", "flops"), c.msg)
		if _, err := os.Stat(filepath.Join(work, "q", rundir.ConfigFile)); err == nil {
			t.Fatalf("%v wrote run.json", c.flag)
		}
	}
	if _, errs, code := zeronas(t, work, append([]string{"search", "--out", "q"}, tiny...)...); code != 0 {
		t.Fatalf("the corrected retry: exit %d: %s", code, errs)
	}
	before, _ := os.ReadFile(filepath.Join(work, "q", rundir.ConfigFile))
	refused(t, work, exitBadInput, []string{"resume", "q", "--generations", "-5"}, "--generations -5")
	if after, _ := os.ReadFile(filepath.Join(work, "q", rundir.ConfigFile)); !bytes.Equal(before, after) {
		t.Error("a refused resume changed run.json")
	}
	// A run killed before its first checkpoint resumes from generation 0.
	for _, f := range []string{rundir.CheckpointFile, rundir.FrontFile} {
		os.Remove(filepath.Join(work, "q", f))
	}
	if out, errs, code := zeronas(t, work, "resume", "q"); code != 0 || !strings.Contains(out, "after generation 2") {
		t.Fatalf("resume without a checkpoint: exit %d: %s %s", code, out, errs)
	}
	consistent(t, filepath.Join(work, "q"))
}

// Case 3, signals: two SIGINTs during generation 0 stop the search, say so truthfully, and
// leave a run that resume finishes.
func TestTwoSignalsInGenerationZero(t *testing.T) {
	work := t.TempDir()
	bin, _ := binary()
	// Sampled SVD statistics make generation 0 last seconds.
	cmd := exec.Command(bin, "search", "--out", "s", "--mode", "sampled", "--stat", "stable-rank", "--latency", "flops",
		"--population", "40", "--generations", "1", "--workers", "1")
	cmd.Dir = work
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, filepath.Join(work, "s", rundir.ConfigFile))
	time.Sleep(200 * time.Millisecond)
	// Two signals sent while the process is not scheduled arrive as one (the kernel does
	// not queue a pending signal twice): send the second until the process is gone.
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	cmd.Process.Signal(syscall.SIGINT)
	var err error
	for stop := false; !stop; {
		select {
		case err = <-done:
			stop = true
		case <-time.After(100 * time.Millisecond):
			cmd.Process.Signal(syscall.SIGINT)
		}
	}
	noPanic(t, errb.String())
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitCancelled {
		t.Fatalf("exit %v, want %d: %s", err, exitCancelled, errb.String())
	}
	if !strings.Contains(errb.String(), "before generation 0 completed") || strings.Contains(errb.String(), "generation -1") {
		t.Errorf("stderr %q", errb.String())
	}
}

// Case 4: unbounded and blocking inputs are refused at once; export stops on SIGINT and
// leaves nothing.
func TestUnboundedInputs(t *testing.T) {
	work := t.TempDir()
	benchFile, _ := filepath.Abs(benchFile)
	fifo := filepath.Join(work, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	refused(t, work, exitBadInput, []string{"score", "--bench", "/dev/zero", "--latency", "flops"}, "/dev/zero", "not a regular file")
	refused(t, work, exitBadInput, []string{"score", "--bench", fifo, "--latency", "flops"}, "fifo", "not a regular file")
	refused(t, work, exitBadInput, []string{"correlate", "--bench", benchFile, "--alpha-file", fifo}, "fifo", "not a regular file")
	big := filepath.Join(work, "big.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), 2048), 0o644)
	cmd := exec.Command(mustBinary(t), "score", "--bench", big, "--latency", "flops")
	cmd.Env = append(os.Environ(), "ZERONAS_MAX_INPUT_BYTES=1024")
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "larger than the input limit of 1024 bytes") {
		t.Errorf("over the limit: %s", out)
	}
	run := runtest.Make(t, nil)
	bin := mustBinary(t)
	exp := exec.Command(bin, "export", run, "--format", "hf", "--out", filepath.Join(work, "hf"), "--measure", "--reps", "100000", "--seq-len", "512")
	var errb bytes.Buffer
	exp.Stderr = &errb
	if err := exp.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	exp.Process.Signal(syscall.SIGINT)
	err := exp.Wait()
	noPanic(t, errb.String())
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitCancelled {
		t.Errorf("export after SIGINT: %v (%s), want exit %d", err, errb.String(), exitCancelled)
	}
	if entries, _ := filepath.Glob(filepath.Join(work, "*hf*")); len(entries) > 0 {
		t.Errorf("an interrupted export left %v", entries)
	}
}

func mustBinary(t *testing.T) string {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// Cases 5 to 9: numbers and settings that used to panic, pass as NaN or mean a silent
// default are refused, naming the flag or field and the limit.
func TestNumbers(t *testing.T) {
	work := t.TempDir()
	benchFile, _ := filepath.Abs(benchFile)
	yaml := filepath.Join(work, "dup.yaml")
	os.WriteFile(yaml, []byte("name: dup\narchitecture:\n  hidden_size: [128, 128, 256]\n  num_heads: [2]\n  encoder_layers: [2]\n"+
		"  operation_types: [sa]\n  number_of_feed-forward_stacks: [1]\n  feed-forward_hidden: [512]\n  operation_parameters:\n    sa: [sdp]\n"), 0o644)
	cases := []struct {
		args []string
		msgs []string
	}{
		{[]string{"calibrate", "--bench", benchFile, "--grid-step", "NaN"}, []string{"--grid-step NaN"}},
		{[]string{"calibrate", "--bench", benchFile, "--grid-from", "NaN"}, []string{"--grid-from NaN"}},
		{[]string{"calibrate", "--bench", benchFile, "--grid-to", "Inf"}, []string{"--grid-to +Inf"}},
		{[]string{"calibrate", "--bench", benchFile, "--grid-step", "1e-9"}, []string{"over the limit"}},
		{[]string{"score", "--bench", benchFile, "--alpha", "NaN"}, []string{"--alpha NaN"}},
		{[]string{"correlate", "--bench", benchFile, "--alpha", "NaN"}, []string{"--alpha NaN"}},
		{[]string{"search", "--out", "n", "--alpha", "NaN"}, []string{"--alpha NaN"}},
		{[]string{"search", "--out", "n", "--max-params", "Inf"}, []string{"--max-params +Inf"}},
		{[]string{"space", "count", "--space", yaml}, []string{"hidden_size", "128"}},
		{[]string{"search", "--out", "n", "--generations", "0"}, []string{"--generations 0"}},
		{[]string{"search", "--out", "n", "--max-evals", "0"}, []string{"--max-evals 0"}},
		{[]string{"search", "--out", "n", "--time-limit", "0s"}, []string{"--time-limit 0s"}},
		{[]string{"search", "--out", "n", "--max-params", "0"}, []string{"--max-params 0"}},
		{[]string{"latency", "measure", "--bench", benchFile, "--reps", "0"}, []string{"--reps 0"}},
		{[]string{"latency", "measure", "--bench", benchFile, "--warmup", "-1"}, []string{"--warmup -1"}},
		{[]string{"latency", "measure", "--bench", benchFile, "--threads", "1000"}, []string{"threads 1000"}},
		{[]string{"latency", "measure", "--bench", benchFile, "--batch", "100000"}, []string{"batch 100000"}},
		{[]string{"moo-bench", "--generations", "0"}, []string{"--generations 0"}},
		{[]string{"search", "--out", "n", "--population", "1000000000"}, []string{"--population 1000000000", "100000"}},
	}
	for _, c := range cases {
		refused(t, work, exitBadInput, c.args, c.msgs...)
	}
	if _, err := os.Stat(filepath.Join(work, "n")); err == nil {
		t.Error("a refused search left a run directory")
	}
	// Hand-edited run.json fields are refused by resume, naming the field.
	for _, c := range []struct{ old, new, msg string }{
		{`"pop_size": 8`, `"pop_size": -5`, "nsga2.pop_size: -5"},
		{`"hidden": [`, `"hidden": [], "was": [`, "hidden_size: no choices"},
	} {
		dir := runtest.Make(t, nil)
		path := filepath.Join(dir, rundir.ConfigFile)
		b, _ := os.ReadFile(path)
		os.WriteFile(path, bytes.Replace(b, []byte(c.old), []byte(c.new), 1), 0o644)
		refused(t, work, exitBadInput, []string{"resume", dir, "--generations", "8"}, "run.json", c.msg)
	}
}

// Case 10: the smaller defects.
func TestSmallerDefects(t *testing.T) {
	work := t.TempDir()
	// A global flag before the command is honoured.
	if _, errs, _ := zeronas(t, work, append([]string{"--verbose", "search", "--out", "v"}, tiny...)...); !strings.Contains(errs, "INFO") {
		t.Errorf("--verbose before the command logged nothing: %q", errs)
	}
	// An exhaustive run lists the architectures that entered its front.
	yaml := filepath.Join(work, "small.yaml")
	os.WriteFile(yaml, []byte("name: small\narchitecture:\n  hidden_size: [128, 256]\n  num_heads: [2]\n  encoder_layers: [2]\n"+
		"  operation_types: [sa, l]\n  number_of_feed-forward_stacks: [1]\n  feed-forward_hidden: [512, 1024]\n  operation_parameters:\n    sa: [sdp]\n    l: [dft]\n"), 0o644)
	if _, errs, code := zeronas(t, work, "search", "--out", "ex", "--space", yaml, "--strategy", "exhaustive", "--latency", "flops"); code != 0 {
		t.Fatalf("exhaustive: %s", errs)
	}
	r, err := rundir.Open(filepath.Join(work, "ex"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	r.Archive(context.Background(), func(rundir.ArchiveLine) error { n++; return nil })
	if n < len(r.Front.Front) {
		t.Errorf("exhaustive archive.jsonl lists %d architectures for a front of %d", n, len(r.Front.Front))
	}
	// Temporary files of killed writers are removed by the next writer.
	stale := filepath.Join(work, "v", ".front.json.tmp-999999999-1")
	os.WriteFile(stale, []byte("half"), 0o644)
	if _, errs, code := zeronas(t, work, "resume", "v", "--generations", "3"); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a dead writer's temporary file survived the next write")
	}
	// A finished run whose lock cannot be taken (a read-only copy) is complete, not an error.
	ro := runtest.Make(t, nil)
	os.Remove(filepath.Join(ro, ".zeronas.lock"))
	os.Mkdir(filepath.Join(ro, ".zeronas.lock"), 0o755) // cannot be opened for writing
	if out, errs, code := zeronas(t, work, "resume", ro); code != 0 || !strings.Contains(errs, "already complete") {
		t.Errorf("resume of an unwritable finished run: exit %d: %s %s", code, out, errs)
	}
	// resume --force --seed on a finished run changes nothing.
	before, _ := os.ReadFile(filepath.Join(work, "v", rundir.ConfigFile))
	if _, errs, code := zeronas(t, work, "resume", "v", "--force", "--seed", "2"); code != 0 || !strings.Contains(errs, "already complete") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if after, _ := os.ReadFile(filepath.Join(work, "v", rundir.ConfigFile)); !bytes.Equal(before, after) {
		t.Error("resume --force --seed rewrote run.json though nothing ran")
	}
	// A time-limited run is complete once its time is spent.
	if _, errs, code := zeronas(t, work, "search", "--out", "tl", "--latency", "flops", "--time-limit", "1ms"); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, _ := zeronas(t, work, "resume", "tl"); !strings.Contains(errs, "already complete") {
		t.Errorf("plain resume after a time limit ran again: %s", errs)
	}
	// CSV values carry no float noise and no column repeats another.
	out := filepath.Join(work, "f.csv")
	if _, errs, code := zeronas(t, work, "export", "v", "--format", "csv", "--out", out); code != 0 {
		t.Fatal(errs)
	}
	csv, _ := os.ReadFile(out)
	header := strings.SplitN(string(csv), "\n", 2)[0]
	if strings.Contains(header, "param_count") || strings.Contains(string(csv), "00000000") {
		t.Errorf("CSV:\n%s", csv)
	}
}
