package latency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/space"
)

// Latency model names, the same for every command and in run configurations.
const (
	// ModelTable predicts from a table of measured per-block costs.
	ModelTable = "table"
	// ModelFLOPs is the analytic estimate from FLOPs (deterministic).
	ModelFLOPs = "flops"
)

// Models lists the model names, the default first.
func Models() []string { return []string{ModelTable, ModelFLOPs} }

// DefaultModel returns the model used for sp when none is chosen: a measured table, for
// every space (FlexiBERT and GPT-2 alike; a GPT-2 table takes about two minutes to
// calibrate on one core, once per machine and space).
func DefaultModel(sp *space.Space) string { return ModelTable }

// Choice selects a latency model.
type Choice struct {
	// Model is ModelTable or ModelFLOPs; if empty, DefaultModel of the space.
	Model string
	// Table is a table file for ModelTable (measured elsewhere, say on the target device);
	// if empty, this machine's table for the space is read from the cache or calibrated.
	Table string
}

// Chosen is a latency model with what a run records of it.
type Chosen struct {
	// Model predicts latency.
	Model objectives.LatencyModel
	// Name is the model's name (ModelTable or ModelFLOPs); Description says what it is.
	Name, Description string
	// Table is the table file's content and SHA256 its hex SHA-256; empty for ModelFLOPs.
	Table  []byte
	SHA256 string
}

// Choose returns the model c selects for sp. A table file is read and checked against sp;
// without one, this machine's cached table is used or, the first time, calibrated (which
// takes seconds to minutes: notify, if not nil, is told before it starts).
func Choose(ctx context.Context, sp *space.Space, c Choice, log *zap.Logger, notify func(string)) (*Chosen, error) {
	if c.Model == "" && c.Table == "" {
		c.Model = DefaultModel(sp)
	}
	switch c.Model {
	case ModelFLOPs:
		if c.Table != "" {
			return nil, fmt.Errorf("a latency table (%s) serves the %s model, not %s", c.Table, ModelTable, ModelFLOPs)
		}
		m := NewAnalytic(Options{})
		return &Chosen{Model: m, Name: ModelFLOPs, Description: m.Describe()}, nil
	case ModelTable, "":
	default:
		return nil, fmt.Errorf("latency model %q: want %s or %s", c.Model, ModelTable, ModelFLOPs)
	}
	var t *Table
	var err error
	if c.Table != "" {
		if t, err = ReadTableContext(ctx, c.Table); err != nil {
			return nil, err
		}
		if err := t.Check(sp); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Table, err)
		}
	} else {
		if path, err := DefaultTablePath(sp, Options{}); err == nil && notify != nil {
			if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
				how := "seconds"
				if sp.Family == space.FamilyGPT2 {
					how = "about two minutes"
				}
				notify(fmt.Sprintf("measuring a latency table for %s on this machine, once (%s; cached in %s)...", sp.Name, how, path))
			}
		}
		if t, err = LoadOrCalibrate(ctx, sp, Options{}, log); err != nil {
			return nil, err
		}
	}
	data, err := t.Marshal()
	if err != nil {
		return nil, fmt.Errorf("latency table: %w", err)
	}
	sum := sha256.Sum256(data)
	return &Chosen{Model: t, Name: ModelTable, Description: t.Describe(), Table: data, SHA256: hex.EncodeToString(sum[:])}, nil
}

// ValidationModel returns the model c selects for validating against measurements with
// the settings o, and fills the settings a table fixes: a table's batch, sequence length
// and statistic are o's unless o gives them, and then they must agree. A table measured on
// another CPU is logged: its costs need not match this machine.
func ValidationModel(ctx context.Context, sp *space.Space, c Choice, o *Options, log *zap.Logger) (Model, error) {
	if log == nil {
		log = zap.NewNop()
	}
	*o = o.ForSpace(sp)
	switch {
	case c.Model == ModelFLOPs && c.Table == "":
		return NewAnalytic(*o), nil
	case c.Model != ModelTable && c.Model != "":
		return nil, fmt.Errorf("latency model %q: want %s or %s (a latency table is a %s)", c.Model, ModelTable, ModelFLOPs, ModelTable)
	case c.Table == "":
		if err := o.Validate(); err != nil {
			return nil, err
		}
		return LoadOrCalibrate(ctx, sp, *o, log)
	}
	t, err := ReadTableContext(ctx, c.Table)
	if err != nil {
		return nil, err
	}
	if err := t.Check(sp); err != nil {
		return nil, fmt.Errorf("%s: %w", c.Table, err)
	}
	for _, f := range []struct {
		name      string
		opt       *int
		tableSays int
	}{{"batch", &o.Batch, t.Batch}, {"seq_len", &o.SeqLen, t.SeqLen}} {
		if *f.opt == 0 {
			*f.opt = f.tableSays
		} else if *f.opt != f.tableSays {
			return nil, fmt.Errorf("%s %d: the table %s was measured at %d", f.name, *f.opt, c.Table, f.tableSays)
		}
	}
	switch o.Statistic {
	case "":
		o.Statistic = t.Statistic
	case t.Statistic:
	default:
		return nil, fmt.Errorf("statistic %s: the table %s records %s times", o.Statistic, c.Table, t.Statistic)
	}
	if t.Device.CPU != ThisDevice(1).CPU {
		log.Warn("the table was measured on another device: its costs need not match this machine",
			zap.String("table_device", t.Device.String()))
	}
	return t, nil
}
