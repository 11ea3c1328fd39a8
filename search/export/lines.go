package export

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
)

// ReadLines decodes every non-blank line of the JSON Lines file path (archive.jsonl,
// generations.jsonl) into a T and passes it to each; a missing file has no lines. A line
// that does not decode, or that each refuses, is a *RunError with its line number. An
// incomplete last line, which a running search may be appending, is ignored.
func ReadLines[T any](path string, each func(T) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &RunError{File: path, Err: err}
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return &RunError{File: path, Line: n, Err: err}
		}
		if err == io.EOF { // an incomplete line is skipped unless it decodes
			var v T
			if b := bytes.TrimSpace(line); len(b) > 0 && decodeJSON(path, b, &v) == nil {
				if err := each(v); err != nil {
					return &RunError{File: path, Line: n, Err: err}
				}
			}
			return nil
		}
		if b := bytes.TrimSpace(line); len(b) > 0 {
			var v T
			if err := decodeJSON(path, b, &v); err != nil {
				re := err.(*RunError)
				re.Line = n
				return re
			}
			if err := each(v); err != nil {
				return &RunError{File: path, Line: n, Err: err}
			}
		}
	}
}
