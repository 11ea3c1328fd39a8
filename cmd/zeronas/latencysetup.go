package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/zeronas/zeronas/objectives"
	"github.com/zeronas/zeronas/objectives/latency"
	"github.com/zeronas/zeronas/search/rundir"
	"github.com/zeronas/zeronas/space"
)

// latencyChoiceFlags choose the latency model of score and search.
func latencyChoiceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "latency", Value: "table", Usage: "latency model: table (measured per-block costs on this machine, cached) or flops (analytic, deterministic)"},
		&cli.StringFlag{Name: "latency-table", Usage: "a latency table file (see 'zeronas latency calibrate'), e.g. measured on your target device"},
	}
}

// chooseLatency returns the model the flags select, its description for run.json, and the
// table's bytes to keep with a run (nil for the analytic model).
func chooseLatency(ctx context.Context, c *cli.Context, sp *space.Space, log *zap.Logger) (objectives.LatencyModel, rundir.LatencySpec, []byte, error) {
	switch c.String("latency") {
	case "flops":
		m := latency.NewAnalytic(latency.Options{})
		return m, rundir.LatencySpec{Model: "flops", Description: m.Describe()}, nil, nil
	case "table":
	default:
		if dev, ok := strings.CutPrefix(c.String("latency"), rundir.DevicePrefix); ok {
			spec, err := deviceLatency(c, dev)
			return nil, spec, nil, err
		}
		return nil, rundir.LatencySpec{}, nil, badInput(fmt.Errorf("--latency %q: want table, flops or device:NAME", c.String("latency")))
	}
	var t *latency.Table
	var err error
	if path := c.String("latency-table"); path != "" {
		if t, err = latency.ReadTable(path); err != nil {
			return nil, rundir.LatencySpec{}, nil, badInput(err)
		}
		if err := t.Check(sp); err != nil {
			return nil, rundir.LatencySpec{}, nil, badInput(fmt.Errorf("%s: %w", path, err))
		}
	} else {
		if path, err := latency.DefaultTablePath(sp, latency.Options{}); err == nil {
			if _, err := os.Stat(path); err != nil {
				fmt.Fprintf(c.App.ErrWriter, "measuring a latency table for %s on this machine, once (cached in %s)...\n", sp.Name, path)
			}
		}
		if t, err = latency.LoadOrCalibrate(ctx, sp, latency.Options{}, log); err != nil {
			return nil, rundir.LatencySpec{}, nil, err
		}
	}
	data, err := t.Marshal()
	if err != nil {
		return nil, rundir.LatencySpec{}, nil, fmt.Errorf("latency table: %w", err)
	}
	sum := sha256.Sum256(data)
	return t, rundir.LatencySpec{Model: "table", Description: t.Describe(), SHA256: hex.EncodeToString(sum[:])}, data, nil
}
