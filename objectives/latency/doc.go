// Package latency measures the latency of FlexiBERT encoders and GPT-2 decoders and
// predicts it from measurements, for the latency objective and budget of a search.
//
// # Measurement
//
// NewNetwork builds the faithful encoder of any architecture of the FlexiBERT spaces in
// pure Go (float32, gonum's BLAS and FFTs), with random seeded weights and every buffer
// allocated once: the embeddings, every operation (SA-SDP, SA-WMA, LT-DFT, LT-DCT, DSC-k
// as ConvBERT's mixed attention), the feed-forward stacks, LayerNorms, residuals and
// projections, with exactly the shapes of space.Tensors. Measure, MeasureArch and
// MeasureArchs time forward passes: warm-up runs, then timed repetitions with GOMAXPROCS
// fixed at Options.Threads, summarised as median, p10, p90 and min with a Device
// description. Several architectures are timed round-robin so that they share the machine's
// load fairly.
//
// # Models
//
// A Model predicts milliseconds as explicit terms: Embedding(first hidden) + Σ Layer +
// Σ Projection, which is exactly what Predict returns (see Sum). Table holds measured costs
// per distinct block on one device; Analytic divides the analytic FLOPs by a constant
// throughput. Calibrate builds a Table for a space by timing each block of Plan;
// LoadOrCalibrate caches it under os.UserCacheDir()/zeronas/latency, keyed by Fingerprint;
// Validate compares a Model with measured random architectures (Spearman, median relative
// error).
//
// A GPT-2 table times the attention half of every (d_model, n_head), the MLP half on a grid
// of 4 d_inner per d_model and the adaptive input embedding and softmax on a grid of 4
// d_model per embedding; any other d_inner or d_model is interpolated in proportion to the
// block's analytic work (see gridCost), so off-grid widths such as the LTS records' are
// predicted, never refused.
//
// Calibration checks itself: a fixed reference kernel (ReferenceKernel) is timed between
// groups of blocks, groups timed while it ran more than RetryDrift slower than at its
// fastest are timed again, and the table records the reference timing and the remaining
// drift; a cached table is recalibrated when the reference moved by more than
// RecalibrateDrift since it was made (see drift.go). Last, a few whole networks are timed,
// each in the same rounds as its own blocks, and every cost is scaled by the median ratio of
// whole to summed, so that the table predicts whole forward passes (see NetworkCheck).
//
// On this project's shared 2-core development machine a NAS-Bench-BERT table has 34 blocks
// and takes 12 to 15 s to calibrate with 20 repetitions; validated on 30 random
// architectures it reached Spearman 0.97 to 0.996 and median relative errors of 5 to 13%.
// The machine's neighbours slow it by up to 1.8x for tens of seconds, invisibly to the
// process (its CPU time grows with its wall time): a table calibrated in such a spell is
// too high throughout (Calibrate warns; Validate's median_ratio shows it), and recalibrating
// on a quiet machine is the cure. Ranking is unaffected.
//
// # Table file
//
// A table is a JSON object; users may write their own with costs measured on their target
// (a phone, a GPU) and pass it wherever a table is read. Unknown fields are errors.
//
//	{
//	  "format": "zeronas-latency-table/1",            required, exactly this
//	  "device": {                                     cpu required, the rest optional
//	    "cpu": "AMD EPYC", "num_cpu": 2, "threads": 1,
//	    "goos": "linux", "goarch": "amd64", "go_version": "go1.26.8"},
//	  "space": "nas-bench-bert",                      optional: the space it was built for
//	  "batch": 1, "seq_len": 128,                     required, at least 1
//	  "reps": 20, "warmup": 2,                        required: reps >= 1, warmup >= 0
//	  "statistic": "p10",                             required: what ms is (p10, median, ...)
//	  "seed": 0, "fingerprint": "…", "calibration_seconds": 9.8,
//	  "created": "2026-01-02T03:04:05Z",              optional
//	  "reference": {"kernel": "sgemm …", "ms": 2.4,   optional: the drift check (Reference)
//	    "drift": 0.04, "threshold": 0.1, "retried": 1, "checks": 40},
//	  "network": {"scale": 1.06, "reps": 2,           optional: the whole-network check
//	    "warmup": 0, "networks": [                     (NetworkCheck); every cost is scale
//	      {"arch_id": "…", "blocks_ms": 120.4,          times its entry's ms (1 without it)
//	       "measured_ms": 127.6, "round_blocks_ms": 120.1}]},
//	  "entries": [                                    required, non-empty, no duplicate keys
//	    {"block": "embedding", "hidden": 256, "ms": 1.2},
//	    {"block": "mixing", "op": "SA", "param": "SDP", "hidden": 256, "heads": 4, "ms": 10.4},
//	    {"block": "ffn", "hidden": 256, "ff": [1024, 1024, 1024], "ms": 88.1},
//	    {"block": "ff_linear", "in": 256, "out": 1024, "final": false, "ms": 9.7},
//	    {"block": "projection", "from": 128, "to": 256, "ms": 0.6},
//	    {"block": "mixing", "op": "CSA", "hidden": 512, "heads": 8, "ms": 61.0},
//	    {"block": "mlp", "hidden": 512, "inner": 1728, "ms": 70.2},
//	    {"block": "adaptive_input", "hidden": 448, "embed": {"vocab": 50264, "div_val": 2}, "ms": 9.1},
//	    {"block": "adaptive_softmax", "hidden": 448, "embed": {"vocab": 50264, "div_val": 2}, "ms": 590.3}
//	  ]
//	}
//
// Each entry gives its block's key fields and no others, and "ms", a finite cost of at
// least 0 in milliseconds; "p10_ms" and "p90_ms" may add the spread. The cost of a layer is
// its mixing entry (the block with its output projection, residual and LayerNorm) plus its
// ffn entry (the whole stack with residual and LayerNorm) or, without one, the sum of the
// stack's ff_linear entries: in -> out followed by GELU, or, final, followed by the residual
// and LayerNorm. The embedding entry includes the projection from width 128 when the first
// hidden size differs. A GPT-2 layer costs its mixing entry (op CSA: LayerNorm, causal
// attention, projection, residual) plus its mlp entry; the embeddings of a GPT-2 decoder
// cost its adaptive_input plus its adaptive_softmax entry (final LayerNorm and the logits
// of every token), for the embedding given as in an architecture (vocab, d_embed 0 or -1
// for d_model, div_val, cutoffs below vocab). mlp entries of one hidden size, and adaptive
// entries of one embedding, form a grid: values between or beyond them are interpolated.
// Errors name the file, the entry and the field.
package latency
