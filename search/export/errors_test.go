package export_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeronas/zeronas/search/export"
)

func TestRefuseExisting(t *testing.T) {
	ctx := context.Background()
	runDir := testRun(t)
	write := func(format export.Format, out string, force bool) error {
		_, err := export.Write(ctx, runDir, export.Options{Format: format, Out: out, Force: force})
		return err
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.csv")
	os.WriteFile(file, []byte("precious"), 0o644)
	full := filepath.Join(dir, "full")
	os.MkdirAll(filepath.Join(full, "notes"), 0o755)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	previous := filepath.Join(dir, "previous")
	if err := write(export.HF, previous, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		format export.Format
		out    string
		force  bool
		exists bool   // want ErrExists
		want   string // want an error with this, or none if empty and not exists
	}{
		{"file", export.CSV, file, false, true, ""},
		{"folder for a file", export.JSON, full, true, true, "as a folder"},
		{"non-empty folder", export.HF, full, false, true, ""},
		{"foreign folder forced", export.HF, full, true, true, "holds notes"},
		{"file for a folder", export.HF, file, true, true, "want a folder"},
		{"previous export", export.HF, previous, false, true, ""},
		{"previous export forced", export.HF, previous, true, false, ""},
		{"empty folder", export.HF, empty, false, false, ""},
		{"file forced", export.CSV, file, true, false, ""},
		{"unknown format", "xml", filepath.Join(dir, "x"), false, false, `unknown format "xml"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := write(tc.format, tc.out, tc.force)
			switch {
			case tc.exists && !errors.Is(err, export.ErrExists):
				t.Errorf("error %v, want ErrExists", err)
			case tc.want == "" && !tc.exists && err != nil:
				t.Errorf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(full, "notes")); err != nil {
		t.Errorf("a refused export removed what was there: %v", err)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, ".*")); len(entries) > 0 {
		t.Errorf("temporary files left: %v", entries)
	}
}
