package runlock

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary a lock holder (see TestMain).
const helperEnv = "RUNLOCK_TEST_HOLD"

// TestMain turns the test binary, re-executed with helperEnv=DIR, into a process that
// locks DIR, prints "locked" and then waits until stdin closes or it is killed; or, with
// DIR prefixed by "try:", one that tries once and prints the error.
func TestMain(m *testing.M) {
	dir, ok := os.LookupEnv(helperEnv)
	if !ok {
		os.Exit(m.Run())
	}
	if d, ok := strings.CutPrefix(dir, "try:"); ok {
		l, err := Acquire(d)
		if err != nil {
			fmt.Println(err)
			os.Exit(3)
		}
		l.Release()
		fmt.Println("acquired")
		os.Exit(0)
	}
	if _, err := Acquire(dir); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("locked")
	var b [1]byte
	os.Stdin.Read(b[:]) // until the parent closes stdin or kills us
	os.Exit(0)
}

// holder starts a process that holds dir's lock.
func holder(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "holder-marker")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	return cmd
}

func TestTwoAcquirersInOneProcess(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir)
	var be *BusyError
	if !errors.As(err, &be) || !errors.Is(err, ErrBusy) {
		t.Fatalf("second Acquire: %v, want a BusyError", err)
	}
	if !be.Known || be.Holder.PID != os.Getpid() || !strings.Contains(be.Holder.Command, os.Args[0]) {
		t.Errorf("holder %+v: want this process", be)
	}
	want := fmt.Sprintf("%s is in use by pid %d (%s", dir, os.Getpid(), os.Args[0])
	if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), ") since "+time.Now().UTC().Format("2006-01-02")) {
		t.Errorf("error %q: want it to start %q and give the date", err, want)
	}
	if err := Check(dir); !errors.Is(err, ErrBusy) {
		t.Errorf("Check while held: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
	if err := Check(dir); err != nil {
		t.Errorf("Check after release: %v", err)
	}
	l2, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

func TestAcquireNeedsTheDirectory(t *testing.T) {
	dir := t.TempDir() + "/missing"
	if _, err := Acquire(dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("Acquire of a missing directory: %v", err)
	}
	if err := Check(dir); err != nil {
		t.Errorf("Check of a missing directory: %v", err)
	}
}

func TestTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	cmd := holder(t, dir)
	_, err := Acquire(dir)
	var be *BusyError
	if !errors.As(err, &be) {
		t.Fatalf("Acquire while another process holds it: %v", err)
	}
	if be.Holder.PID != cmd.Process.Pid || !strings.Contains(be.Holder.Command, "holder-marker") {
		t.Errorf("holder %+v: want pid %d running holder-marker", be.Holder, cmd.Process.Pid)
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(cmd.Process.Pid)+" (") {
		t.Errorf("error %q does not name the holder", err)
	}

	// And the other way round: a second process is refused while this one holds it.
	dir2 := t.TempDir()
	l, err := Acquire(dir2)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	try := exec.Command(os.Args[0], "-test.run=^$")
	try.Env = append(os.Environ(), helperEnv+"=try:"+dir2)
	out, err := try.Output()
	if try.ProcessState.ExitCode() != 3 || !strings.Contains(string(out), fmt.Sprintf("in use by pid %d", os.Getpid())) {
		t.Errorf("second process: exit %d, %q, %v", try.ProcessState.ExitCode(), out, err)
	}
}

func TestKilledHolderReleases(t *testing.T) {
	dir := t.TempDir()
	cmd := holder(t, dir)
	if _, err := Acquire(dir); !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire while held: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Acquire after the holder was killed: %v", err)
	}
	defer l.Release()
	// The dead holder's record has been replaced by ours.
	_, err = Acquire(dir)
	var be *BusyError
	if !errors.As(err, &be) || be.Holder.PID != os.Getpid() {
		t.Errorf("holder after takeover: %v", err)
	}
}

func TestUnknownHolder(t *testing.T) {
	dir := t.TempDir()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if err := os.WriteFile(dir+"/"+FileName, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Acquire(dir)
	var be *BusyError
	if !errors.As(err, &be) || be.Known || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("Acquire with a damaged record: %v", err)
	}
}
