package latency

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/zeronas/zeronas/internal/atomicfile"
	"github.com/zeronas/zeronas/internal/input"
	"github.com/zeronas/zeronas/space"
)

// TableFormat identifies version 1 of the table file format.
const TableFormat = "zeronas-latency-table/1"

// Table is a latency model of measured costs per distinct block (see the Block constants)
// at one batch size and sequence length on one device. A layer costs its mixing block plus
// its feed-forward stack; Predict adds the embeddings and projections.
//
// Its JSON form, the table file, is documented in the package comment. Build one with
// Calibrate, read one with ReadTable or ParseTable; a Table is read-only and safe for
// concurrent use once built.
type Table struct {
	// Format is TableFormat.
	Format string `json:"format"`
	// Device is where the costs were measured.
	Device Device `json:"device"`
	// Space names the space the table was built for, if any.
	Space string `json:"space,omitempty"`
	// Batch and SeqLen are the input shape of the measurements.
	Batch  int `json:"batch"`
	SeqLen int `json:"seq_len"`
	// Reps and Warmup are the timed and untimed runs of each block.
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Statistic says what an entry's ms is: p10, median, min, or a user's own.
	Statistic string `json:"statistic"`
	// Seed drew the weights and inputs of the timed blocks.
	Seed int64 `json:"seed,omitempty"`
	// Fingerprint is the cache key of the table (see Fingerprint).
	Fingerprint string `json:"fingerprint,omitempty"`
	// CalibrationSeconds is how long the calibration took.
	CalibrationSeconds float64 `json:"calibration_seconds,omitempty"`
	// Created is when the table was built, RFC 3339.
	Created string `json:"created,omitempty"`
	// Entries are the blocks and their costs.
	Entries []Entry `json:"entries"`

	// Reference is the drift check of the calibration, if the table was calibrated here
	// (see Reference).
	Reference *Reference `json:"reference,omitempty"`
	// Network is the whole-network check of the calibration, if it had one: every cost
	// of the table is Network.Scale times its entry's ms (see NetworkCheck).
	Network *NetworkCheck `json:"network,omitempty"`

	path  string
	index map[string]float64
	grids map[string][]gridPoint
}

// TableError locates a problem in a table file.
type TableError struct {
	// File is the table's file name.
	File string
	// Entry is the index of the offending entry, or -1 for the header.
	Entry int
	// Desc names the entry's block and key, when known.
	Desc string
	// Field names the offending field, if one.
	Field string
	// Err says what is wrong.
	Err error
}

