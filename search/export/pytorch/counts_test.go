package pytorch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"math/rand"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zeronas/zeronas/proxy"
	"github.com/zeronas/zeronas/space"
)

const benchFile = "../../../experiments/data/nas-bench-bert/nas-bench-bert-dev.json"

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

// Every record of the shipped NAS-Bench-BERT file (faithful build) and sampled architectures
// of every space in every build: the module's parameters are zeronas's, name by name, shape
// by shape and, with the module's own roles, role by role.
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
	rng := rand.New(rand.NewSource(1))
	for _, name := range space.Names() {
		sp, err := space.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		if sp.Family == space.FamilyGPT2 {
			// Not exported yet: the export must say so, not write a module that fails.
			if err := Write(t.TempDir(), []space.Arch{sp.Sample(rng)}, Options{Space: name}); !errors.Is(err, ErrGPT2) {
				t.Errorf("%s: export of a GPT-2 decoder: %v, want ErrGPT2", name, err)
			}
			continue
		}
		for _, b := range []space.Build{space.Faithful, space.Legacy, space.AsTrained} {
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
	t.Logf("%d models (%d NAS-Bench-BERT records, %d sampled) equal role by role", n, len(recs), n-len(recs))
}
