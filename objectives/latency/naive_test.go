package latency

import (
	"math"
)

// Direct reference implementations, in float64 by loops, of every operation of the forward
// pass. They are written from the definitions, not from the fast code.

type dmat [][]float64

func toD(m mat) dmat {
	out := make(dmat, m.rows)
	for i := range out {
		out[i] = make([]float64, m.cols)
		for j, v := range m.row(i) {
			out[i][j] = float64(v)
		}
	}
	return out
}

func zerosD(r, c int) dmat {
	out := make(dmat, r)
	for i := range out {
		out[i] = make([]float64, c)
	}
	return out
}

// naiveLinear is x W + b with W stored in x out.
func naiveLinear(x dmat, l linear) dmat {
	w := toD(l.w)
	y := zerosD(len(x), l.out())
	for i := range x {
		for o := 0; o < l.out(); o++ {
			s := 0.0
			if l.b != nil {
				s = float64(l.b[o])
			}
			for j := range x[i] {
				s += x[i][j] * w[j][o]
			}
			y[i][o] = s
		}
	}
	return y
}

func naiveAddNorm(x, res dmat, ln norm) dmat {
	y := zerosD(len(x), len(x[0]))
	for i := range x {
		n := float64(len(x[i]))
		mean, vr := 0.0, 0.0
		for j := range x[i] {
			mean += x[i][j] + res[i][j]
		}
		mean /= n
		for j := range x[i] {
			d := x[i][j] + res[i][j] - mean
			vr += d * d
		}
		vr /= n
		for j := range x[i] {
			y[i][j] = (x[i][j]+res[i][j]-mean)/math.Sqrt(vr+lnEps)*float64(ln.g[j]) + float64(ln.b[j])
		}
	}
	return y
}

func naiveGELU(x dmat) dmat {
	y := zerosD(len(x), len(x[0]))
	for i := range x {
		for j, v := range x[i] {
			y[i][j] = v * 0.5 * (1 + math.Erf(v/math.Sqrt2))
		}
	}
	return y
}

func naiveSoftmax(r []float64) []float64 {
	out := make([]float64, len(r))
	s := 0.0
	for j, v := range r {
		out[j] = math.Exp(v)
		s += out[j]
	}
	for j := range out {
		out[j] /= s
	}
	return out
}

// naiveAttention is softmax(q kᵀ / sqrt(d)) v per batch element and head, by loops.
func naiveAttention(sh shape, heads, d int, q, k, v dmat) dmat {
	out := zerosD(len(q), heads*d)
	for b := 0; b < sh.batch; b++ {
		for h := 0; h < heads; h++ {
			for t := 0; t < sh.seq; t++ {
				sc := make([]float64, sh.seq)
				for s := 0; s < sh.seq; s++ {
					for j := 0; j < d; j++ {
						sc[s] += q[b*sh.seq+t][h*d+j] * k[b*sh.seq+s][h*d+j]
					}
					sc[s] /= math.Sqrt(float64(d))
				}
				p := naiveSoftmax(sc)
				for s := 0; s < sh.seq; s++ {
					for j := 0; j < d; j++ {
						out[b*sh.seq+t][h*d+j] += p[s] * v[b*sh.seq+s][h*d+j]
					}
				}
			}
		}
	}
	return out
}

// naiveDFT2 is the real part of the 2-D DFT of x (seq x d) by its definition.
func naiveDFT2(x dmat) dmat {
	L, d := len(x), len(x[0])
	y := zerosD(L, d)
	for k := 0; k < L; k++ {
		for m := 0; m < d; m++ {
			for n := 0; n < L; n++ {
				for j := 0; j < d; j++ {
					y[k][m] += x[n][j] * math.Cos(-2*math.Pi*(float64(k*n)/float64(L)+float64(m*j)/float64(d)))
				}
			}
		}
	}
	return y
}

// naiveDCT2 is the unnormalised 2-D DCT-II of x by its definition.
func naiveDCT2(x dmat) dmat {
	L, d := len(x), len(x[0])
	y := zerosD(L, d)
	for k := 0; k < L; k++ {
		for m := 0; m < d; m++ {
			for n := 0; n < L; n++ {
				for j := 0; j < d; j++ {
					y[k][m] += x[n][j] * math.Cos(math.Pi*float64(k*(2*n+1))/float64(2*L)) *
						math.Cos(math.Pi*float64(m*(2*j+1))/float64(2*d))
				}
			}
		}
	}
	return y
}

