// Package atomicfile replaces files so that a crash at any moment leaves either the old
// content or the new, never a mix: a temporary file in the same folder, fsync, rename,
// fsync of the folder.
//
// A temporary file of a target NAME is called .NAME.tmp-PID-RANDOM, PID being the
// writer's process id; a writer that is killed leaves it behind, and the next writer of
// the same target removes it (see RemoveStale).
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write replaces path with data, creating its folder if needed.
func Write(path string, data []byte) error {
	return WriteWith(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, os.Rename)
}

// WriteWith fills a temporary file next to path with what write writes, syncs it, and calls
// place(temporary, path) to put it in place (os.Rename replaces path; a caller that must not
// replace an existing file passes its own). The folder is synced afterwards, and the
// temporary file never outlives the call.
func WriteWith(path string, write func(io.Writer) error, place func(tmp, path string) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := CreateTemp(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once placed
	if err := fill(tmp, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := place(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(dir)
}

func fill(f *os.File, write func(io.Writer) error) error {
	defer f.Close()
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// SyncDir flushes a folder's entries, so that a rename in it survives a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
