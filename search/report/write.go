package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/zeronas/zeronas/internal/atomicfile"
)

// ErrExists is returned for an output file that exists and is not a page this package wrote.
var ErrExists = errors.New("exists and is not a zeronas report (use --force to replace it)")

// generator marks the pages this package writes, so that a page may replace its previous
// version while any other file is kept.
const generator = `<meta name="generator" content="zeronas report">`

// Write builds the page of the run directories dirs and writes it to out atomically (see
// WriteFile).
func Write(dirs []string, out string, force bool, o Options) (*Page, error) {
	if err := checkOut(out, force); err != nil {
		return nil, err
	}
	p, err := Build(dirs, o)
	if err != nil {
		return nil, err
	}
	return p, WriteFile(out, p, force)
}

// WriteFile renders p into out, atomically: the page appears whole or not at all. An
// existing out is replaced only when it is a page this package wrote, or when force.
func WriteFile(out string, p *Page, force bool) error {
	if err := checkOut(out, force); err != nil {
		return err
	}
	return atomicfile.WriteWith(out, func(w io.Writer) error { return Render(w, p) }, os.Rename)
}

// checkOut refuses an existing out that is not a report, unless force.
func checkOut(out string, force bool) error {
	if force {
		return nil
	}
	f, err := os.Open(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, _ := io.ReadFull(f, head)
	if !bytes.Contains(head[:n], []byte(generator)) {
		return fmt.Errorf("%s %w", out, ErrExists)
	}
	return nil
}
