package distributed

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/zeronas/zeronas/search"
	"github.com/zeronas/zeronas/search/nas"
	"github.com/zeronas/zeronas/search/rundir"
)

// Spec is everything an evaluation depends on: the run's configuration less what only
// steers the search (strategy, seed, budget), the latency table the run keeps, and the
// zeronas version. Workers rebuild the run's problem from it with the code a local run uses.
type Spec struct {
	Version string          `json:"zeronas"`
	Config  *rundir.Config  `json:"config"`
	Latency json.RawMessage `json:"latency_table,omitempty"`
}

// SpecOf returns the Spec of the run in dir with configuration cfg.
func SpecOf(dir, version string, cfg *rundir.Config) (*Spec, error) {
	c := *cfg
	c.Version, c.AlphaSource, c.Strategy, c.Seed, c.Budget, c.NSGA2 = "", "", "", 0, rundir.Budget{}, search.NSGA2{}
	s := &Spec{Version: version, Config: &c}
	if cfg.Latency.Model == "table" {
		data, err := os.ReadFile(filepath.Join(dir, rundir.LatencyFile))
		if err != nil {
			return nil, fmt.Errorf("read the run's latency table: %w", err)
		}
		s.Latency = data
	}
	return s, nil
}

// Device returns the device latency is measured on, or "".
func (s *Spec) Device() string {
	if d, ok := strings.CutPrefix(s.Config.Latency.Model, rundir.DevicePrefix); ok {
		return d
	}
	return ""
}

// Encode returns the canonical encoding of s and its hash: the first 16 hex digits of the
// encoding's SHA-256.
func (s *Spec) Encode() (data []byte, hash string, err error) {
	data, err = json.Marshal(s)
	if err != nil {
		return nil, "", fmt.Errorf("encode settings: %w", err)
	}
	return data, hashOf(data), nil
}

func hashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

// decodeSpec decodes the settings published under hash, checking that they hash to it.
func decodeSpec(hash string, data []byte) (*Spec, error) {
	if got := hashOf(data); got != hash {
		return nil, fmt.Errorf("settings %s hash to %s", hash, got)
	}
	var s Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("settings %s: %w", hash, err)
	}
	if s.Config == nil || s.Config.Space == nil {
		return nil, fmt.Errorf("settings %s: no configuration", hash)
	}
	return &s, nil
}

// Problem builds the problem of s exactly as a local run builds it from its run directory:
// the latency table is written to a scratch directory that Config.Problem reads.
func (s *Spec) Problem() (*nas.Problem, error) {
	dir, err := os.MkdirTemp("", "zeronas-worker-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if len(s.Latency) > 0 {
		if err := os.WriteFile(filepath.Join(dir, rundir.LatencyFile), s.Latency, 0o644); err != nil {
			return nil, err
		}
	}
	return s.Config.Problem(dir)
}
