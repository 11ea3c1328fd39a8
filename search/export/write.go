package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// Format is an export format.
type Format string

// The export formats.
const (
	// JSON is one file holding the list of front members (see Member).
	JSON Format = "json"
	// HF is a folder with one sub-folder per front member holding a Hugging Face style
	// config.json (see HFConfig) and the canonical arch.json.
	HF Format = "hf"
	// CSV is one table with a row per front member (see WriteCSV).
	CSV Format = "csv"
	// PyTorch is a folder holding zeronas_models.py and one sub-folder per front member
	// with its config.json and, with Options.Weights, model.safetensors (package pytorch).
	PyTorch Format = "pytorch"
	// LTS is one JSON Lines file of GPT-2 decoders, each a LiteTransformerSearch record
	// (see WriteLTS): LTS tooling and 'zeronas score --bench' read it.
	LTS Format = "lts"
)

// Formats lists the export formats, the default first.
func Formats() []string {
	return []string{string(JSON), string(HF), string(CSV), string(PyTorch), string(LTS)}
}

// Options says how Write exports a front.
type Options struct {
	// Format is the output format; if empty, JSON is used.
	Format Format
	// Out is the output path: a file for JSON and CSV, a folder for HF.
	Out string
	// Force replaces an existing output. Without it Write refuses an existing file or
	// non-empty folder with ErrExists. Even with it, a folder is replaced only when it
	// holds nothing but a previous HF export.
	Force bool
	// AllowInfeasible exports a front that nothing of which meets the run's budgets (every
	// member then says feasible false and its violation). Without it Write refuses such a
	// front with an *InfeasibleError.
	AllowInfeasible bool
	// Measure, if not nil, measures the latency of every member before writing.
	Measure MeasureFunc
	// Log receives progress; if nil, nothing is logged.
	Log *zap.Logger
	// PyTorch export only: Weights adds each member's initial weights, drawn for the run's
	// build and init and for WeightsSeed, or the run's proxy seed when it is nil.
	Weights     bool
	WeightsSeed *uint64
}

// InfeasibleError refuses to export a front that meets none of the run's budgets.
type InfeasibleError struct {
	Dir    string
	Reason *rundir.Infeasible
}

// Error says which budgets nothing met and how to export anyway.
func (e *InfeasibleError) Error() string {
	return fmt.Sprintf("%s: %v; refusing to export it as a front (allow infeasible to export it, each member marked feasible false with its violation)", e.Dir, e.Reason)
}

