package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// expensiveArgs are a search whose evaluations take seconds: stable rank of sampled weights.
var expensiveArgs = []string{"--latency", "flops", "--mode", "sampled", "--stat", "stable-rank",
	"--population", "12", "--max-evals", "12", "--seed", "1"}

// BenchmarkWorkerProcesses times whole processes on an expensive objective: a local search
// with one worker, and the same search through NATS (embedded server) with one and with two
// 'zeronas worker' processes of concurrency 1. The ratios are against the local run of the
// same iteration.
func BenchmarkWorkerProcesses(b *testing.B) {
	bin := buildBinary(b)
	dir := b.TempDir()
	var local, one, two, localCPU, oneCPU, twoCPU time.Duration
	for i := range b.N {
		t0 := time.Now()
		args := append([]string{"search", "--out", filepath.Join(dir, fmt.Sprint("local", i)), "--workers", "1"}, expensiveArgs...)
		cmd := exec.Command(bin, args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("local run: %v\n%s", err, out)
		}
		local += time.Since(t0)
		localCPU += cpu(cmd)
		d, c := natsRun(b, bin, filepath.Join(dir, fmt.Sprint("one", i)), 1)
		one, oneCPU = one+d, oneCPU+c
		d, c = natsRun(b, bin, filepath.Join(dir, fmt.Sprint("two", i)), 2)
		two, twoCPU = two+d, twoCPU+c
	}
	n := float64(b.N)
	b.ReportMetric(local.Seconds()/n, "s-local-1-worker")
	b.ReportMetric(one.Seconds()/n, "s-nats-1-process")
	b.ReportMetric(two.Seconds()/n, "s-nats-2-processes")
	b.ReportMetric(localCPU.Seconds()/n, "cpu-s-local")
	b.ReportMetric(oneCPU.Seconds()/n, "cpu-s-nats-1-process")
	b.ReportMetric(twoCPU.Seconds()/n, "cpu-s-nats-2-processes")
	b.ReportMetric(local.Seconds()/one.Seconds(), "speedup-1-process")
	b.ReportMetric(local.Seconds()/two.Seconds(), "speedup-2-processes")
}

// cpu returns the user and system time of a finished command.
func cpu(cmd *exec.Cmd) time.Duration {
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// natsRun times a search through an embedded server with n worker processes, and returns
// the CPU time of all the processes.
func natsRun(b *testing.B, bin, out string, n int) (wall, cpuTime time.Duration) {
	t0 := time.Now()
	co := start(b, bin, append([]string{"search", "--out", out, "--nats", "embedded", "--insecure-local", "--nats-listen", "127.0.0.1:0"}, expensiveArgs...)...)
	url := regexp.MustCompile(`nats://\S+`).FindString(co.waitFor(b, `^NATS JetStream server for workers: nats://`, 1))
	var ws []*proc
	for range n {
		ws = append(ws, start(b, bin, "worker", "--nats", url, "--concurrency", "1"))
	}
	co.wait(b, "the coordinator")
	wall, cpuTime = time.Since(t0), cpu(co.cmd)
	for _, w := range ws {
		w.cmd.Process.Signal(syscall.SIGTERM)
		<-w.done
		cpuTime += cpu(w.cmd)
	}
	return wall, cpuTime
}
