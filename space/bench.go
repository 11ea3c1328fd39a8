package space

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zeronas/zeronas/internal/input"
)

// Record is one architecture read from a file, with its labels when the file is a
// benchmark.
type Record struct {
	// ID is the record's id as the file gives it, or its index when it has none.
	ID string `json:"id"`
	// Index is the record's position in the file, from 0.
	Index int `json:"index"`
	// Arch is the architecture.
	Arch Arch `json:"arch"`
	// Scores holds the benchmark's scores (NAS-Bench-BERT: cola ... glue), if any.
	Scores map[string]float64 `json:"scores,omitempty"`
}

// RecordError locates a problem in a file of records.
type RecordError struct {
	File  string
	Index int    // record index from 0, or -1 for the file as a whole
	ID    string // the record's id, if known
	Err   error
}

// Error names the file, the record and the problem.
func (e *RecordError) Error() string {
	switch {
	case e.Index < 0:
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	case e.ID != "":
		return fmt.Sprintf("%s: record %d (id %s): %v", e.File, e.Index, e.ID, e.Err)
	}
	return fmt.Sprintf("%s: record %d: %v", e.File, e.Index, e.Err)
}

// Unwrap returns the problem.
func (e *RecordError) Unwrap() error { return e.Err }

// benchLayer is a layer as NAS-Bench-BERT writes it.
type benchLayer struct {
	OpType *string          `json:"operation_type"`
	Param  *json.RawMessage `json:"operation_parameter"`
	Heads  *int             `json:"num_operation_heads"`
	FFDim  *int             `json:"feed_forward_dimension"`
	NumFF  *int             `json:"num_feed_forward"`
}

// rawRecord accepts both a NAS-Bench-BERT record and a canonical architecture (optionally
// under "arch", with an "id").
type rawRecord struct {
	Scores  map[string]float64 `json:"scores"`
	Layers  *[]Layer           `json:"layers"`
	Arch    *Arch              `json:"arch"`
	Hparams *struct {
		Overrides *struct {
			Hidden *int `json:"hidden_size"`
			NAS    *struct {
				Layers *[]benchLayer `json:"encoder_layers"`
			} `json:"nas_config"`
		} `json:"model_hparam_overrides"`
	} `json:"hparams"`
}

// ReadRecords is ReadRecordsContext without cancellation.
func ReadRecords(path string, s *Space) ([]Record, error) {
	return ReadRecordsContext(context.Background(), path, s)
}

// ReadRecordsContext reads a file of architectures: a JSON list or JSON Lines of
// NAS-Bench-BERT records or canonical architectures, read as input.ReadFile reads (a
// regular file within the input limit; ctx stops it). Every architecture is validated
// against s; the first problem is returned as a *RecordError naming the file, the record
// and the field.
func ReadRecordsContext(ctx context.Context, path string, s *Space) ([]Record, error) {
	data, err := input.ReadFile(ctx, path, 0)
	if err != nil {
		return nil, err
	}
	return ParseRecords(path, data, s)
}

// ParseRecords is ReadRecords on data already read; name labels errors.
func ParseRecords(name string, data []byte, s *Space) ([]Record, error) {
	raws, err := splitRecords(name, data)
	if err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, &RecordError{File: name, Index: -1, Err: errors.New("no records")}
	}
	recs := make([]Record, 0, len(raws))
	for i, raw := range raws {
		r, err := parseRecord(raw, i, s)
		if err != nil {
			return nil, &RecordError{File: name, Index: i, ID: r.ID, Err: err}
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// splitRecords returns the raw records of a JSON list, a single JSON object or JSON Lines.
func splitRecords(name string, data []byte) ([]json.RawMessage, error) {
	trim := bytes.TrimSpace(data)
	if len(trim) == 0 {
		return nil, &RecordError{File: name, Index: -1, Err: errors.New("empty file")}
	}
	if trim[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(trim, &raws); err != nil {
			return nil, &RecordError{File: name, Index: -1, Err: locate(data, err)}
		}
		return raws, nil
	}
	// One object, or JSON Lines: one object per non-blank line.
	var raws []json.RawMessage
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if !json.Valid(b) {
			if len(raws) == 0 && json.Valid(trim) {
				return []json.RawMessage{trim}, nil // one pretty-printed object
			}
			var v any
			err := json.Unmarshal(b, &v)
			return nil, &RecordError{File: name, Index: -1, Err: fmt.Errorf("line %d: %w", line, err)}
		}
		raws = append(raws, append(json.RawMessage(nil), b...))
	}
	if err := sc.Err(); err != nil {
		return nil, &RecordError{File: name, Index: -1, Err: err}
	}
	return raws, nil
}

// locate turns a JSON syntax error's offset into a line and column.
func locate(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		col := int(se.Offset) - bytes.LastIndexByte(data[:se.Offset], '\n')
		return fmt.Errorf("line %d, column %d: %w", line, col, err)
	}
	return err
}

