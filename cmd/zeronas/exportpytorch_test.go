package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/internal/runtest"
	"github.com/zeronas/zeronas/search/rundir"
)

// The pytorch format writes the module, configs and, with --weights, the weights; its flags
// are refused with other formats.
func TestExportPyTorch(t *testing.T) {
	exportRun := runtest.Make(t, nil)
	r, err := rundir.Open(exportRun)
	if err != nil {
		t.Fatal(err)
	}
	first := "000-" + r.Front.Front[0].ID
	dir := t.TempDir()
	out, errs, code := run(t, "export", exportRun, "--format", "pytorch", "--weights", "--seed", "3", "--out", filepath.Join(dir, "m"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "(pytorch)") {
		t.Errorf("stdout %q", out)
	}
	for _, f := range []string{"zeronas_models.py", first + "/config.json", first + "/model.safetensors"} {
		if _, err := os.Stat(filepath.Join(dir, "m", f)); err != nil {
			t.Error(err)
		}
	}
	for _, args := range [][]string{
		{"export", exportRun, "--format", "hf", "--weights", "--out", filepath.Join(dir, "hf")},
		{"export", exportRun, "--format", "pytorch", "--seed", "3", "--out", filepath.Join(dir, "p")},
	} {
		if _, errs, code := run(t, args...); code != 2 || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line", args, code, errs)
		}
	}
}
