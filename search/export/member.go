package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/space"
)

// Member is one architecture of a front: an element of front.json's "front" list and of
// the JSON export. Its JSON form is also an architecture record that 'zeronas score --arch'
// reads.
type Member struct {
	// ID is the architecture's ID (space.Arch.ID).
	ID string `json:"id"`
	// Arch is the canonical architecture.
	Arch space.Arch `json:"arch"`
	// Values holds the objective values by objective name.
	Values map[string]float64 `json:"values"`
	// Count is the number of architectures attaining Values when the strategy counts them
	// (the exact strategy); 0 when unknown.
	Count int64 `json:"count,omitempty"`
	// Latency is the measured latency, when export measured it.
	Latency *Measurement `json:"measured_latency,omitempty"`
}

// check requires a structurally sound architecture and a value for every objective; it
// fills a missing ID. It returns the JSON path below the member of what is wrong.
func (m *Member) check(objs []Objective) (string, error) {
	if len(m.Arch.Layers) == 0 {
		return ".arch.layers", errors.New("missing or empty")
	}
	for i, l := range m.Arch.Layers {
		if field, err := checkLayer(l); err != nil {
			return fmt.Sprintf(".arch.layers[%d].%s", i, field), err
		}
	}
	for _, o := range objs {
		if _, ok := m.Values[o.Name]; !ok {
			return ".values", fmt.Errorf("no value for objective %q", o.Name)
		}
	}
	if m.ID == "" {
		m.ID = m.Arch.ID()
	}
	return "", nil
}

// checkLayer returns the field of l that no FlexiBERT layer may have, and why.
func checkLayer(l space.Layer) (string, error) {
	switch {
	case l.Hidden <= 0:
		return "hidden", fmt.Errorf("%d: must be positive", l.Hidden)
	case l.Heads <= 0:
		return "heads", fmt.Errorf("%d: must be positive", l.Heads)
	case l.Hidden%l.Heads != 0:
		return "heads", fmt.Errorf("%d does not divide hidden %d", l.Heads, l.Hidden)
	case l.Op != space.OpSA && l.Op != space.OpLT && l.Op != space.OpDSC && l.Op != space.OpCSA:
		return "op", fmt.Errorf("%q: want SA, LT, DSC or CSA", l.Op)
	case l.Param == "" && l.Op != space.OpCSA:
		return "param", errors.New("missing")
	case l.Op == space.OpDSC && l.Kernel() <= 0:
		return "param", fmt.Errorf("%q: want a kernel size", l.Param)
	case len(l.FF) == 0:
		return "ff", errors.New("missing or empty")
	}
	for j, w := range l.FF {
		if w <= 0 {
			return fmt.Sprintf("ff[%d]", j), fmt.Errorf("%d: must be positive", w)
		}
	}
	return "", nil
}

// Layers describes the layers of a compactly: one "hidden:op-param:heads:ff" term per
// layer, the feed-forward widths joined by "-", the layers by ";". For example
// "256:SA-SDP:4:1024;256:DSC-9:2:512-512".
func Layers(a space.Arch) string {
	var b strings.Builder
	for i, l := range a.Layers {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, "%d:%s-%s:%d:", l.Hidden, l.Op, l.Param, l.Heads)
		for j, w := range l.FF {
			if j > 0 {
				b.WriteByte('-')
			}
			b.WriteString(strconv.Itoa(w))
		}
	}
	return b.String()
}

// FormatValue formats an objective value exactly and without an exponent for the integers
// that parameter counts are.
func FormatValue(v float64) string {
	if v == float64(int64(v)) && v < 1e15 && v > -1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
