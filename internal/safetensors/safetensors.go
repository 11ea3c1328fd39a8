// Package safetensors reads and writes the safetensors format of Hugging Face
// (https://github.com/huggingface/safetensors): an 8-byte little-endian header length, a
// JSON header mapping each tensor name to its dtype, shape and byte range (plus an optional
// "__metadata__" object of strings), then the raw little-endian data. It reads files of
// every dtype, converts the floating-point ones (F32, F16, BF16, F64) and writes those, and
// checks every header against the file it
// came with, so that a hostile or damaged file is an error, never a panic or a huge
// allocation.
package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
)

// DType is a tensor's element type as the header spells it.
type DType string

// The supported element types.
const (
	F32  DType = "F32"
	F16  DType = "F16"
	BF16 DType = "BF16"
	F64  DType = "F64"
)

// Size returns the bytes per element of d, or 0 for a type the format does not define.
func (d DType) Size() int {
	switch d {
	case F64, "I64", "U64":
		return 8
	case F32, "I32", "U32":
		return 4
	case F16, BF16, "I16", "U16":
		return 2
	case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2":
		return 1
	}
	return 0
}

// Float reports whether d is one of the floating-point types this package converts.
func (d DType) Float() bool { return d == F32 || d == F16 || d == BF16 || d == F64 }

// MaxHeader is the largest header accepted, as the reference implementation (100 MB).
const MaxHeader = 100 << 20

// maxDims bounds a tensor's rank.
const maxDims = 16

// Info describes one tensor of a file.
type Info struct {
	Name  string
	DType DType
	Shape []int
	// Begin and End are the tensor's byte range in the data section.
	Begin, End int64
}

// Len returns the number of elements of t.
func (t Info) Len() int64 {
	n := int64(1)
	for _, d := range t.Shape {
		n *= int64(d)
	}
	return n
}

// File is a safetensors file held in memory.
type File struct {
	// Tensors lists the tensors in the order of their data.
	Tensors []Info
	// Metadata is the header's __metadata__, nil without one.
	Metadata map[string]string
	data     []byte
	index    map[string]int
}