// Write exports the front of the run directory dir as o says and returns the exported
// members. Problems with the run directory are *rundir.FileError; an existing output is
// ErrExists; an infeasible front without o.AllowInfeasible is an *InfeasibleError. The
// output appears whole or not at all, and a cancelled ctx leaves none.
func Write(ctx context.Context, dir string, o Options) ([]Member, error) {
	if o.Format == "" {
		o.Format = JSON
	}
	if o.Log == nil {
		o.Log = zap.NewNop()
	}
	if o.Out == "" {
		return nil, fmt.Errorf("export: no output path")
	}
	var err error
	switch o.Format {
	case JSON, CSV, LTS:
		err = checkFile(o.Out, o.Force)
	case HF, PyTorch:
		_, err = checkDir(o.Out, o.Force)
	default:
		return nil, fmt.Errorf("export: unknown format %q (want json, hf, csv, pytorch or lts)", o.Format)
	}
	if err != nil {
		return nil, err // before any measuring, which can take minutes
	}
	r, err := rundir.Open(dir)
	if err != nil {
		return nil, err
	}
	if in := r.Infeasible(); in != nil && !o.AllowInfeasible {
		return nil, &InfeasibleError{Dir: dir, Reason: in}
	}
	front := Members(r)
	if o.Measure != nil {
		if err := measureAll(ctx, front, o.Measure, o.Log); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch o.Format {
	case JSON:
		err = WriteFile(o.Out, o.Force, func(w io.Writer) error { return WriteJSON(w, front) })
	case CSV:
		err = WriteFile(o.Out, o.Force, func(w io.Writer) error { return WriteCSV(w, r.Objectives(), front) })
	case LTS:
		err = WriteFile(o.Out, o.Force, func(w io.Writer) error { return WriteLTS(w, front) })
	case HF:
		err = writeDir(o.Out, o.Force, func(tmp string) error { return writeHF(ctx, tmp, r, front) })
	case PyTorch:
		err = writeDir(o.Out, o.Force, func(tmp string) error { return writePyTorch(ctx, tmp, r, front, o) })
	}
	if err != nil {
		return nil, err
	}
	o.Log.Info("exported", zap.String("run", dir), zap.String("format", string(o.Format)),
		zap.String("out", o.Out), zap.Int("architectures", len(front)))
	return front, nil
}

// WriteJSON writes front as an indented JSON list.
func WriteJSON(w io.Writer, front []Member) error {
	data, err := indentJSON(front)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// WriteCSV writes front as CSV, one row per member: index, id, depth, the value of every
// objective (columns named after them), param_count (the exact parameter count of the
// model) unless params is an objective, feasible and violation, count when any member has
// one (empty when unknown), the measured latency when any member has one
// (latency_median_ms, latency_p10_ms, latency_p90_ms, latency_reps, latency_warmup,
// latency_batch, latency_seq_len, latency_device) and layers (see Layers).
func WriteCSV(w io.Writer, objs []rundir.ObjectiveSpec, front []Member) error {
	var counts, measured bool
	for _, m := range front {
		counts = counts || m.Count > 0
		measured = measured || m.Latency != nil
	}
	header := []string{"index", "id", "depth"}
	for _, o := range objs {
		header = append(header, o.Name)
	}
	paramCount := !slices.ContainsFunc(objs, func(o rundir.ObjectiveSpec) bool { return o.Name == "params" })
	if paramCount {
		header = append(header, "param_count")
	}
	header = append(header, "feasible", "violation")
	if counts {
		header = append(header, "count")
	}
	if measured {
		header = append(header, "latency_median_ms", "latency_p10_ms", "latency_p90_ms", "latency_reps",
			"latency_warmup", "latency_batch", "latency_seq_len", "latency_device")
	}
	rows := [][]string{append(header, "layers")}
	itoa := strconv.Itoa
	for i, m := range front {
		row := []string{itoa(i), m.ID, itoa(m.Arch.Depth())}
		for _, o := range objs {
			row = append(row, FormatValue(m.Values[o.Name]))
		}
		if paramCount {
			row = append(row, strconv.FormatInt(space.Params(m.Arch, space.Faithful), 10))
		}
		row = append(row, strconv.FormatBool(m.Feasible), FormatValue(m.Violation))
		if counts && m.Count > 0 {
			row = append(row, strconv.FormatInt(m.Count, 10))
		} else if counts {
			row = append(row, "")
		}
		if l := m.Latency; measured && l != nil {
			row = append(row, FormatValue(l.MedianMS), FormatValue(l.P10MS), FormatValue(l.P90MS), itoa(l.Reps),
				itoa(l.Warmup), itoa(l.Batch), itoa(l.SeqLen), l.Device)
		} else if measured {
			row = append(row, make([]string, 8)...)
		}
		rows = append(rows, append(row, Layers(m.Arch)))
	}
	return csv.NewWriter(w).WriteAll(rows)
}

// indentJSON encodes v as indented JSON ending in a newline.
func indentJSON(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// mkdir creates the folder path.
func mkdir(path string) error {
	if err := os.Mkdir(path, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ltsRecord is one line of the LTS format: a LiteTransformerSearch record's model_config,
// with the member's ID, objective values and feasibility beside it (LTS's metrics are
// trained results, which a search has none of).
type ltsRecord struct {
	ID          string             `json:"id"`
	ModelConfig map[string]any     `json:"model_config"`
	Values      map[string]float64 `json:"values"`
	Feasible    bool               `json:"feasible"`
	Violation   float64            `json:"violation"`
}

// WriteLTS writes front as JSON Lines, one LiteTransformerSearch record per member
// (space.LTSConfig), in front order. Every member must be a GPT-2 decoder.
func WriteLTS(w io.Writer, front []Member) error {
	enc := json.NewEncoder(w)
	for i, m := range front {
		if m.Arch.Embed == nil {
			return fmt.Errorf("export: --format lts: member %d (%s) is not a GPT-2 decoder", i, m.ID)
		}
		mc, err := space.LTSConfig(m.Arch)
		if err != nil {
			return fmt.Errorf("export: member %d (%s): %w", i, m.ID, err)
		}
		if err := enc.Encode(ltsRecord{ID: m.ID, ModelConfig: mc, Values: m.Values, Feasible: m.Feasible, Violation: m.Violation}); err != nil {
			return err
		}
	}
	return nil
}