// naiveConv convolves each column c of x over the sequence (per batch element, zero
// padded, output centred) with taps w(t, j, c) that may depend on the output position t.
func naiveConv(sh shape, x dmat, k int, w func(t, j, c int) float64) dmat {
	y := zerosD(len(x), len(x[0]))
	for b := 0; b < sh.batch; b++ {
		for t := 0; t < sh.seq; t++ {
			for c := range x[0] {
				for j := 0; j < k; j++ {
					s := t + j - (k-1)/2
					if s >= 0 && s < sh.seq {
						y[b*sh.seq+t][c] += w(b*sh.seq+t, j, c) * x[b*sh.seq+s][c]
					}
				}
			}
		}
	}
	return y
}

// naiveDynConv is the DSC block by loops.
func naiveDynConv(c *dynConv, x dmat) dmat {
	q, k, v := naiveLinear(x, c.q), naiveLinear(x, c.kk), naiveLinear(x, c.v)
	dw := toD(c.dw)
	sep := naiveLinear(naiveConv(c.sh, x, c.k, func(_, j, ch int) float64 { return dw[j][ch] }), c.pw)
	for i := range sep {
		for j := range sep[i] {
			sep[i][j] *= q[i][j]
		}
	}
	gen := naiveLinear(sep, c.gen)
	kern := make([][][]float64, len(gen)) // position, head, tap
	for t := range gen {
		for h := 0; h < c.heads; h++ {
			kern[t] = append(kern[t], naiveSoftmax(gen[t][h*c.k:(h+1)*c.k]))
		}
	}
	conv := naiveConv(c.sh, naiveLinear(x, c.co), c.k, func(t, j, ch int) float64 { return kern[t][ch/c.d][j] })
	att := naiveAttention(c.sh, c.heads, c.d, q, k, v)
	cat := zerosD(len(x), 2*c.a)
	for i := range cat {
		copy(cat[i], att[i])
		copy(cat[i][c.a:], conv[i])
	}
	return naiveAddNorm(naiveLinear(cat, c.o), x, c.ln)
}

func naiveSelfAttention(a *selfAttention, x dmat) dmat {
	q := naiveLinear(x, a.q)
	if a.wma != nil {
		q = naiveLinear(q, *a.wma)
	}
	ctx := naiveAttention(a.sh, a.heads, a.d, q, naiveLinear(x, a.k), naiveLinear(x, a.v))
	return naiveAddNorm(naiveLinear(ctx, a.o), x, a.ln)
}

func naiveLinearTransform(lt *linearTransform, x dmat, dct bool) dmat {
	in := naiveLinear(x, lt.in)
	tr := zerosD(len(x), len(x[0]))
	for b := 0; b < lt.sh.batch; b++ {
		for h := 0; h < lt.heads; h++ {
			blk := zerosD(lt.sh.seq, lt.d)
			for t := range blk {
				copy(blk[t], in[b*lt.sh.seq+t][h*lt.d:])
			}
			var y dmat
			if dct {
				y = naiveDCT2(blk)
			} else {
				y = naiveDFT2(blk)
			}
			for t := range y {
				copy(tr[b*lt.sh.seq+t][h*lt.d:(h+1)*lt.d], y[t])
			}
		}
	}
	return naiveAddNorm(naiveLinear(tr, lt.o), x, lt.ln)
}

func naiveFeedForward(f *feedForward, x dmat) dmat {
	h := x
	for i, p := range f.pieces {
		h = naiveLinear(h, p.lin)
		if i < len(f.pieces)-1 {
			h = naiveGELU(h)
		}
	}
	return naiveAddNorm(h, x, f.pieces[len(f.pieces)-1].ln)
}

func naiveEmbedding(e *embedding) dmat {
	x := zerosD(e.sh.rows(), e.word.cols)
	for i := range x {
		for j := range x[i] {
			x[i][j] = float64(e.word.row(int(e.ids[i]))[j]) + float64(e.pos.row(i % e.sh.seq)[j]) + float64(e.typ.row(int(e.types[i]))[j])
		}
	}
	x = naiveAddNorm(x, zerosD(len(x), len(x[0])), e.ln)
	if e.proj != nil {
		x = naiveLinear(x, e.proj.lin)
	}
	return x
}
