// Package testspaces holds the small GPT-2 space definitions tests share, as YAML in the
// form a user writes, so that a test builds blocks, trains nothing and writes megabytes at
// most. It imports nothing, so any package's tests can use it.
package testspaces

// MicroGPT2 is a GPT-2 space whose blocks build and run in microseconds (a vocabulary of
// 300 in two clusters, d_model 16 or 32), even under the race detector: for calibration
// and measurement.
const MicroGPT2 = `name: tiny-gpt2
family: gpt2
architecture:
  n_layer: [1, 2]
  d_model: [16, 32]
  n_head: [2, 4]
  d_inner: [32, 48, 64, 80, 96, 112]
embedding:
  n_token: 300
  div_val: [1, 2]
  cutoffs: [100]
`

// TinyGPT2 is a GPT-2 space small enough that a search front's weights take megabytes: the
// gpt2 space's form with a 1000-token vocabulary split in three clusters.
const TinyGPT2 = `
name: tiny-gpt2
family: gpt2
architecture:
  n_layer: {from: 1, to: 3}
  d_model: {from: 64, to: 128, step: 64}
  n_head: [2, 4, 8]
  d_inner: {from: 64, to: 256, step: 64}
embedding:
  n_token: 1000
  d_embed: [-1, 48]
  div_val: [1, 2, 4]
  cutoffs: [200, 600]
`
