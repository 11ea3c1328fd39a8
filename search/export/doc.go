// Package export turns the final front of an architecture search's run directory (the
// folder that 'zeronas search --out DIR' writes, read through rundir.Open) into what users
// take away: one JSON file of canonical architectures, a CSV table, or a folder of Hugging
// Face style configurations, each architecture marked feasible or not (with its violation
// of the run's budgets) and optionally carrying a measured latency.
//
// Write exports a run in a Format; a front that meets none of the run's budgets is exported
// only when asked (Options.AllowInfeasible). WriteJSON and WriteCSV write the same tables to
// any writer. Outputs never replace what a user has unless asked (Options.Force), and appear
// whole or not at all: they are written to a temporary file or folder that is renamed into
// place.
//
// # The HF format
//
// The HF format writes one folder per front member, named by its index and ID
// ("000-9e16b0efd971857e"), holding
//
//   - config.json, an HFConfig: a Hugging Face style configuration with model_type
//     "flexibert" and architectures ["FlexiBERTModel"]. The BERT keys hidden_size,
//     num_attention_heads and intermediate_size give the first layer's sizes and
//     num_hidden_layers the depth; vocab_size 30522, type_vocab_size 2,
//     max_position_embeddings 512 and embedding_size 128 are the ELECTRA-small style
//     embeddings every architecture of the space shares, projected to the first layer's
//     hidden size. FlexiBERT layers differ from one another, so the model is defined by the
//     per-layer lists: flexibert_layers (hidden size, operation type and parameter, heads and
//     feed-forward widths of every layer, in NAS-Bench-BERT's terms) and the same in the
//     keyword arguments of FlexiBERTConfig (Tuli et al., "FlexiBERT: Are current Transformer
//     architectures too homogeneous and rigid?", JAIR 2023): attention_type, similarity_list,
//     hidden_dim_list, attention_heads_list and ff_dim_list. Under "zeronas" it records the
//     ID, the objectives and values found by the search, the exact parameter count, the
//     measured latency if any, and the run's space, strategy, seed and zeronas version.
//   - arch.json, a Member: the canonical architecture with its ID and objective values.
//     'zeronas score --arch' and space.ReadRecords read it, as they read the JSON format.
//
// and a README.md that lists the folders with their objective values.
//
// # What a user trains
//
// Nothing in a run directory was trained: the proxy is a zero-cost estimate of quality.
// A user picks an architecture from the front and instantiates it from config.json, with
// FlexiBERT's FlexiBERTModel (FlexiBERTConfig.from_json_file reads the per-layer lists) or
// with their own encoder built from flexibert_layers: per layer a token mixer (SA with
// scaled dot-product or weighted multiplicative attention, LT with a DFT or DCT, or DSC, a
// dynamic separable convolution with the given kernel size) over the given number of heads,
// then the feed-forward stack hidden -> ff[0] -> ... -> hidden, with a linear projection
// between layers of different hidden sizes. They pre-train it (masked language modelling,
// as NAS-Bench-BERT did) and fine-tune it on their task; the measured latency, when
// exported, states the device, batch, sequence length and repetitions it holds for.
package export
