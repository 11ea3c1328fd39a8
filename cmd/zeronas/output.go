package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// globalFlags are accepted by every command.
func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verbose", Usage: "log progress and settings to stderr"},
		&cli.StringFlag{Name: "log-format", Value: "console", Usage: "log format: console or json"},
	}
}

// formatFlag is the --format flag with the formats a command supports, the first the default.
func formatFlag(formats ...string) *cli.StringFlag {
	return &cli.StringFlag{Name: "format", Value: formats[0], Usage: "output format: " + strings.Join(formats, ", ")}
}

// checkFormat returns an input error unless the --format value is one of formats.
func checkFormat(c *cli.Context, formats ...string) (string, error) {
	f := c.String("format")
	for _, x := range formats {
		if f == x {
			return f, nil
		}
	}
	return "", badInput(fmt.Errorf("--format %q: want one of %s", f, strings.Join(formats, ", ")))
}

// formatAndLogger reads --format (one of formats) and sets up the logger.
func formatAndLogger(c *cli.Context, formats ...string) (string, *zap.Logger, error) {
	format, err := checkFormat(c, formats...)
	if err != nil {
		return "", nil, err
	}
	log, err := newLogger(c)
	return format, log, err
}

// newLogger returns a zap logger on the app's error writer: warnings only unless --verbose,
// JSON lines with --log-format json.
func newLogger(c *cli.Context) (*zap.Logger, error) {
	level := zapcore.WarnLevel
	if globalBool(c, "verbose") {
		level = zapcore.InfoLevel
	}
	cfg := zap.NewProductionEncoderConfig()
	cfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var enc zapcore.Encoder
	switch globalString(c, "log-format") {
	case "json":
		enc = zapcore.NewJSONEncoder(cfg)
	case "console":
		cfg.EncodeLevel = zapcore.CapitalLevelEncoder
		enc = zapcore.NewConsoleEncoder(cfg)
	default:
		return nil, badInput(fmt.Errorf("--log-format %q: want console or json", globalString(c, "log-format")))
	}
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(c.App.ErrWriter), level)), nil
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeTable writes rows under a header, aligned for a terminal.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// writeCSV writes rows under a header as CSV.
func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// globalBool returns a global flag's value wherever it was given: before the command
// (zeronas --verbose search) or after it (zeronas search --verbose).
func globalBool(c *cli.Context, name string) bool {
	for _, x := range c.Lineage() {
		if x.IsSet(name) {
			return x.Bool(name)
		}
	}
	return false
}

// globalString is globalBool for a string flag; the flag's default when it was not given.
func globalString(c *cli.Context, name string) string {
	for _, x := range c.Lineage() {
		if x.IsSet(name) {
			return x.String(name)
		}
	}
	return c.String(name)
}
