package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Ages after which a temporary file is stale whoever made it: an unnamed writer's (the
// format before process ids were recorded), and a live process's, which after a day is
// a process that reused a dead writer's id rather than a writer still at work.
const (
	StaleUnnamed = time.Hour
	StaleLive    = 24 * time.Hour
)

// CreateTemp removes the stale temporary files of target (RemoveStale) and creates a new
// one in target's folder, named for this process.
func CreateTemp(target string) (*os.File, error) {
	dir, prefix := tempPrefix(target)
	if err := RemoveStale(target); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, prefix+strconv.Itoa(os.Getpid())+"-*")
}

// MkdirTemp is CreateTemp for a folder that will be renamed to target.
func MkdirTemp(target string) (string, error) {
	dir, prefix := tempPrefix(target)
	if err := RemoveStale(target); err != nil {
		return "", err
	}
	return os.MkdirTemp(dir, prefix+strconv.Itoa(os.Getpid())+"-*")
}

func tempPrefix(target string) (dir, prefix string) {
	target = filepath.Clean(target)
	return filepath.Dir(target), "." + filepath.Base(target) + ".tmp-"
}

// RemoveStale removes the temporary files and folders of target that no writer will
// finish: those of a process that no longer exists, those of unnamed writers older than
// StaleUnnamed and any older than StaleLive. Temporary files of live writers, this
// process's included, are kept. A missing folder has nothing stale.
func RemoveStale(target string) error {
	dir, prefix := tempPrefix(target)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("clean %s: %w", dir, err)
	}
	now := time.Now()
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok {
			continue
		}
		pid, named, ok := parseTemp(rest)
		if !ok {
			continue // another target's, or not a temporary file at all
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		age := now.Sub(info.ModTime())
		stale := age > StaleLive || (!named && age > StaleUnnamed) || (named && pid != os.Getpid() && !alive(pid))
		if !stale {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return fmt.Errorf("remove stale %s: %w", filepath.Join(dir, e.Name()), err)
		}
	}
	return nil
}

// parseTemp reads what follows ".NAME.tmp-": "PID-RANDOM" (named) or "RANDOM" (unnamed,
// the older format), both decimal.
func parseTemp(rest string) (pid int, named, ok bool) {
	digits := func(s string) bool {
		if s == "" {
			return false
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	p, r, found := strings.Cut(rest, "-")
	if !found {
		return 0, false, digits(rest)
	}
	if !digits(p) || !digits(r) {
		return 0, false, false
	}
	pid, err := strconv.Atoi(p)
	return pid, true, err == nil && pid > 0
}

// alive reports whether process pid exists (signal 0 checks without sending; EPERM
// means it exists under another user).
func alive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}
