package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// Member is one architecture of an exported front: the run's front entry, whether it meets
// the run's budgets and by how much it misses them, and its measured latency when export
// measured it. Its JSON form is also an architecture record that 'zeronas score --arch'
// reads.
type Member struct {
	rundir.FrontEntry
	// Feasible reports whether the architecture meets the run's budgets.
	Feasible bool `json:"feasible"`
	// Violation is the sum of its relative excesses over the budgets; 0 when feasible.
	Violation float64 `json:"violation"`
	// Latency is the measured latency, when export measured it.
	Latency *Measurement `json:"measured_latency,omitempty"`
}

// Members returns the front of r as Members.
func Members(r *rundir.Run) []Member {
	out := make([]Member, len(r.Front.Front))
	for i, e := range r.Front.Front {
		out[i] = Member{FrontEntry: e, Feasible: e.Violation == 0, Violation: e.Violation}
	}
	return out
}

// Layers describes the layers of a compactly: one "hidden:op-param:heads:ff" term per
// layer, the feed-forward widths joined by "-", the layers by ";". For example
// "256:SA-SDP:4:1024;256:DSC-9:2:512-512". A GPT-2 decoder's adaptive embedding comes first,
// "embed:VOCAB:divDIV:dD_EMBED[:CUTOFF...]", so that decoders differing only there differ.
func Layers(a space.Arch) string {
	var b strings.Builder
	if e := a.Embed; e != nil { // a GPT-2 decoder: its adaptive embedding first
		fmt.Fprintf(&b, "embed:%d:div%d:d%d", e.Vocab, e.DivVal, e.DEmbed)
		for _, c := range e.Cutoffs {
			fmt.Fprintf(&b, ":%d", c)
		}
		b.WriteByte(';')
	}
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

// FormatValue formats a value for a table: integers (parameter counts) exactly and without
// an exponent, other values to 10 significant digits, which hides the rounding noise of
// sums (3.6352, not 3.635200000000623). JSON exports keep every digit.
func FormatValue(v float64) string {
	if v == float64(int64(v)) && v < 1e15 && v > -1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 10, 64)
}
