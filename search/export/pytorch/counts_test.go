package pytorch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

const (
	benchFile = "../../../experiments/data/nas-bench-bert/nas-bench-bert-dev.json"
	ltsFile   = "../../../experiments/data/lts/gpt2-lm1b-dev.jsonl"
)

// countScript builds every config on the meta device and prints, per model, its state
// dict's names, shapes and the roles the module itself assigns.
const countScript = `
import json, torch
from zeronas_models import build
for path in sys.argv[1:]:
    model = build(path, device="meta")
    roles = model.roles()
    sd = model.state_dict()
    print(json.dumps({"config": path, "entries": [[n, list(t.shape), roles[n]] for n, t in sd.items()]}))
`

type countCase struct {
	arch  space.Arch
	build space.Build
	space string
}

// Every record of the shipped NAS-Bench-BERT and LTS files (faithful build), sampled
// architectures of every space in every build that exports, and GPT-2 decoders of every
// adaptive embedding form: the module's parameters are zeronas's, name by name, shape by
// shape and, with the module's own roles, role by role. Models are built on the meta
// device, so the count costs no memory.
func TestParamCounts(t *testing.T) {
	py := python(t)
	nb, err := space.Load("nas-bench-bert")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := space.ReadRecords(benchFile, nb)
	if err != nil {
		t.Fatal(err)
	}
	var cases []countCase
	for _, r := range recs {
		cases = append(cases, countCase{r.Arch, space.Faithful, "nas-bench-bert"})
	}
	gpt2, err := space.Load("gpt2")
	if err != nil {
		t.Fatal(err)
	}
	lts, err := space.ReadRecords(ltsFile, gpt2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range lts {
		cases = append(cases, countCase{r.Arch, space.Faithful, "gpt2"})
	}
	for _, a := range gpt2Archs() {
		cases = append(cases, countCase{a, space.Faithful, ""})
	}
	rng := rand.New(rand.NewSource(1))
	for _, name := range space.Names() {
		sp, err := space.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range sp.Builds() {
			if b == space.TransformerXL {
				continue // refused: TestTransformerXLRefused
			}
			for range 4 {
				cases = append(cases, countCase{sp.Sample(rng), b, name})
			}
		}
	}
	dir := t.TempDir()
	var paths []string
	for i, c := range cases {
		sub := filepath.Join(dir, DirName(i, c.arch))
		if err := Write(sub, []space.Arch{c.arch}, Options{Space: c.space, Settings: proxy.Settings{Build: c.build}}); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.Join(sub, DirName(0, c.arch), ConfigFile))
	}
	out := runPython(t, py, filepath.Join(dir, DirName(0, cases[0].arch)), countScript, paths...)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	n := 0
	for ; sc.Scan(); n++ {
		var got struct {
			Config  string
			Entries [][3]json.RawMessage
		}
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		c := cases[n]
		want := StateDict(c.arch, c.build)
		byRole := map[string]int64{}
		var names []string
		for _, e := range got.Entries {
			var name, role string
			var shape []int
			json.Unmarshal(e[0], &name)
			json.Unmarshal(e[1], &shape)
			json.Unmarshal(e[2], &role)
			names = append(names, name)
			size := int64(1)
			for _, d := range shape {
				size *= int64(d)
			}
			byRole[role] += size
			i := slices.IndexFunc(want, func(w Entry) bool { return w.Name == name })
			if i < 0 || !slices.Equal(want[i].Shape, shape) {
				t.Errorf("case %d (%s, %s): module tensor %s %v is not zeronas's", n, c.space, c.build, name, shape)
			}
		}
		if len(names) != len(want) {
			t.Errorf("case %d (%s, %s): module has %d tensors, zeronas %d", n, c.space, c.build, len(names), len(want))
		}
		wantRole := map[string]int64{}
		for _, tn := range space.Tensors(c.arch, c.build) {
			wantRole[RoleName(tn.Role)] += tn.Params()
		}
		for _, r := range []string{"attention", "ffn", "embedding", "other"} {
			if byRole[r] != wantRole[r] {
				t.Errorf("case %d (%s, %s, %s): %s parameters: module %d, zeronas %d", n, c.space, c.build, c.arch.ID(), r, byRole[r], wantRole[r])
			}
		}
	}
	if n != len(cases) {
		t.Fatalf("python answered for %d of %d models", n, len(cases))
	}
	t.Logf("%d models (%d NAS-Bench-BERT records, %d LTS records, %d sampled or made) equal role by role", n, len(recs), len(lts), n-len(recs)-len(lts))
}

// gpt2Archs returns small GPT-2 decoders with every form of adaptive embedding: div_val 1
// with d_embed d_model, div_val 1 with its own d_embed and cutoffs (one table, one input
// projection, per-cluster softmax projections), div_val 2 and div_val 4 with cutoffs, and
// the gpt2 space's own embedding (one cluster, div_val 2).
func gpt2Archs() []space.Arch {
	layers := func(d int, heads, inner []int) []space.Layer {
		var ls []space.Layer
		for i := range heads {
			ls = append(ls, space.Layer{Hidden: d, Op: space.OpCSA, Heads: heads[i], FF: []int{inner[i]}})
		}
		return ls
	}
	return []space.Arch{
		{Layers: layers(64, []int{2, 8}, []int{96, 160}), Embed: &space.AdaptiveEmbedding{Vocab: 1000, DivVal: 1}},
		{Layers: layers(64, []int{4, 2}, []int{128, 72}), Embed: &space.AdaptiveEmbedding{Vocab: 1000, DEmbed: 48, DivVal: 1, Cutoffs: []int{200, 600}}},
		{Layers: layers(64, []int{4, 8, 2}, []int{64, 200, 96}), Embed: &space.AdaptiveEmbedding{Vocab: 1000, DivVal: 2, Cutoffs: []int{200, 600}}},
		{Layers: layers(32, []int{2}, []int{80}), Embed: &space.AdaptiveEmbedding{Vocab: 1000, DEmbed: 128, DivVal: 4, Cutoffs: []int{100, 300, 700}}},
		{Layers: layers(64, []int{8, 4}, []int{128, 64}), Embed: &space.AdaptiveEmbedding{Vocab: 50264, DivVal: 2}},
	}
}

// GPT-2's transformer-xl build is refused with ErrTransformerXL, and a GPT-2 decoder in a
// FlexiBERT build with an error, before anything is written.
func TestTransformerXLRefused(t *testing.T) {
	a := gpt2Archs()[0]
	dir := t.TempDir()
	err := Write(dir, []space.Arch{a}, Options{Settings: proxy.Settings{Build: space.TransformerXL}})
	if !errors.Is(err, ErrTransformerXL) {
		t.Errorf("transformer-xl export: %v, want ErrTransformerXL", err)
	}
	if err := Write(dir, []space.Arch{a}, Options{Settings: proxy.Settings{Build: space.Legacy}}); err == nil {
		t.Error("a GPT-2 decoder exported in the legacy build")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused exports wrote %d files", len(entries))
	}
}
