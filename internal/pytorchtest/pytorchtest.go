// Package pytorchtest runs Python scripts with PyTorch from Go tests.
package pytorchtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Python returns an interpreter that imports torch: $ZERONAS_PYTHON, /usr/bin/python3
// (where Debian's python3-torch installs) or python3 on the PATH. Without one the test is
// skipped, except in CI (CI=true), where .ci/run installs python3-torch and a missing torch
// is a failure. With -short (the Makefile's race-detector pass) it skips: the full pass
// runs these tests.
func Python(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("PyTorch tests run in the full (not -short) pass")
	}
	cands := []string{os.Getenv("ZERONAS_PYTHON"), "/usr/bin/python3", "python3"}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if out, err := exec.Command(c, "-c", "import torch; print(torch.__version__)").Output(); err == nil {
			t.Logf("python %s, torch %s", c, strings.TrimSpace(string(out)))
			return c
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no python3 that imports torch (.ci/run installs python3-torch); tried " + strings.Join(cands[1:], ", "))
	}
	t.Skip("no python3 that imports torch: apt-get install -y python3-torch")
	return ""
}

// Run runs script with dir first on sys.path and returns its standard output; a failure
// fails the test with the script's standard error. torch runs on one thread: the machines
// are shared, where its thread pool only contends.
func Run(t testing.TB, py, dir, script string, args ...string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "script.py")
	prelude := "import sys\nsys.path.insert(0, r'" + dir + "')\n"
	if err := os.WriteFile(path, []byte(prelude+script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, append([]string{path}, args...)...)
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return out
}
