package export

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/zeronas/zeronas/internal/atomicfile"
)

// ErrExists reports an output path that already holds something a user may want: a file
// or a non-empty folder. Force replaces a file or a previous export, never anything else.
var ErrExists = errors.New("output exists")

// WriteFile creates the file path with what write writes, atomically: write fills a
// temporary file in the same folder, which is synced and then renamed to path, so a crash
// or an error leaves no partial file. It refuses an existing path with ErrExists unless
// force, and never replaces a folder.
func WriteFile(path string, force bool, write func(io.Writer) error) error {
	if err := checkFile(path, force); err != nil {
		return err
	}
	place := noClobber
	if force {
		place = os.Rename
	}
	return atomicfile.WriteWith(path, write, place)
}

// checkFile returns why WriteFile would refuse path, or nil.
func checkFile(path string, force bool) error {
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return fmt.Errorf("%s: %w as a folder; want a file", path, ErrExists)
	case err == nil && !force:
		return fmt.Errorf("%s: %w; refusing to replace it without force", path, ErrExists)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// noClobber moves tmp to path unless path exists; a hard link makes the test and the move
// one step, and a rename serves where links are not supported.
func noClobber(tmp, path string) error {
	err := os.Link(tmp, path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%s: %w; refusing to replace it without force", path, ErrExists)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s: %w; refusing to replace it without force", path, ErrExists)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return nil
}

// exportEntry matches what an hf export folder holds: a README and one NNN-<id> folder
// per architecture.
var exportEntry = regexp.MustCompile(`^(README\.md|[0-9]{3,}-[^/]+)$`)

// writeDir creates the folder path with what fill puts into an empty folder, atomically:
// fill fills a temporary folder next to path, which is renamed to path. An empty folder at
// path is replaced; a non-empty one only with force, and only when it holds nothing but a
// previous export, so that force never deletes anything else.
func writeDir(path string, force bool, fill func(dir string) error) error {
	replace, err := checkDir(path, force)
	if err != nil {
		return err
	}
	var old string
	if replace {
		old = path
	}
	parent := filepath.Dir(filepath.Clean(path))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp, err := atomicfile.MkdirTemp(path) // and removes those of killed writers
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(tmp); err != nil {
		return err
	}
	if old != "" {
		// Move the old export aside under a fresh name, then the new one into place.
		if old, err = os.MkdirTemp(parent, "."+filepath.Base(path)+".old-*"); err == nil {
			err = os.Remove(old)
		}
		if err == nil {
			err = os.Rename(path, old)
		}
		if err != nil {
			return fmt.Errorf("replace %s: %w", path, err)
		}
		defer os.RemoveAll(old)
	} else if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("replace %s: %w", path, err) // os.Remove removes only an empty folder
	}
	if err := os.Rename(tmp, path); err != nil {
		if old != "" {
			os.Rename(old, path) // put the old export back
		}
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return atomicfile.SyncDir(parent)
}

// checkDir returns why writeDir would refuse path, or whether it replaces a previous
// export.
func checkDir(path string, force bool) (replace bool, err error) {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%s: %w", path, err)
	case !st.IsDir():
		return false, fmt.Errorf("%s: %w as a file; want a folder", path, ErrExists)
	}
	entries, err := os.ReadDir(path)
	switch {
	case err != nil:
		return false, fmt.Errorf("%s: %w", path, err)
	case len(entries) == 0:
		return false, nil
	case !force:
		return false, fmt.Errorf("%s: %w; refusing to replace it without force", path, ErrExists)
	}
	for _, e := range entries {
		if !exportEntry.MatchString(e.Name()) {
			return false, fmt.Errorf("%s: %w and holds %s, which no export writes; refusing to replace it even with force",
				path, ErrExists, e.Name())
		}
	}
	return true, nil
}

// writeSynced writes data to the new file path and syncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
