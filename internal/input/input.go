// Package input reads files named by users with bounds: only regular files (a FIFO, a
// device or a directory is refused without blocking), at most a byte limit (so that no
// file can exhaust memory), in chunks that stop as soon as a context is cancelled.
//
// The limit is DefaultLimit unless the environment variable ZERONAS_MAX_INPUT_BYTES
// (LimitEnv) gives another number of bytes, or a caller passes its own.
package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// DefaultLimit is the largest input file read when neither the caller nor LimitEnv says
// otherwise: 256 MiB, several times the largest benchmark the project reads.
const DefaultLimit int64 = 256 << 20

// LimitEnv is the environment variable that replaces DefaultLimit: a positive number of
// bytes.
const LimitEnv = "ZERONAS_MAX_INPUT_BYTES"

// chunk is the size of each read, between which cancellation is checked.
const chunk = 1 << 20

// ErrNotRegular is matched (errors.Is) by the error for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is the error for a file above the limit.
type TooLargeError struct {
	Path  string
	Limit int64
	// FromEnv is true when the limit is the configured one (DefaultLimit or LimitEnv),
	// which the user can raise.
	FromEnv bool
}

// Error names the file, the limit and how to raise it.
func (e *TooLargeError) Error() string {
	s := fmt.Sprintf("%s: larger than the input limit of %d bytes", e.Path, e.Limit)
	if e.FromEnv {
		s += fmt.Sprintf("; raise it with %s=BYTES", LimitEnv)
	}
	return s
}

// ConfiguredLimit returns LimitEnv's value if it is set, DefaultLimit otherwise; an error
// if LimitEnv is not a positive integer.
func ConfiguredLimit() (int64, error) {
	v, ok := os.LookupEnv(LimitEnv)
	if !ok || v == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s=%q: must be a positive number of bytes", LimitEnv, v)
	}
	return n, nil
}

// ReadFile returns the content of the regular file at path, of at most limit bytes; a
// limit <= 0 means ConfiguredLimit. It refuses at once a path that is not a regular file
// (wrapping ErrNotRegular), returns a *TooLargeError for a larger file, and ctx's error
// when ctx is done before the file is read. Errors name the path.
func ReadFile(ctx context.Context, path string, limit int64) ([]byte, error) {
	fromEnv := limit <= 0
	if fromEnv {
		var err error
		if limit, err = ConfiguredLimit(); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	f, size, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > limit {
		return nil, &TooLargeError{Path: path, Limit: limit, FromEnv: fromEnv}
	}
	data, err := readAll(ctx, f, size, limit)
	switch {
	case errors.Is(err, errTooLarge):
		return nil, &TooLargeError{Path: path, Limit: limit, FromEnv: fromEnv}
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// openRegular opens path without blocking (a FIFO with no writer would block a plain
// open), refuses anything but a regular file, and returns the file in blocking mode with
// its size.
func openRegular(path string) (*os.File, int64, error) {
	var fd int
	var err error
	for {
		fd, err = unix.Open(path, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, 0, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if mode := uint32(st.Mode); mode&unix.S_IFMT != unix.S_IFREG { // uint16 on some systems
		unix.Close(fd)
		return nil, 0, fmt.Errorf("read %s: %w (%s)", path, ErrNotRegular, kind(mode))
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, 0, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), st.Size, nil
}

func kind(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return "a directory"
	case unix.S_IFIFO:
		return "a named pipe"
	case unix.S_IFCHR:
		return "a character device"
	case unix.S_IFBLK:
		return "a block device"
	case unix.S_IFSOCK:
		return "a socket"
	}
	return "not a plain file"
}

var errTooLarge = errors.New("too large")

// readAll reads r to its end in chunks, checking ctx between them; it stops with
// errTooLarge past limit bytes. size presizes the buffer (a file's size may change).
func readAll(ctx context.Context, r io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(max(size, 0), limit)+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if int64(len(buf)) > limit {
			return nil, errTooLarge
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append grow it
		}
		n := min(cap(buf)-len(buf), chunk)
		n, err := r.Read(buf[len(buf) : len(buf)+n])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > limit {
				return nil, errTooLarge
			}
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Open opens the regular file at path for reading, as ReadFile does (at once, refusing a
// FIFO, a device or a folder with ErrNotRegular), and returns it with its size: for readers
// that stream a file too large to hold.
func Open(path string) (*os.File, int64, error) { return openRegular(path) }