// Error names the file, the entry and the field.
func (e *TableError) Error() string {
	s := e.File
	if s == "" {
		s = "latency table"
	}
	if e.Entry >= 0 {
		s += fmt.Sprintf(": entries[%d]", e.Entry)
		if e.Desc != "" {
			s += " (" + e.Desc + ")"
		}
	}
	if e.Field != "" {
		s += ": field " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *TableError) Unwrap() error { return e.Err }

// ReadTable is ReadTableContext without cancellation.
func ReadTable(path string) (*Table, error) { return ReadTableContext(context.Background(), path) }

// ReadTableContext reads and validates a table file, read as input.ReadFile reads (a
// regular file within the input limit; ctx stops it).
func ReadTableContext(ctx context.Context, path string) (*Table, error) {
	data, err := input.ReadFile(ctx, path, 0)
	if err != nil {
		return nil, fmt.Errorf("latency table: %w", err)
	}
	return ParseTable(path, data)
}

// ParseTable decodes and validates a table; name is the file name errors quote.
func ParseTable(name string, data []byte) (*Table, error) {
	var raw struct {
		Table
		Entries []struct {
			Entry
			MS *float64 `json:"ms"`
		} `json:"entries"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, &TableError{File: name, Entry: -1, Err: err}
	}
	t := raw.Table
	t.Entries = make([]Entry, len(raw.Entries))
	for i, e := range raw.Entries {
		if e.MS == nil {
			return nil, &TableError{File: name, Entry: i, Desc: e.Entry.String(), Field: "ms", Err: errors.New("missing")}
		}
		e.Entry.MS = *e.MS
		t.Entries[i] = e.Entry
	}
	t.path = name
	if err := t.build(); err != nil {
		return nil, err
	}
	return &t, nil
}

// build validates t and indexes its entries.
func (t *Table) build() error {
	head := func(field string, format string, args ...any) error {
		return &TableError{File: t.path, Entry: -1, Field: field, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case t.Format != TableFormat:
		return head("format", "%q: want %q", t.Format, TableFormat)
	case t.Device.CPU == "":
		return head("device.cpu", "missing: describe the device the costs were measured on")
	case t.Batch < 1:
		return head("batch", "%d: must be at least 1", t.Batch)
	case t.SeqLen < 1:
		return head("seq_len", "%d: must be at least 1", t.SeqLen)
	case t.Reps < 1:
		return head("reps", "%d: must be at least 1", t.Reps)
	case t.Warmup < 0:
		return head("warmup", "%d: must not be negative", t.Warmup)
	case t.Statistic == "":
		return head("statistic", "missing: say what ms is (median, mean, ...)")
	case len(t.Entries) == 0:
		return head("entries", "empty")
	}
	if err := t.Reference.check(); err != nil {
		return &TableError{File: t.path, Entry: -1, Field: "reference", Err: err}
	}
	if err := t.Network.check(); err != nil {
		return &TableError{File: t.path, Entry: -1, Field: "network", Err: err}
	}
	scale := t.Network.scale()
	t.index = make(map[string]float64, len(t.Entries))
	first := make(map[string]int, len(t.Entries))
	for i, e := range t.Entries {
		if e.Embed != nil {
			e.Embed = e.Embed.Clone()
			e.Embed.Normalize()
			t.Entries[i].Embed = e.Embed
		}
		if field, err := checkEntry(e); err != nil {
			return &TableError{File: t.path, Entry: i, Desc: e.String(), Field: field, Err: err}
		}
		k := e.key()
		if j, dup := first[k]; dup {
			return &TableError{File: t.path, Entry: i, Desc: e.String(), Err: fmt.Errorf("duplicates entries[%d]", j)}
		}
		first[k] = i
		t.index[k] = e.MS * scale
	}
	t.indexGrids(scale)
	return nil
}

// MaxBlockMS bounds a block's cost in a table: 10^9 ms is eleven days, so a larger one is a
// typo, and sums of costs within it stay far from overflowing.
const MaxBlockMS = 1e9

// checkEntry returns the first invalid field of e and what is wrong with it.
func checkEntry(e Entry) (field string, err error) {
	// Every key field: whether it is set and whether the block uses it.
	uses := map[string][]string{
		BlockEmbedding: {"hidden"}, BlockMixing: {"op", "param", "hidden", "heads"}, BlockFFN: {"hidden", "ff"},
		BlockFFLinear: {"in", "out", "final"}, BlockProjection: {"from", "to"},
		BlockMLP: {"hidden", "inner"}, BlockAdaptiveInput: {"hidden", "embed"}, BlockAdaptiveSoftmax: {"hidden", "embed"},
	}
	used, ok := uses[e.Block]
	if !ok {
		return "block", fmt.Errorf("%q: want embedding, mixing, ffn, ff_linear, projection, mlp, adaptive_input or adaptive_softmax", e.Block)
	}
	ints := map[string]int{"hidden": e.Hidden, "heads": e.Heads, "in": e.In, "out": e.Out, "from": e.From, "to": e.To, "inner": e.Inner}
	set := map[string]bool{"op": e.Op != "", "param": e.Param != "", "ff": e.FF != nil, "final": e.Final, "embed": e.Embed != nil}
	for name, v := range ints {
		set[name] = v != 0
	}
	for _, name := range []string{"op", "param", "hidden", "heads", "ff", "in", "out", "final", "from", "to", "inner", "embed"} {
		in := slices.Contains(used, name)
		if !in && set[name] {
			return name, fmt.Errorf("not part of the key of block %s (its fields: %v)", e.Block, used)
		}
		if v, isInt := ints[name]; in && isInt && v <= 0 {
			return name, fmt.Errorf("%d: must be positive", v)
		}
		if in && name == "embed" && !set[name] {
			return name, errors.New("missing: the adaptive embedding (vocab, d_embed, div_val, cutoffs)")
		}
	}
	switch e.Block {
	case BlockMixing:
		if e.Hidden%e.Heads != 0 {
			return "heads", fmt.Errorf("%d: does not divide hidden %d", e.Heads, e.Hidden)
		}
		l := space.Layer{Hidden: e.Hidden, Op: e.Op, Param: e.Param, Heads: e.Heads}
		if l.Op == space.OpCSA {
			l.FF = []int{1} // the MLP is a block of its own
		}
		if err := checkMixing(l); err != nil {
			field := "param"
			switch {
			case !slices.Contains([]string{space.OpSA, space.OpLT, space.OpDSC, space.OpCSA}, e.Op):
				field = "op"
			case e.Op == space.OpDSC && e.Heads%2 != 0:
				field = "heads"
			}
			return field, err
		}
	case BlockFFN:
		if len(e.FF) == 0 {
			return "ff", errors.New("missing or empty")
		}
		for _, w := range e.FF {
			if w <= 0 {
				return "ff", fmt.Errorf("width %d: must be positive", w)
			}
		}
	case BlockProjection:
		if e.From == e.To {
			return "to", fmt.Errorf("%d: equals from (such a projection does not exist)", e.To)
		}
	case BlockMLP, BlockAdaptiveInput, BlockAdaptiveSoftmax:
		if max(e.Hidden, e.Inner) > space.MaxWidth {
			return "hidden", fmt.Errorf("%d: at most %d (space.MaxWidth)", max(e.Hidden, e.Inner), space.MaxWidth)
		}
		if e.Embed != nil {
			a := space.Arch{Embed: e.Embed, Layers: []space.Layer{{Hidden: e.Hidden, Op: space.OpCSA, Heads: 1, FF: []int{1}}}}
			if err := space.CheckGPT2(a); err != nil {
				return "embed", err
			}
		}
	}
	for _, m := range []struct {
		name string
		v    float64
	}{{"ms", e.MS}, {"p10_ms", e.P10MS}, {"p90_ms", e.P90MS}} {
		if math.IsNaN(m.v) || math.IsInf(m.v, 0) || m.v < 0 || m.v > MaxBlockMS {
			return m.name, fmt.Errorf("%g: must be a number of milliseconds from 0 to %g (MaxBlockMS)", m.v, float64(MaxBlockMS))
		}
	}
	return "", nil
}

// Path returns the file t was read from or written to, if any.
func (t *Table) Path() string { return t.path }

// Marshal returns the table file's bytes.
func (t *Table) Marshal() ([]byte, error) { return json.MarshalIndent(t, "", "  ") }

// Write writes t to path atomically: a temporary file in the same directory, fsync,
// rename, fsync of the directory. The directory is created if need be.
func (t *Table) Write(path string) error {
	data, err := t.Marshal()
	if err != nil {
		return fmt.Errorf("latency table %s: %w", path, err)
	}
	if err := atomicfile.Write(path, append(data, '\n')); err != nil {
		return fmt.Errorf("latency table: %w", err)
	}
	t.path = path
	return nil
}
