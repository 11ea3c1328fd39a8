package atomicfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestStaleTemporariesRemoved(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "front.json")
	dead, self := strconv.Itoa(deadPID(t)), strconv.Itoa(os.Getpid())
	old := time.Now().Add(-2 * time.Hour)
	files := []struct {
		name  string
		dir   bool
		mtime time.Time
		kept  bool
	}{
		{".front.json.tmp-" + dead + "-123", false, time.Now(), false}, // a killed writer's file
		{".front.json.tmp-" + dead + "-456", true, time.Now(), false},  // and folder, with content
		{".front.json.tmp-" + self + "-789", false, time.Now(), true},  // a live writer's
		{".front.json.tmp-" + self + "-790", false, time.Now().Add(-25 * time.Hour), false},
		{".front.json.tmp-98765", false, old, false},       // unnamed and old
		{".front.json.tmp-98766", false, time.Now(), true}, // unnamed and recent
		{".other.json.tmp-" + dead + "-1", false, time.Now(), true},
		{".front.json.tmp-" + dead + "-x", false, time.Now(), true}, // not ours
		{".front.json.tmp-5.tmp-" + dead + "-1", false, time.Now(), true},
		{"front.json.tmp-" + dead + "-1", false, time.Now(), true},
		{"notes.txt", false, old, true},
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if f.dir {
			if err := os.MkdirAll(filepath.Join(p, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, f.mtime, f.mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(target, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		_, err := os.Lstat(filepath.Join(dir, f.name))
		if kept := err == nil; kept != f.kept {
			t.Errorf("%s: kept %v, want %v", f.name, kept, f.kept)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Errorf("target holds %q", got)
	}
}

func TestTempNames(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "hf")
	d, err := MkdirTemp(target)
	if err != nil {
		t.Fatal(err)
	}
	rest := filepath.Base(d)[len(".hf.tmp-"):]
	if pid, named, ok := parseTemp(rest); !ok || !named || pid != os.Getpid() {
		t.Errorf("temporary folder %s does not name this process", d)
	}
	// This process is alive: its folder survives the next writer.
	if err := RemoveStale(target); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); err != nil {
		t.Errorf("a live writer's folder was removed: %v", err)
	}
	if err := RemoveStale(filepath.Join(dir, "missing", "x")); err != nil {
		t.Errorf("missing folder: %v", err)
	}
}
