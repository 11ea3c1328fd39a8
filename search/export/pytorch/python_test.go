package pytorch

import (
	"bytes"
	"testing"

	"github.com/zeronas/zeronas/internal/pytorchtest"
)

func python(t *testing.T) string { return pytorchtest.Python(t) }

func runPython(t *testing.T, py, dir, script string, args ...string) []byte {
	return pytorchtest.Run(t, py, dir, script, args...)
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
