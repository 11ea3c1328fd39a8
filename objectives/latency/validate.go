package latency

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"sort"

	"go.uber.org/zap"

	"github.com/zeronas/zeronas/proxy/rank"
	"github.com/zeronas/zeronas/space"
)

// Validation compares a Model's predictions with measured forward passes of architectures
// drawn uniformly from a space.
type Validation struct {
	// Space names the space sampled.
	Space string `json:"space"`
	// N is the number of architectures; Seed drew them.
	N    int   `json:"n"`
	Seed int64 `json:"seed"`
	// Spearman is the rank correlation (average ranks for ties) of predicted and measured.
	Spearman float64 `json:"spearman"`
	// MedianRelError is the median of |predicted - measured| / measured, measured being
	// the statistic of the settings.
	MedianRelError float64 `json:"median_rel_error"`
	// MedianRatio is the median of predicted / measured: far from 1 when the model's scale
	// is off, as for a table calibrated while the machine was busier than now.
	MedianRatio float64 `json:"median_ratio"`
	// Spread is the median over the architectures of p90 / p10 of the repetitions: about
	// 1 on a quiet machine, well above on a busy one.
	Spread float64 `json:"spread"`
	// Model describes the model validated.
	Model string `json:"model"`
	// ReferenceMS is the reference kernel's timing (ReferenceMS) before the measurements;
	// TableReference is the drift check a calibrated table recorded, and ReferenceMoved
	// how much the reference moved since (ReferenceMS / TableReference.MS - 1).
	ReferenceMS    float64    `json:"reference_ms"`
	TableReference *Reference `json:"table_reference,omitempty"`
	ReferenceMoved *float64   `json:"reference_moved,omitempty"`
	// TableNetwork is the whole-network check of a calibrated table, whose scale its
	// predictions include.
	TableNetwork *NetworkCheck `json:"table_network,omitempty"`
	// Options are the measurement settings (after defaults).
	Options Options `json:"settings"`
	// Device is the machine measured on.
	Device Device `json:"device"`
	// Rows has one entry per architecture, in sampling order.
	Rows []ValidationRow `json:"rows"`
}

// ValidationRow is one architecture of a Validation.
type ValidationRow struct {
	// ArchID is the architecture's space.Arch ID and Depth its number of layers.
	ArchID string `json:"arch_id"`
	Depth  int    `json:"depth"`
	// PredictedMS is the model's prediction.
	PredictedMS float64 `json:"predicted_ms"`
	// MeasuredMS is the statistic of the settings; Measured has them all.
	MeasuredMS float64 `json:"measured_ms"`
	Measured   Stats   `json:"measured"`
	// RelError is |PredictedMS - MeasuredMS| / MeasuredMS.
	RelError float64 `json:"rel_error"`
}

// Validate draws n architectures from sp with seed (space.Sample), predicts each with m and
// measures them with MeasureArchs, and returns how well the predictions rank and match
// the measurements. A model with a PredictErr method (a *Table) reports missing blocks as
// errors; a Table must have been built with the statistic of o.
func Validate(ctx context.Context, sp *space.Space, m Model, n int, seed int64, o Options, log *zap.Logger) (Validation, error) {
	o = o.ForSpace(sp).WithDefaults()
	if err := o.Validate(); err != nil {
		return Validation{}, err
	}
	if n < 2 {
		return Validation{}, fmt.Errorf("validation needs at least 2 architectures, not %d", n)
	}
	if log == nil {
		log = zap.NewNop()
	}
	if t, ok := m.(*Table); ok && t.Statistic != o.Statistic {
		return Validation{}, fmt.Errorf("the table's costs are %s times; measure with the same statistic, not %s", t.Statistic, o.Statistic)
	}
	var err error
	rng := rand.New(rand.NewSource(seed))
	v := Validation{Space: sp.Name, N: n, Seed: seed, Model: m.Describe(), Options: o, Device: ThisDevice(o.Threads)}
	archs := make([]space.Arch, n)
	pred, meas := make([]float64, n), make([]float64, n)
	for i := range archs {
		archs[i] = sp.Sample(rng)
		p, err := predictErr(m, archs[i])
		if err != nil {
			return Validation{}, fmt.Errorf("architecture %s: %w", archs[i].ID(), err)
		}
		pred[i] = p
	}
	if v.ReferenceMS, err = ReferenceMS(ctx, o.Threads); err != nil {
		return Validation{}, err
	}
	if t, ok := m.(*Table); ok {
		v.TableNetwork = t.Network
		if t.Reference != nil {
			moved := t.Reference.Moved(v.ReferenceMS)
			v.TableReference, v.ReferenceMoved = t.Reference, &moved
		}
	}
	rs, err := MeasureArchs(ctx, archs, o)
	if err != nil {
		return Validation{}, err
	}
	for i, r := range rs {
		meas[i] = r.MS
		row := ValidationRow{ArchID: r.ArchID, Depth: archs[i].Depth(), PredictedMS: pred[i], MeasuredMS: r.MS, Measured: r.Stats,
			RelError: math.Abs(pred[i]-r.MS) / r.MS}
		v.Rows = append(v.Rows, row)
		log.Debug("validated", zap.String("arch_id", row.ArchID), zap.Float64("predicted_ms", row.PredictedMS), zap.Float64("measured_ms", row.MeasuredMS))
	}
	v.MedianRelError = medianOf(v.Rows, func(r ValidationRow) float64 { return r.RelError })
	v.MedianRatio = medianOf(v.Rows, func(r ValidationRow) float64 { return r.PredictedMS / r.MeasuredMS })
	v.Spread = medianOf(v.Rows, func(r ValidationRow) float64 { return r.Measured.P90MS / r.Measured.P10MS })
	v.Spearman = Spearman(pred, meas)
	return v, nil
}

// medianOf returns the median of f over xs.
func medianOf[T any](xs []T, f func(T) float64) float64 {
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	sort.Float64s(v)
	return quantile(v, 0.5)
}

func predictErr(m Model, a space.Arch) (float64, error) {
	if pe, ok := m.(interface {
		PredictErr(space.Arch) (float64, error)
	}); ok {
		return pe.PredictErr(a)
	}
	return m.Predict(a), nil
}

// Spearman returns the Spearman rank correlation of x and y (equal lengths, at least 2),
// ties given their average rank; NaN when either has no spread.
func Spearman(x, y []float64) float64 {
	rho, err := rank.Spearman(x, y)
	if err != nil {
		return math.NaN()
	}
	return rho
}
