package rundir

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/zeronas/zeronas/internal/atomicfile"
)

// writeJSONAtomic writes v as indented JSON with writeAtomic. A value JSON cannot encode
// (an infinity) is an error, never an empty file.
func writeJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return atomicfile.Write(path, append(data, '\n'))
}

// appendLines appends one JSON line per value to path and syncs it; it returns the file's
// new size.
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

// readLines decodes the JSON lines of the first size bytes of path.
func readLines[T any](path string, size int64) ([]T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) < size {
		return nil, fmt.Errorf("%s: %d bytes, but the checkpoint recorded %d: the file was truncated", path, len(data), size)
	}
	data = data[:size]
	var out []T
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var v T
		if err := json.Unmarshal(line, &v); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, i+1, err)
		}
		out = append(out, v)
	}
	return out, nil
}