func parseRecord(raw json.RawMessage, index int, s *Space) (Record, error) {
	r := Record{Index: index, ID: strconv.Itoa(index)}
	var head struct {
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return r, errors.New("not a JSON object")
	}
	if len(head.ID) > 0 && string(head.ID) != "null" {
		var id any
		_ = json.Unmarshal(head.ID, &id)
		switch v := id.(type) {
		case string:
			r.ID = v
		case float64:
			r.ID = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			r.ID = string(head.ID)
		}
	}
	var rr rawRecord
	if err := json.Unmarshal(raw, &rr); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return r, fmt.Errorf("field %s: %s is not a %s", te.Field, te.Value, te.Type)
		}
		return r, err
	}
	r.Scores = rr.Scores
	var err error
	switch {
	case rr.Hparams != nil:
		r.Arch, err = benchArch(rr)
	case rr.Arch != nil:
		r.Arch = *rr.Arch
	case rr.Layers != nil:
		r.Arch = Arch{Layers: *rr.Layers}
	default:
		err = errors.New("missing field hparams (a NAS-Bench-BERT record) or layers (an architecture)")
	}
	if err != nil {
		return r, err
	}
	for i := range r.Arch.Layers {
		l := &r.Arch.Layers[i]
		l.Op = strings.ToUpper(l.Op)
		l.Param = strings.ToUpper(l.Param)
	}
	if err := s.Validate(r.Arch); err != nil {
		return r, err
	}
	return r, nil
}

func benchArch(rr rawRecord) (Arch, error) {
	o := rr.Hparams.Overrides
	if o == nil {
		return Arch{}, errors.New("missing field hparams.model_hparam_overrides")
	}
	if o.Hidden == nil {
		return Arch{}, errors.New("missing field hparams.model_hparam_overrides.hidden_size")
	}
	if o.NAS == nil || o.NAS.Layers == nil {
		return Arch{}, errors.New("missing field hparams.model_hparam_overrides.nas_config.encoder_layers")
	}
	var a Arch
	for i, bl := range *o.NAS.Layers {
		missing := func(f string) error {
			return &InvalidArchError{Layer: i, Field: f, Value: "<missing>", Reason: "required"}
		}
		switch {
		case bl.OpType == nil:
			return a, missing("operation_type")
		case bl.Param == nil:
			return a, missing("operation_parameter")
		case bl.Heads == nil:
			return a, missing("num_operation_heads")
		case bl.FFDim == nil:
			return a, missing("feed_forward_dimension")
		case bl.NumFF == nil:
			return a, missing("num_feed_forward")
		}
		var param any
		if err := json.Unmarshal(*bl.Param, &param); err != nil {
			return a, &InvalidArchError{Layer: i, Field: "operation_parameter", Value: string(*bl.Param), Reason: err.Error()}
		}
		var p string
		switch v := param.(type) {
		case string:
			p = v
		case float64:
			p = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return a, &InvalidArchError{Layer: i, Field: "operation_parameter", Value: string(*bl.Param), Reason: "want a string or an integer"}
		}
		if *bl.NumFF <= 0 || *bl.NumFF > MaxFFCount {
			return a, &InvalidArchError{Layer: i, Field: "num_feed_forward", Value: *bl.NumFF, Reason: fmt.Sprintf("must be from 1 to %d", MaxFFCount)}
		}
		ff := make([]int, *bl.NumFF)
		for j := range ff {
			ff[j] = *bl.FFDim
		}
		a.Layers = append(a.Layers, Layer{Hidden: *o.Hidden, Op: *bl.OpType, Param: p, Heads: *bl.Heads, FF: ff})
	}
	return a, nil
}
