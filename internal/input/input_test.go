package input

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// returnsAt calls f in a goroutine and fails if it is still blocked after a long time:
// a guard against hanging the test run, not a timing assertion.
func returnsAt(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("blocked")
		return nil
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	content := bytes.Repeat([]byte("0123456789"), 300000) // 3 MB: several chunks
	if err := os.WriteFile(small, content, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(context.Background(), small, 0)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	if got, err := ReadFile(context.Background(), small, int64(len(content))); err != nil || len(got) != len(content) {
		t.Errorf("a file exactly at the limit: %d bytes, %v", len(got), err)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o644)
	if got, err := ReadFile(context.Background(), empty, 10); err != nil || len(got) != 0 {
		t.Errorf("empty file: %q, %v", got, err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink(small, link)
	if _, err := ReadFile(context.Background(), link, 0); err != nil {
		t.Errorf("a symbolic link to a regular file: %v", err)
	}
}

func TestRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, kind string }{
		{"/dev/zero", "a character device"},
		{fifo, "a named pipe"}, // no writer: a plain open would block forever
		{dir, "a directory"},
		{"/dev/null", "a character device"},
	} {
		err := returnsAt(t, func() error { _, err := ReadFile(context.Background(), tc.path, 0); return err })
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.kind) {
			t.Errorf("%s: %v, want an error naming it as %s", tc.path, err, tc.kind)
		}
	}
	if _, err := ReadFile(context.Background(), filepath.Join(dir, "none"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.jsonl")
	if err := os.WriteFile(path, make([]byte, 1001), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(context.Background(), path, 1000)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != 1000 || err.Error() != path+": larger than the input limit of 1000 bytes" {
		t.Errorf("explicit limit: %v", err)
	}

	t.Setenv(LimitEnv, "1000")
	_, err = ReadFile(context.Background(), path, 0)
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "limit of 1000 bytes; raise it with ZERONAS_MAX_INPUT_BYTES=BYTES") {
		t.Errorf("configured limit: %v", err)
	}
	t.Setenv(LimitEnv, "1001")
	if _, err := ReadFile(context.Background(), path, 0); err != nil {
		t.Errorf("raised limit: %v", err)
	}
	for _, bad := range []string{"-5", "0", "lots", "1e9"} {
		t.Setenv(LimitEnv, bad)
		if _, err := ReadFile(context.Background(), path, 0); err == nil || !strings.Contains(err.Error(), LimitEnv+`="`+bad+`"`) {
			t.Errorf("%s=%s: %v", LimitEnv, bad, err)
		}
	}
	t.Setenv(LimitEnv, "")
	if n, err := ConfiguredLimit(); n != DefaultLimit || err != nil {
		t.Errorf("default limit %d, %v", n, err)
	}
}

// endless is an unending stream of zeros that cancels a context after a few chunks.
type endless struct {
	reads  int
	cancel func()
}

func (e *endless) Read(p []byte) (int, error) {
	e.reads++
	if e.reads == 3 {
		e.cancel()
	}
	clear(p)
	return len(p), nil
}

// TestReadStopsWhenCancelled reads a stream that grows without end under a huge limit:
// only cancellation can stop it, and it must stop at the next chunk.
func TestReadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &endless{cancel: cancel}
	_, err := readAll(ctx, r, 0, 1<<40)
	if !errors.Is(err, context.Canceled) || r.reads != 3 {
		t.Errorf("after %d reads: %v, want context.Canceled after 3", r.reads, err)
	}
	_, err = readAll(context.Background(), io.LimitReader(&endless{cancel: func() {}}, 5<<20), 0, 4<<20)
	if !errors.Is(err, errTooLarge) {
		t.Errorf("a stream over the limit: %v", err)
	}

	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("x"), 0o644)
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFile(ctx, path, 0); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), path) {
		t.Errorf("cancelled context: %v", err)
	}
}
