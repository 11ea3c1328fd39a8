package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/zeronas/zeronas/internal/input"
	"github.com/zeronas/zeronas/internal/safetensors"
	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/proxy/checkpoint"
	"github.com/zeronas/zeronas/search/export/pytorch"
	"github.com/zeronas/zeronas/space"
)

// scoreCheckpoint is 'zeronas score --checkpoint FILE [--arch CONFIG]': ZeroLM on the
// weights of a safetensors file.
func scoreCheckpoint(c *cli.Context) error {
	format, err := checkFormat(c, "table", "json", "csv")
	if err != nil {
		return err
	}
	if c.IsSet("bench") {
		return badInput(fmt.Errorf("give --checkpoint or --bench, not both"))
	}
	// --stat all scores every statistic, decomposing each matrix once.
	stats := []proxy.Stat{proxy.Stat(c.String("stat"))}
	if c.String("stat") == "all" {
		stats = []proxy.Stat{proxy.Frob, proxy.Nuclear, proxy.StableRank, proxy.Entropy}
		if err := c.Set("stat", string(proxy.Frob)); err != nil {
			return err
		}
	}
	path := c.String("checkpoint")
	f, err := checkpoint.ReadFile(c.Context, path)
	if err != nil {
		return badInput(err)
	}
	note, family := "architecture not checked (no --arch)", ""
	if cfg := c.String("arch"); cfg != "" {
		if note, family, err = checkArch(f, path, cfg); err != nil {
			return badInput(err)
		}
	}
	// The default alpha is the config's space family's unless --space says otherwise.
	spaceName := c.String("space")
	if family == space.FamilyGPT2 && !c.IsSet("space") {
		spaceName = space.FamilyGPT2
	}
	sp, err := space.LoadContext(c.Context, spaceName)
	if err != nil {
		return badInput(err)
	}
	if family != "" && sp.Family != family {
		return badInput(fmt.Errorf("--space %s is a %s space but %s describes a %s model", spaceName, familyName(sp.Family), c.String("arch"), familyName(family)))
	}
	set, src, err := proxySettings(c, sp)
	if err != nil {
		return err
	}
	rs, err := checkpoint.ScoreStats(f, stats, set.Alpha, c.Int("workers"))
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", path, err))
	}
	res := rs[0]
	fmt.Fprintf(c.App.ErrWriter, "zerolm on %s: alpha %g (%s); %s; %d matrices scored, %d unknown tensors\n",
		path, set.Alpha, src, note, len(res.Matrices), len(res.Unknown))
	switch format {
	case "json":
		if len(rs) == 1 {
			return writeJSON(c.App.Writer, res)
		}
		return writeJSON(c.App.Writer, rs)
	case "csv":
		var rows [][]string
		for _, r := range rs {
			for _, m := range r.Matrices {
				rows = append(rows, []string{string(r.Stat), m.Name, m.Role, strconv.Itoa(m.Rows), strconv.Itoa(m.Cols), strconv.FormatFloat(m.C, 'g', 10, 64)})
			}
		}
		return writeCSV(c.App.Writer, []string{"stat", "name", "role", "rows", "cols", "capacity"}, rows)
	}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }
	p := func(r string) string { return strconv.FormatInt(res.Params[r], 10) }
	var rows [][]string
	for _, r := range rs {
		rows = append(rows, []string{string(r.Stat), g(r.Attn), g(r.FFN), g(r.Score), strconv.Itoa(len(r.Matrices)),
			p(checkpoint.Attention), p(checkpoint.FFN), p(checkpoint.Embedding), p(checkpoint.Other), p("unknown")})
	}
	err = writeTable(c.App.Writer,
		[]string{"stat", "s_attn", "s_ffn", "score", "matrices", "attention", "ffn", "embedding", "other", "unknown"}, rows)
	if err == nil && len(res.Unknown) > 0 {
		_, err = fmt.Fprintf(c.App.Writer, "unknown tensors (no role, not scored): %s\n", strings.Join(res.Unknown, ", "))
	}
	return err
}

// checkArch checks the checkpoint against CONFIG: a zeronas PyTorch export's config.json
// must match its tensors name by name and shape by shape; a Hugging Face config.json is
// accepted as it is. It returns a note for the output and the model's space family
// (space.FamilyGPT2, or "" for FlexiBERT and BERT).
func checkArch(f *safetensors.File, path, cfgPath string) (note, family string, err error) {
	data, err := input.ReadFile(context.Background(), cfgPath, 0)
	if err != nil {
		return "", "", err
	}
	var cfg pytorch.Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", "", fmt.Errorf("%s: %w", cfgPath, err)
	}
	if cfg.Format != pytorch.Format {
		var hf struct {
			ModelType string `json:"model_type"`
		}
		if json.Unmarshal(data, &hf); hf.ModelType != "" {
			if hf.ModelType == "gpt2" {
				family = space.FamilyGPT2
			}
			return fmt.Sprintf("config %s (model_type %s) not checked against the tensors", cfgPath, hf.ModelType), family, nil
		}
		return "", "", fmt.Errorf("%s: format %q: want %q (a zeronas export's config.json) or a Hugging Face config with model_type", cfgPath, cfg.Format, pytorch.Format)
	}
	if len(cfg.Arch.Layers) == 0 {
		return "", "", fmt.Errorf("%s: arch: missing or empty", cfgPath)
	}
	for _, e := range pytorch.StateDict(cfg.Arch, cfg.Build) {
		t, ok := f.Info(e.Name)
		switch {
		case !ok:
			return "", "", fmt.Errorf("%s: tensor %s of %s: missing", path, e.Name, cfgPath)
		case !slices.Equal(t.Shape, e.Shape):
			return "", "", fmt.Errorf("%s: tensor %s: shape %v, want %v for %s", path, e.Name, t.Shape, e.Shape, cfgPath)
		}
	}
	if cfg.Arch.Embed != nil {
		family = space.FamilyGPT2
	}
	return fmt.Sprintf("tensors match architecture %s (%s build)", cfg.Arch.ID(), cfg.Build), family, nil
}

// familyName names a space family for messages.
func familyName(family string) string {
	if family == "" {
		return "FlexiBERT"
	}
	return "GPT-2"
}
