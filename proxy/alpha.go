package proxy

import (
	_ "embed"
	"encoding/json"
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
