// Package runlock gives one process at a time the right to write a directory: an
// exclusive flock(2) on a lock file inside it, taken without waiting and released by the
// kernel when the holder exits or dies, however it dies. The lock file records the holder
// (pid, command line, start time) so that a refused writer can say who holds the directory.
//
// flock locks belong to an open file, not to a process: two Acquire calls in one process
// exclude each other as two processes do. The lock file is never removed: removing it
// would let a process that opened the old file and one that creates a new file both
// hold a lock. Locks on network file systems are only as good as the server's.
package runlock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// FileName is the lock file's name inside a locked directory.
const FileName = ".zeronas.lock"

// maxCommand bounds the command line recorded, in bytes.
const maxCommand = 512

// Holder describes the process holding a lock.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

// String says who the holder is: pid 123 (zeronas search --out x) since 2026-11-30T14:31:00Z.
func (h Holder) String() string {
	return fmt.Sprintf("pid %d (%s) since %s", h.PID, h.Command, h.Since.UTC().Format(time.RFC3339))
}

// ErrBusy is matched (errors.Is) by the error of an Acquire refused because another
// holder has the lock.
var ErrBusy = errors.New("in use by another process")

// BusyError is the error of an Acquire refused because the directory is locked.
type BusyError struct {
	Dir string
	// Holder is the holder as its lock file records it; Known is false when the file
	// could not be read (a holder that is just starting, or a file damaged by hand).
	Holder Holder
	Known  bool
}

// Error names the directory and its holder.
func (e *BusyError) Error() string {
	if !e.Known {
		return fmt.Sprintf("%s is in use by another process (its lock file %s names no holder)", e.Dir, filepath.Join(e.Dir, FileName))
	}
	return fmt.Sprintf("%s is in use by %s", e.Dir, e.Holder)
}

// Is reports whether target is ErrBusy.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Lock is a held lock on a directory.
type Lock struct {
	f   *os.File
	dir string
}

// Acquire locks dir, which must exist, for the calling process, or returns at once a
// *BusyError naming the holder when another open lock (in this process or another) has it.
func Acquire(dir string) (*Lock, error) {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			h, ok := readHolder(f)
			return nil, &BusyError{Dir: dir, Holder: h, Known: ok}
		}
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := writeHolder(f, self()); err != nil {
		f.Close() // releases the lock
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return &Lock{f: f, dir: dir}, nil
}

// Release unlocks the directory; later calls do nothing. A process that exits releases
// its locks without calling it.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	// Clear the record first, so that no reader names a holder that has gone.
	terr := f.Truncate(0)
	if err := f.Close(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.dir, err)
	}
	if terr != nil {
		return fmt.Errorf("unlock %s: %w", l.dir, terr)
	}
	return nil
}

// Dir returns the locked directory.
func (l *Lock) Dir() string { return l.dir }

// Check reports, without taking it, whether dir is locked: a *BusyError naming the holder
// if it is, nil if it is not (or dir has no lock file). Its answer may be stale at once; a
// writer must Acquire.
func Check(dir string) error {
	f, err := os.Open(filepath.Join(dir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", dir, err)
	}
	defer f.Close()
	// A shared lock conflicts only with a holder's exclusive one.
	err = flock(f, unix.LOCK_SH|unix.LOCK_NB)
	switch {
	case err == nil:
		return nil // closing f releases it
	case errors.Is(err, unix.EWOULDBLOCK):
		h, ok := readHolder(f)
		return &BusyError{Dir: dir, Holder: h, Known: ok}
	}
	return fmt.Errorf("lock %s: %w", dir, err)
}

func flock(f *os.File, how int) error {
	for {
		err := unix.Flock(int(f.Fd()), how)
		if err != unix.EINTR {
			return err
		}
	}
}

func self() Holder {
	cmd := strings.Join(os.Args, " ")
	if len(cmd) > maxCommand {
		cmd = cmd[:maxCommand] + "..."
	}
	return Holder{PID: os.Getpid(), Command: cmd, Since: time.Now().UTC().Truncate(time.Second)}
}

// writeHolder records h in f in one write from offset 0, then cuts what an earlier,
// longer record left: a reader sees a whole record followed at worst by old bytes,
// which it ignores.
func writeHolder(f *os.File, h Holder) error {
	data, err := json.Marshal(h)
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	return f.Truncate(int64(len(data)))
}

func readHolder(f *os.File) (Holder, bool) {
	var h Holder
	if err := json.NewDecoder(io.LimitReader(io.NewSectionReader(f, 0, 4096), 4096)).Decode(&h); err != nil || h.PID <= 0 {
		return Holder{}, false
	}
	return h, true
}
