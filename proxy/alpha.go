package proxy

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/zeronas/zeronas/internal/input"
	"github.com/zeronas/zeronas/internal/numcheck"
)

// Calibrated is an alpha with its provenance.
type Calibrated struct {
	Alpha    float64  `json:"alpha"`
	Strategy string   `json:"strategy"`
	Sample   int      `json:"sample"`
	Seed     uint64   `json:"seed"`
	Source   string   `json:"source"`
	Settings Settings `json:"settings"`
}

//go:embed default_alpha.json
var defaultAlphaJSON []byte

// DefaultAlpha returns the alpha calibrated on the embedded NAS-Bench-BERT dev records
// (benchmark sampling of 50 records), with its provenance. `make default-alpha` rebuilds
// it and a test checks that recalibrating gives the same value.
func DefaultAlpha() Calibrated {
	var c Calibrated
	if err := json.Unmarshal(defaultAlphaJSON, &c); err != nil {
		panic("proxy: embedded default_alpha.json: " + err.Error())
	}
	return c
}

// ReadCalibrated reads an alpha file (what `zeronas calibrate --format json` writes; only
// its field alpha is required) as input.ReadFile reads, and checks the alpha with
// CheckAlpha. Errors name the file.
func ReadCalibrated(ctx context.Context, path string) (Calibrated, error) {
	var cal Calibrated
	data, err := input.ReadFile(ctx, path, 0)
	if err != nil {
		return cal, err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return cal, fmt.Errorf("%s: %w", path, err)
	}
	if _, ok := probe["alpha"]; !ok {
		return cal, fmt.Errorf("%s: missing field alpha", path)
	}
	if err := json.Unmarshal(data, &cal); err != nil {
		return cal, fmt.Errorf("%s: %w", path, err)
	}
	if err := numcheck.FloatRange("field alpha", cal.Alpha, -MaxAbsAlpha, MaxAbsAlpha); err != nil {
		return cal, fmt.Errorf("%s: %w", path, err)
	}
	return cal, nil
}