type headerEntry struct {
	DType       DType   `json:"dtype"`
	Shape       []int   `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// Parse checks and indexes a whole safetensors file. The returned File aliases b.
func Parse(b []byte) (*File, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("truncated: %d bytes, want at least the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	switch {
	case n > MaxHeader:
		return nil, fmt.Errorf("header length %d: above the limit of %d bytes", n, MaxHeader)
	case n > uint64(len(b)-8):
		return nil, fmt.Errorf("truncated: header length %d but only %d bytes follow", n, len(b)-8)
	}
	hdr := b[8 : 8+n]
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	f := &File{data: b[8+n:], index: make(map[string]int, len(raw))}
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &f.Metadata); err != nil {
				return nil, fmt.Errorf("header: __metadata__: want an object of strings: %w", err)
			}
			continue
		}
		var e headerEntry
		dec := json.NewDecoder(bytes.NewReader(msg))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("header: tensor %q: %w", name, err)
		}
		t, err := e.info(name)
		if err != nil {
			return nil, fmt.Errorf("header: tensor %q: %w", name, err)
		}
		f.Tensors = append(f.Tensors, t)
	}
	sort.Slice(f.Tensors, func(i, j int) bool {
		a, b := f.Tensors[i], f.Tensors[j]
		return a.Begin < b.Begin || a.Begin == b.Begin && a.Name < b.Name
	})
	// The data section is exactly the tensors' ranges, back to back.
	var end int64
	for i, t := range f.Tensors {
		if t.Begin != end {
			return nil, fmt.Errorf("header: tensor %q: data_offsets [%d, %d]: want it to begin at %d (ranges must tile the data)", t.Name, t.Begin, t.End, end)
		}
		end = t.End
		f.index[t.Name] = i
	}
	if end != int64(len(f.data)) {
		if end > int64(len(f.data)) {
			return nil, fmt.Errorf("truncated: the header describes %d bytes of data, the file holds %d", end, len(f.data))
		}
		return nil, fmt.Errorf("%d bytes of data after the last tensor", int64(len(f.data))-end)
	}
	return f, nil
}

func (e headerEntry) info(name string) (Info, error) {
	t := Info{Name: name, DType: e.DType, Shape: e.Shape}
	size := int64(e.DType.Size())
	switch {
	case size == 0:
		return t, fmt.Errorf("dtype %q: not a safetensors dtype", e.DType)
	case e.Shape == nil:
		return t, errors.New("no shape")
	case len(e.Shape) > maxDims:
		return t, fmt.Errorf("shape of rank %d: above %d", len(e.Shape), maxDims)
	case len(e.DataOffsets) != 2:
		return t, fmt.Errorf("data_offsets %v: want [begin, end]", e.DataOffsets)
	}
	n := size
	for _, d := range e.Shape {
		if d < 0 {
			return t, fmt.Errorf("shape %v: negative dimension", e.Shape)
		}
		if d > 0 && n > math.MaxInt64/int64(d) {
			return t, fmt.Errorf("shape %v: too large", e.Shape)
		}
		n *= int64(d)
	}
	t.Begin, t.End = e.DataOffsets[0], e.DataOffsets[1]
	if t.Begin < 0 || t.End < t.Begin || t.End-t.Begin != n {
		return t, fmt.Errorf("data_offsets [%d, %d]: want %d bytes for %s %v", t.Begin, t.End, n, e.DType, e.Shape)
	}
	return t, nil
}

// Info returns the description of the tensor called name.
func (f *File) Info(name string) (Info, bool) {
	i, ok := f.index[name]
	if !ok {
		return Info{}, false
	}
	return f.Tensors[i], true
}

// Float64s returns the elements of the tensor called name, converted to float64.
func (f *File) Float64s(name string) ([]float64, error) {
	t, ok := f.Info(name)
	if !ok {
		return nil, fmt.Errorf("no tensor %q", name)
	}
	if !t.DType.Float() {
		return nil, fmt.Errorf("tensor %q: dtype %s: want F32, F16, BF16 or F64", name, t.DType)
	}
	raw := f.data[t.Begin:t.End]
	out := make([]float64, t.Len())
	le := binary.LittleEndian
	for i := range out {
		switch t.DType {
		case F32:
			out[i] = float64(math.Float32frombits(le.Uint32(raw[4*i:])))
		case F64:
			out[i] = math.Float64frombits(le.Uint64(raw[8*i:]))
		case BF16:
			out[i] = float64(math.Float32frombits(uint32(le.Uint16(raw[2*i:])) << 16))
		case F16:
			out[i] = float64(HalfToFloat32(le.Uint16(raw[2*i:])))
		}
	}
	return out, nil
}

// Float32s returns the elements of the tensor called name, converted to float32.
func (f *File) Float32s(name string) ([]float32, error) {
	v, err := f.Float64s(name)
	if err != nil {
		return nil, err
	}
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x) // exact: every supported dtype but F64 is a subset of float32
	}
	return out, nil
}

// HalfToFloat32 converts an IEEE 754 half-precision number to float32, exactly.
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinities and NaNs
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac * 2^-24
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// Float32ToHalf rounds f to the nearest half-precision number (ties to even).
func Float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23) & 0xff
	frac := b & 0x7fffff
	if exp == 0xff { // infinities and NaNs
		h := sign | 0x7c00
		if frac != 0 {
			h |= 0x200 | uint16(frac>>13)
		}
		return h
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 { // subnormal or zero
		if e < -10 {
			return sign
		}
		m := frac | 0x800000
		shift := uint32(14 - e)
		h := m >> shift
		rem := m & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || rem == half && h&1 == 1 {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(e)<<10 | frac>>13
	rem := frac & 0x1fff
	if rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++ // may carry into the exponent, up to infinity: correct
	}
	return sign | uint16(h)
}

// Float32ToBF16 rounds f to the nearest bfloat16 (ties to even).
func Float32ToBF16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 { // NaN: keep it a NaN
		return uint16(b>>16) | 0x40
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// Writer writes a safetensors file whose tensors are declared up front, so that their data
// can be streamed one tensor at a time.
type Writer struct {
	w     io.Writer
	infos []Info
	next  int
	err   error
}

// NewWriter writes the header of tensors infos (Begin and End are computed here, in the
// order given) with metadata meta, and returns a Writer expecting their data in that order.
func NewWriter(w io.Writer, infos []Info, meta map[string]string) (*Writer, error) {
	hdr := make(map[string]any, len(infos)+1)
	var off int64
	out := slices.Clone(infos)
	for i := range out {
		t := &out[i]
		if !t.DType.Float() {
			return nil, fmt.Errorf("tensor %q: dtype %q: want F32, F16, BF16 or F64", t.Name, t.DType)
		}
		if _, dup := hdr[t.Name]; dup || t.Name == "__metadata__" {
			return nil, fmt.Errorf("tensor %q: duplicate or reserved name", t.Name)
		}
		t.Begin, t.End = off, off+t.Len()*int64(t.DType.Size())
		off = t.End
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		hdr[t.Name] = headerEntry{DType: t.DType, Shape: shape, DataOffsets: []int64{t.Begin, t.End}}
	}
	if len(meta) > 0 {
		hdr["__metadata__"] = meta
	}
	js, err := json.Marshal(hdr)
	if err != nil {
		return nil, err
	}
	// Pad with spaces so that the data begins 8-byte aligned, as the reference writer does.
	for len(js)%8 != 0 {
		js = append(js, ' ')
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(js)))
	if _, err := w.Write(n[:]); err != nil {
		return nil, err
	}
	if _, err := w.Write(js); err != nil {
		return nil, err
	}
	return &Writer{w: w, infos: out}, nil
}

// WriteFloat64s writes the data of the next declared tensor, rounded to its dtype.
func (sw *Writer) WriteFloat64s(v []float64) error {
	if sw.err != nil {
		return sw.err
	}
	if sw.next >= len(sw.infos) {
		return errors.New("safetensors: more tensors written than declared")
	}
	t := sw.infos[sw.next]
	if int64(len(v)) != t.Len() {
		return fmt.Errorf("safetensors: tensor %q: %d values, want %d", t.Name, len(v), t.Len())
	}
	size := t.DType.Size()
	buf := make([]byte, 0, min(len(v), 1<<16)*size)
	le := binary.LittleEndian
	for i, x := range v {
		switch t.DType {
		case F32:
			buf = le.AppendUint32(buf, math.Float32bits(float32(x)))
		case F64:
			buf = le.AppendUint64(buf, math.Float64bits(x))
		case F16:
			buf = le.AppendUint16(buf, Float32ToHalf(float32(x)))
		case BF16:
			buf = le.AppendUint16(buf, Float32ToBF16(float32(x)))
		}
		if len(buf) == cap(buf) || i == len(v)-1 {
			if _, err := sw.w.Write(buf); err != nil {
				sw.err = err
				return err
			}
			buf = buf[:0]
		}
	}
	sw.next++
	return nil
}

// Close reports whether every declared tensor was written.
func (sw *Writer) Close() error {
	if sw.err == nil && sw.next != len(sw.infos) {
		return fmt.Errorf("safetensors: %d of %d tensors written", sw.next, len(sw.infos))
	}
	return sw.err
}
