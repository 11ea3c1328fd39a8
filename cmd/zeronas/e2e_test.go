package main

import (
	"bytes"
	"errors"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds zeronas once per test binary run.
func buildBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "zeronas")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var searchArgs = []string{"--latency", "flops", "--generations", "30", "--population", "40", "--seed", "7"}

func sameRun(t *testing.T, a, b string) {
	t.Helper()
	for _, f := range []string{"front.json", "archive.jsonl"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil {
			t.Fatalf("read %s: %v %v", f, err1, err2)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between the straight run and the interrupted one", f)
		}
	}
}

// TestKillAndResume kills a search with SIGKILL at random moments, resumes it after each
// kill, and requires the result of an uninterrupted run, byte for byte.
func TestKillAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	ref, killed := filepath.Join(dir, "ref"), filepath.Join(dir, "killed")
	if out, err := exec.Command(bin, append([]string{"search", "--out", ref}, searchArgs...)...).CombinedOutput(); err != nil {
		t.Fatalf("reference run: %v\n%s", err, out)
	}
	rng := rand.New(rand.NewSource(1))
	kills := 0
	args := append([]string{"search", "--out", killed}, searchArgs...)
	for attempt := 0; attempt < 200; attempt++ {
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		// Later attempts wait longer, so a loaded machine still makes progress.
		delay := time.Duration(5+rng.Intn(60)+attempt) * time.Millisecond
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%v exited by itself with %v:\n%s", args, err, stderr.String())
			}
			if kills < 3 {
				t.Fatalf("the run finished after only %d kills: the test proves little", kills)
			}
			t.Logf("finished after %d kills", kills)
			sameRun(t, ref, killed)
			return
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			kills++
		}
		if _, err := os.Stat(filepath.Join(killed, "checkpoint.json")); err == nil {
			args = []string{"resume", killed}
		} else { // killed before its first checkpoint: start over, as a user would
			args = append([]string{"search", "--force", "--out", killed}, searchArgs...)
		}
	}
	t.Fatal("the run never finished")
}

// TestInterruptStopsAtBoundary sends SIGINT: the search stops at a generation boundary with
// exit code 130 and a complete checkpoint, and resuming it gives the uninterrupted result.
func TestInterruptStopsAtBoundary(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	ref, stopped := filepath.Join(dir, "ref"), filepath.Join(dir, "stopped")
	long := []string{"--latency", "flops", "--generations", "120", "--population", "40", "--seed", "3"}
	if out, err := exec.Command(bin, append([]string{"search", "--out", ref}, long...)...).CombinedOutput(); err != nil {
		t.Fatalf("reference run: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"search", "--out", stopped}, long...)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ { // wait for the first checkpoint
		if _, err := os.Stat(filepath.Join(stopped, "checkpoint.json")); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitCancelled {
		t.Fatalf("after SIGINT: %v, want exit %d", err, exitCancelled)
	}
	if out, err := exec.Command(bin, "resume", stopped).CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	sameRun(t, ref, stopped)
}
