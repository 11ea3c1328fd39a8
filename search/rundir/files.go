package rundir

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"

	"github.com/zeronas/zeronas/internal/atomicfile"
	"github.com/zeronas/zeronas/internal/input"
)

// FileError locates a problem with a file of a run directory.
type FileError struct {
	// File is the path of the file (or of the directory).
	File string
	// Line and Column locate the problem from 1; 0 when unknown.
	Line, Column int
	// Field is the JSON path of the offending value, for example "front[2].values"; empty
	// when unknown.
	Field string
	// Err says what is wrong.
	Err error
}

// Error says where the problem is and what it is, on one line.
func (e *FileError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d", e.Line)
		if e.Column > 0 {
			s += fmt.Sprintf(":%d", e.Column)
		}
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *FileError) Unwrap() error { return e.Err }

// writeJSONAtomic replaces path with the indented JSON of v, atomically.
func writeJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return atomicfile.Write(path, append(data, '\n'))
}

// appendLines appends the JSON Lines of vs to path, syncs it and returns its new size.
func appendLines[T any](path string, vs []T) (int64, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return 0, fmt.Errorf("encode %s: %w", path, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.Write(buf.Bytes()); err != nil {
		return 0, fmt.Errorf("append %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("sync %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("stat %s: %w", path, err)
	}
	return st.Size(), nil
}

// ReadLines decodes the JSON Lines of the first size bytes of path into Ts and passes each
// to each, in order; blank lines are skipped. A size below 0 reads the whole file, whose
// incomplete last line (a writer may be appending it) is then skipped. A file shorter than
// size was truncated: an error. A line that does not decode, or that each refuses, is a
// *FileError with its line number.
func ReadLines[T any](path string, size int64, each func(T) error) error {
	f, fileSize, err := input.Open(path)
	if err != nil {
		return &FileError{File: path, Err: err}
	}
	defer f.Close()
	var r io.Reader = f
	if size >= 0 {
		if fileSize < size {
			return &FileError{File: path, Err: fmt.Errorf("%d bytes, but the checkpoint recorded %d: the file was truncated", fileSize, size)}
		}
		r = io.LimitReader(f, size)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return &FileError{File: path, Line: n, Err: err}
		}
		complete := err == nil || size >= 0
		if b := bytes.TrimSpace(line); len(b) > 0 && complete {
			var v T
			if err := decodeJSON(path, b, &v); err != nil {
				fe := err.(*FileError)
				fe.Line = n
				return fe
			}
			if err := each(v); err != nil {
				return &FileError{File: path, Line: n, Err: err}
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// readJSON decodes the JSON file path, a regular file within the input limit (see
// internal/input), into v; a missing file is fs.ErrNotExist wrapped in a *FileError.
func readJSON(path string, v any) error {
	data, err := input.ReadFile(context.Background(), path, 0)
	if err != nil {
		return &FileError{File: path, Err: err}
	}
	return decodeJSON(path, data, v)
}

// decodeJSON decodes data into v; a syntax or type error becomes a *FileError with the
// line and column of the problem and, for a type error, the field.
func decodeJSON(path string, data []byte, v any) error {
	err := json.Unmarshal(data, v)
	if err == nil {
		return nil
	}
	fe := &FileError{File: path, Err: err}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		fe.Line, fe.Column = position(data, se.Offset)
		fe.Err = errors.New(se.Error())
	case errors.As(err, &te):
		fe.Line, fe.Column = position(data, te.Offset)
		fe.Field = te.Field
		fe.Err = fmt.Errorf("%s where %s expected", te.Value, jsonKind(te.Type))
	}
	return fe
}

// position returns the line and column, from 1, of byte offset off in data.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	return 1 + bytes.Count(before, []byte("\n")), int(off) - bytes.LastIndexByte(before, '\n')
}

// jsonKind names the JSON kind that decodes into t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	if t.ConvertibleTo(reflect.TypeFor[int64]()) {
		return "an integer"
	}
	return t.String()
}

// notExist reports whether err says a file is missing.
func notExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
