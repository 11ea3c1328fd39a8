package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// archiveBuilder lays a run's archive out by column, and keeps each column's JSON, so that
// a live page extends both by the architectures a generation added instead of encoding
// 100,000 of them again.
type archiveBuilder struct {
	n    int
	a    Archive
	ids  []byte
	cols [][]byte
	inf  []byte
}

// extend adds the architectures of sn that the builder has not seen and returns the archive.
func (b *archiveBuilder) extend(sn *snapshot) Archive {
	if b.cols == nil {
		b.cols = make([][]byte, len(sn.objectives))
		b.a = Archive{Values: make([][]float64, len(sn.objectives)), Infeasible: []int{}}
	}
	for i := b.n; i < len(sn.archive); i++ {
		e := sn.archive[i]
		b.a.IDs = append(b.a.IDs, e.ID)
		b.ids = appendSep(b.ids, i)
		id, _ := json.Marshal(e.ID)
		b.ids = append(b.ids, id...)
		for j, o := range sn.objectives {
			v := round6(e.Values[o.Name])
			b.a.Values[j] = append(b.a.Values[j], v)
			b.cols[j] = appendFloat(appendSep(b.cols[j], i), v)
		}
		if e.Violation > 0 {
			b.inf = appendSep(b.inf, len(b.a.Infeasible))
			b.inf = strconv.AppendInt(b.inf, int64(i), 10)
			b.a.Infeasible = append(b.a.Infeasible, i)
		}
	}
	b.n = len(sn.archive)
	a := b.a
	a.json = b.encode()
	return a
}

func (b *archiveBuilder) encode() []byte {
	var buf bytes.Buffer
	buf.Grow(len(b.ids) + len(b.inf) + 64 + len(b.cols)*len(b.cols[0]))
	buf.WriteString(`{"ids":[`)
	buf.Write(b.ids)
	buf.WriteString(`],"values":[`)
	for j, c := range b.cols {
		if j > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('[')
		buf.Write(c)
		buf.WriteByte(']')
	}
	buf.WriteString(`],"infeasible":[`)
	buf.Write(b.inf)
	buf.WriteString(`]}`)
	return buf.Bytes()
}

func appendSep(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ',')
	}
	return b
}

// appendFloat appends v as encoding/json writes a float64.
func appendFloat(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	abs := math.Abs(v)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' { // clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

func round6(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	if err != nil || math.IsInf(r, 0) {
		return v
	}
	return r
}
