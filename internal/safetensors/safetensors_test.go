package safetensors

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

func write(t testing.TB, infos []Info, meta map[string]string, data [][]float64) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, infos, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range data {
		if err := w.WriteFloat64s(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	vals := []float64{0, 1, -2.5, 0.1, 65504, 1e-3, -3.75}
	for _, dt := range []DType{F32, F16, BF16, F64} {
		infos := []Info{{Name: "a.weight", DType: dt, Shape: []int{7}}, {Name: "b", DType: dt, Shape: []int{0, 3}}}
		b := write(t, infos, map[string]string{"a.weight": "ffn"}, [][]float64{vals, nil})
		if n := binary.LittleEndian.Uint64(b); (8+n)%8 != 0 {
			t.Errorf("%s: data begins at %d, not 8-byte aligned", dt, 8+n)
		}
		f, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", dt, err)
		}
		if f.Metadata["a.weight"] != "ffn" || len(f.Tensors) != 2 {
			t.Fatalf("%s: metadata %v, tensors %v", dt, f.Metadata, f.Tensors)
		}
		got, err := f.Float64s("a.weight")
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			tol := map[DType]float64{F32: 1e-7, F64: 0, F16: 1e-3, BF16: 8e-3}[dt]
			if math.Abs(got[i]-v) > tol*math.Abs(v) {
				t.Errorf("%s: value %d: got %g, want %g", dt, i, got[i], v)
			}
		}
	}
}

// Every half-precision number converts to float32 and back unchanged, and float32 values
// between two halves round to the nearer one.
func TestHalfExhaustive(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := HalfToFloat32(uint16(h))
		if math.IsNaN(float64(f)) {
			if Float32ToHalf(f)&0x7c00 != 0x7c00 || Float32ToHalf(f)&0x3ff == 0 {
				t.Errorf("NaN %#x: back to %#x", h, Float32ToHalf(f))
			}
			continue
		}
		if back := Float32ToHalf(f); back != uint16(h) {
			t.Fatalf("%#x -> %g -> %#x", h, f, back)
		}
	}
	cases := []struct {
		f    float32
		want uint16
	}{
		{1 + 1.0/2048, 0x3c00},        // tie, to even
		{1 + 3.0/2048, 0x3c02},        // tie, to even (up)
		{65520, 0x7c00},               // rounds to infinity
		{5.960464477539063e-08, 0x01}, // smallest subnormal
		{2.9e-08, 0x0000},             // below half of it
		{1e-10, 0},
	}
	for _, c := range cases {
		if got := Float32ToHalf(c.f); got != c.want {
			t.Errorf("Float32ToHalf(%g) = %#x, want %#x", c.f, got, c.want)
		}
	}
	if got := Float32ToBF16(1 + 1.0/256); got != 0x3f80 {
		t.Errorf("bf16 tie: got %#x", got)
	}
}

func TestHostile(t *testing.T) {
	good := write(t, []Info{{Name: "w", DType: F32, Shape: []int{2, 2}}}, nil, [][]float64{{1, 2, 3, 4}})
	hdr := func(js string, data int) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
		return append(append(b, js...), make([]byte, data)...)
	}
	huge := binary.LittleEndian.AppendUint64(nil, 1<<62)
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"huge header length", huge, "above the limit"},
		{"header past end", good[:20], "truncated"},
		{"data cut", good[:len(good)-1], "truncated"},
		{"trailing data", append(append([]byte{}, good...), 0), "after the last tensor"},
		{"not json", hdr("{nope", 0), "header"},
		{"bad dtype", hdr(`{"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}`, 1), "dtype"},
		{"wrong size", hdr(`{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, 4), "want 8 bytes"},
		{"negative dim", hdr(`{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}`, 0), "negative"},
		{"overflow", hdr(`{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`, 0), "too large"},
		{"overlap", hdr(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 4), "tile"},
		{"gap", hdr(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8), "tile"},
		{"bad metadata", hdr(`{"__metadata__":{"a":1}}`, 0), "__metadata__"},
		{"unknown field", hdr(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}`, 4), "unknown field"},
	}
	for _, c := range cases {
		_, err := Parse(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error spans lines: %q", c.name, err)
		}
	}
}

// Integer tensors (position ids in BERT checkpoints) are read, not converted.
func TestIntegerTensor(t *testing.T) {
	js := `{"ids":{"dtype":"I64","shape":[1,2],"data_offsets":[0,16]}}`
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
	f, err := Parse(append(append(b, js...), make([]byte, 16)...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Float64s("ids"); err == nil || !strings.Contains(err.Error(), "I64") {
		t.Errorf("converting I64: %v", err)
	}
}

func TestWriterChecks(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, []Info{{Name: "a", DType: F32, Shape: []int{2}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteFloat64s([]float64{1}); err == nil {
		t.Error("wrong length accepted")
	}
	if err := w.Close(); err == nil {
		t.Error("missing tensor not reported")
	}
	if _, err := NewWriter(&buf, []Info{{Name: "a", DType: F32}, {Name: "a", DType: F32}}, nil); err == nil {
		t.Error("duplicate name accepted")
	}
}

// FuzzParse: any input parses or fails cleanly, and what parses reads back within bounds.
func FuzzParse(f *testing.F) {
	f.Add(write(f, []Info{{Name: "w", DType: F16, Shape: []int{3}}, {Name: "v", DType: BF16, Shape: []int{1, 1}}},
		map[string]string{"w": "attention"}, [][]float64{{1, 2, 3}, {4}}))
	f.Add([]byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '})
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Parse(b)
		if err != nil {
			return
		}
		for _, ti := range file.Tensors {
			if !ti.DType.Float() {
				continue
			}
			v, err := file.Float64s(ti.Name)
			if err != nil || int64(len(v)) != ti.Len() {
				t.Fatalf("tensor %q: %d values, %v", ti.Name, len(v), err)
			}
		}
	})
}
