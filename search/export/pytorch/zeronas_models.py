"""PyTorch models of zeronas architectures. Written by 'zeronas export --format pytorch'.

Self-contained: depends on torch only (1.13 or later). Every operation of zeronas's spaces is
implemented as zeronas defines it (space.Tensors for the shapes, objectives/latency for the
forward pass): the ELECTRA-small style embeddings projected to the first hidden size, SA with
scaled dot-product (SDP) or weighted multiplicative (WMA) attention, LT with the real part of
the 2-D DFT or the 2-D DCT-II over (sequence, head dimension), DSC (ConvBERT's mixed attention
with a dynamic separable convolution of kernel size k), the feed-forward stacks with exact GELU,
residuals and LayerNorms, and the projections between layers of different hidden sizes; and
the GPT-2 decoder of the faithful build (Hugging Face's GPT2Block: pre-LayerNorm causal
self-attention with c_attn d x 3d and c_proj d x d, the c_fc / c_proj MLP, learned positions and
a final LayerNorm) with LiteTransformerSearch's adaptive input embedding and tied adaptive
softmax (div_val, cutoffs, projections) as archai builds them.

    from zeronas_models import build, load_safetensors
    model = build("000-9e16b0efd971857e/config.json")
    model.load_state_dict(load_safetensors("000-9e16b0efd971857e/model.safetensors"), strict=True)
    hidden = model(input_ids)            # (batch, seq, hidden size of the last layer)

State-dict names are zeronas's tensor names ("layer0.attn.q") with ".weight" or ".bias"
(a bare vector, GPT-2's "softmax.bias", keeps its name). GPT-2 Linears are nn.Linear (out x in),
not Hugging Face's Conv1D (in x out): transpose them to load into transformers' GPT2Model.
"""

import ctypes
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

FORMAT = "zeronas-pytorch/1"

# Roles of parameters, as zeronas names them; ZeroLM scores the 2-D weights of the first two.
ATTENTION, FFN, EMBEDDING, OTHER = "attention", "ffn", "embedding", "other"


def _linear(n_in, n_out, bias=True, device=None):
    return nn.Linear(n_in, n_out, bias=bias, device=device)


def _attend(q, k, v, heads, causal=False):
    """softmax(q k^T / sqrt(d)) v per head; q, k, v are (batch, seq, heads * d). causal masks
    every key after the query's position."""
    b, n, a = q.shape
    d = a // heads

    def split(t):
        return t.reshape(b, n, heads, d).transpose(1, 2)

    scores = torch.matmul(split(q), split(k).transpose(-1, -2)) * (1.0 / math.sqrt(d))
    if causal:
        future = torch.ones(n, n, dtype=torch.bool, device=q.device).triu(1)
        scores = scores.masked_fill(future, float("-inf"))
    ctx = torch.matmul(torch.softmax(scores, dim=-1), split(v))
    return ctx.transpose(1, 2).reshape(b, n, a)


class Embeddings(nn.Module):
    """Word, position and token type tables of width embedding_size, LayerNorm, and a
    Linear projection to the first layer's hidden size when it differs."""

    def __init__(self, cfg, hidden, device=None):
        super().__init__()
        e = cfg["embedding_size"]
        self.word = nn.Embedding(cfg["vocab_size"], e, device=device)
        self.position = nn.Embedding(cfg["max_position_embeddings"], e, device=device)
        # nn.Module.type is a method (add_module refuses the name; assignment registers it),
        # so the table is reached through _modules.
        self.type = nn.Embedding(cfg["type_vocab_size"], e, device=device)
        self.norm = nn.LayerNorm(e, eps=cfg["layer_norm_eps"], device=device)
        self.project = _linear(e, hidden, device=device) if hidden != e else None

    def forward(self, input_ids, token_type_ids):
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word(input_ids) + self.position(pos)[None] + self._modules["type"](token_type_ids)
        x = self.norm(x)
        return self.project(x) if self.project is not None else x


class SelfAttention(nn.Module):
    """SA-SDP, or SA-WMA with its bias-free H x H matrix applied to Q; output Linear,
    residual and LayerNorm."""

    def __init__(self, layer, cfg, device=None):
        super().__init__()
        h = layer["hidden"]
        self.heads = layer["heads"]
        self.q = _linear(h, h, device=device)
        self.k = _linear(h, h, device=device)
        self.v = _linear(h, h, device=device)
        self.out = _linear(h, h, device=device)
        self.wma = _linear(h, h, bias=False, device=device) if layer["param"] == "WMA" else None
        self.norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"], device=device)

    def forward(self, x):
        q = self.q(x)
        if self.wma is not None:
            q = self.wma(q)
        ctx = _attend(q, self.k(x), self.v(x), self.heads)
        return self.norm(x + self.out(ctx))


def _dct_matrix(n, dtype, device):
    """C[k][j] = cos(pi k (2j + 1) / (2n)): the unnormalised DCT-II."""
    k = torch.arange(n, dtype=torch.float64, device=device)[:, None]
    j = torch.arange(n, dtype=torch.float64, device=device)[None, :]
    return torch.cos(math.pi * k * (2 * j + 1) / (2 * n)).to(dtype)


class LinearTransform(nn.Module):
    """LT-DFT or LT-DCT: input Linear, the unnormalised 2-D transform (real part of the DFT,
    or DCT-II) of every head's (seq, d) block, output Linear, residual and LayerNorm. The
    legacy build keeps the input Linear only: no output Linear, residual or LayerNorm."""

    def __init__(self, layer, cfg, device=None, legacy=False):
        super().__init__()
        h = layer["hidden"]
        self.heads = layer["heads"]
        self.dct = layer["param"] == "DCT"
        self.add_module("in", _linear(h, h, device=device))
        self.out = None if legacy else _linear(h, h, device=device)
        self.norm = None if legacy else nn.LayerNorm(h, eps=cfg["layer_norm_eps"], device=device)

    def transform(self, x):
        b, n, h = x.shape
        d = h // self.heads
        t = x.reshape(b, n, self.heads, d).transpose(1, 2)  # (b, heads, seq, d)
        if self.dct:
            # float64 like zeronas's transforms, rounded to the input's type at the end.
            t64 = t.double()
            t = (_dct_matrix(n, torch.float64, x.device) @ t64 @ _dct_matrix(d, torch.float64, x.device).T).to(x.dtype)
        else:
            t = torch.fft.fft2(t.double(), dim=(-2, -1)).real.to(x.dtype)
        return t.transpose(1, 2).reshape(b, n, h)

    def forward(self, x):
        y = self.transform(self._modules["in"](x))
        if self.out is None:
            return y
        return self.norm(x + self.out(y))


class DynamicConv(nn.Module):
    """DSC-k, ConvBERT's mixed attention: n' = max(1, heads/2) heads of d = H/heads, A = n' d.
    Scaled dot-product attention over Q, K, V Linear(H -> A), and the dynamic convolution: the
    depthwise convolution (H x 1 x k, no bias) of the input, pointwise Linear(H -> A), times Q,
    drives the kernel generator Linear(A -> n' k) whose per-position, per-head kernels
    (softmax over the k taps) convolve the conv-output Linear(H -> A). Both halves go into the
    output Linear(H -> H), residual and LayerNorm. Sequences are zero padded by (k-1)//2 before
    and k-1-(k-1)//2 after, so the output is as long as the input."""

    def __init__(self, layer, cfg, device=None):
        super().__init__()
        h, heads, k = layer["hidden"], layer["heads"], int(layer["param"])
        nh = max(1, heads // 2)
        a = nh * (h // heads)
        self.nh, self.d, self.kernel = nh, h // heads, k
        self.q = _linear(h, a, device=device)
        self.k = _linear(h, a, device=device)
        self.v = _linear(h, a, device=device)
        self.depthwise = nn.Conv1d(h, h, k, groups=h, bias=False, device=device)
        self.pointwise = _linear(h, a, device=device)
        self.kernel_gen = _linear(a, nh * k, device=device)
        self.conv_out = _linear(h, a, device=device)
        self.out = _linear(2 * a, h, device=device)
        self.norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"], device=device)

    def _pad(self, x):
        """Zero pads (batch, seq, c) along seq; returns (batch, c, seq + k - 1)."""
        before = (self.kernel - 1) // 2
        return F.pad(x.transpose(1, 2), (before, self.kernel - 1 - before))

    def forward(self, x):
        b, n, _ = x.shape
        q = self.q(x)
        dw = self.depthwise(self._pad(x)).transpose(1, 2)
        kern = self.kernel_gen(self.pointwise(dw) * q)
        kern = torch.softmax(kern.reshape(b, n, self.nh, self.kernel), dim=-1)
        co = self._pad(self.conv_out(x)).unfold(2, self.kernel, 1)  # (b, A, seq, k)
        co = co.permute(0, 2, 1, 3).reshape(b, n, self.nh, self.d, self.kernel)
        conv = (co * kern[:, :, :, None, :]).sum(-1).reshape(b, n, self.nh * self.d)
        att = _attend(q, self.k(x), self.v(x), self.nh)
        return self.norm(x + self.out(torch.cat([att, conv], dim=-1)))


class FeedForward(nn.Module):
    """Linear(H -> ff[0]), GELU, ..., Linear(ff[-1] -> H), residual, LayerNorm; the Linears
    are named "0", "1", ..."""

    def __init__(self, layer, cfg, device=None):
        super().__init__()
        h = layer["hidden"]
        widths = [h] + list(layer["ff"]) + [h]
        self.n = len(widths) - 1
        for j in range(self.n):
            self.add_module(str(j), _linear(widths[j], widths[j + 1], device=device))
        self.norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"], device=device)

    def forward(self, x):
        y = x
        for j in range(self.n):
            y = self._modules[str(j)](y)
            if j + 1 < self.n:
                y = F.gelu(y)
        return self.norm(x + y)


# Token mixers by operation type. A decoder family (GPT-2) adds its own block and model.
MIXERS = {"SA": SelfAttention, "LT": LinearTransform, "DSC": DynamicConv}


class EncoderLayer(nn.Module):
    """One FlexiBERT layer: token mixer ("attn"), feed-forward stack ("ff") and, when the next
    layer's hidden size differs, the projection to it ("project")."""

    def __init__(self, layer, next_hidden, cfg, device=None):
        super().__init__()
        op = layer["op"]
        if op not in MIXERS:
            raise ValueError("operation %r: want one of %s" % (op, ", ".join(sorted(MIXERS))))
        if op == "LT":
            self.attn = LinearTransform(layer, cfg, device=device, legacy=cfg.get("build") == "legacy")
        else:
            self.attn = MIXERS[op](layer, cfg, device=device)
        self.ff = FeedForward(layer, cfg, device=device)
        h = layer["hidden"]
        self.project = _linear(h, next_hidden, device=device) if next_hidden not in (None, h) else None

    def forward(self, x):
        x = self.ff(self.attn(x))
        return self.project(x) if self.project is not None else x


class FlexiBERTEncoder(nn.Module):
    """A zeronas FlexiBERT encoder; its children are "embed" and "layer0", "layer1", ..."""

    def __init__(self, cfg, device=None):
        super().__init__()
        layers = cfg["layers"]
        if not layers:
            raise ValueError("config has no layers")
        self.config = cfg
        self.depth = len(layers)
        self.embed = Embeddings(cfg, layers[0]["hidden"], device=device)
        for i, layer in enumerate(layers):
            nxt = layers[i + 1]["hidden"] if i + 1 < len(layers) else None
            self.add_module("layer%d" % i, EncoderLayer(layer, nxt, cfg, device=device))
        if device is None or torch.device(device).type != "meta":
            self.apply(_init_bert)

    def forward(self, input_ids, token_type_ids=None):
        """Returns the last layer's hidden states, (batch, seq, hidden)."""
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        x = self.embed(input_ids, token_type_ids)
        for i in range(self.depth):
            x = self._modules["layer%d" % i](x)
        return x

    def roles(self):
        """Maps every state-dict name to its role: the embedding tables and projection are
        embedding; the token mixer attention, the feed-forward stack ffn; LayerNorms and the
        projections between layers other."""
        out = {}
        for name, _ in self.named_parameters():
            parts = name.split(".")
            if parts[-2] == "norm" or (parts[0] != "embed" and parts[1] == "project"):
                out[name] = OTHER
            elif parts[0] == "embed":
                out[name] = EMBEDDING
            elif parts[1] == "attn":
                out[name] = ATTENTION
            else:
                out[name] = FFN
        return out


def _init_bert(m):
    """BERT's initialisation: N(0, 0.02) weights, zero biases, LayerNorm 1 and 0."""
    if isinstance(m, (nn.Linear, nn.Embedding, nn.Conv1d)):
        nn.init.normal_(m.weight, std=0.02)
        if getattr(m, "bias", None) is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


def _activation(x, kind):
    """GELU: exact ("gelu", zeronas's Go forward pass) or the tanh form ("gelu_new",
    Hugging Face's GPT-2 default)."""
    if kind == "gelu_new":
        return F.gelu(x, approximate="tanh")
    if kind != "gelu":
        raise ValueError("activation %r: want gelu or gelu_new" % kind)
    return F.gelu(x)


def _clusters(embed, d_model):
    """The (first token, end token, width) of each cluster of an adaptive embedding: the
    vocabulary split at the cutoffs, widths d_embed / div_val^i (d_embed 0 means d_model)."""
    bounds = [0] + list(embed.get("cutoffs") or []) + [embed["vocab"]]
    w = embed.get("d_embed") or d_model
    out = []
    for i in range(len(bounds) - 1):
        out.append((bounds[i], bounds[i + 1], w))
        w //= max(1, embed["div_val"])
    return out


class GPT2Attention(nn.Module):
    """The attention half of Hugging Face's GPT2Block: x + c_proj(causal attention of
    c_attn(norm(x)) split into Q, K, V)."""

    def __init__(self, layer, cfg, device=None):
        super().__init__()
        h = layer["hidden"]
        self.heads = layer["heads"]
        self.norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"], device=device)
        self.c_attn = _linear(h, 3 * h, device=device)
        self.c_proj = _linear(h, h, device=device)

    def forward(self, x):
        q, k, v = self.c_attn(self.norm(x)).chunk(3, dim=-1)
        return x + self.c_proj(_attend(q, k, v, self.heads, causal=True))


class GPT2MLP(nn.Module):
    """The MLP half of Hugging Face's GPT2Block: x + c_proj(GELU(c_fc(norm(x))))."""

    def __init__(self, layer, cfg, device=None):
        super().__init__()
        h = layer["hidden"]
        self.act = cfg.get("activation", "gelu")
        self.norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"], device=device)
        self.c_fc = _linear(h, layer["ff"][0], device=device)
        self.c_proj = _linear(layer["ff"][0], h, device=device)

    def forward(self, x):
        return x + self.c_proj(_activation(self.c_fc(self.norm(x)), self.act))


class GPT2Layer(nn.Module):
    """One GPT-2 block: "attn" then "ff"."""

    def __init__(self, layer, cfg, device=None):
        super().__init__()
        self.attn = GPT2Attention(layer, cfg, device=device)
        self.ff = GPT2MLP(layer, cfg, device=device)

    def forward(self, x):
        return self.ff(self.attn(x))


class AdaptiveEmbedding(nn.Module):
    """archai's adaptive input embedding plus GPT-2's learned positions. div_val 1: one table
    "word" (vocab x d_embed) and, when d_embed is not d_model, one projection "proj"; div_val
    above 1: per cluster a table "word.i" and a projection "proj.i" (Linear without bias,
    width -> d_model). Unlike archai it does not scale by sqrt(d_model), as zeronas's Go
    forward pass does not."""

    def __init__(self, cfg, device=None):
        super().__init__()
        d = cfg["layers"][0]["hidden"]
        self.d_model = d
        self.clusters = _clusters(cfg["embed"], d)
        self.div_val = cfg["embed"]["div_val"]
        w = self.clusters[0][2]
        if self.div_val == 1:
            self.word = nn.Embedding(cfg["embed"]["vocab"], w, device=device)
            self.proj = _linear(w, d, bias=False, device=device) if w != d else None
        else:
            self.word = nn.ModuleList([nn.Embedding(b - a, cw, device=device) for a, b, cw in self.clusters])
            self.proj = nn.ModuleList([_linear(cw, d, bias=False, device=device) for _, _, cw in self.clusters])
        self.position = nn.Embedding(cfg["max_position_embeddings"], d, device=device)

    def table(self, i):
        """The word table of cluster i (tied to the softmax's)."""
        if self.div_val == 1:
            a, b, _ = self.clusters[i]
            return self.word.weight[a:b]
        return self.word[i].weight

    def forward(self, input_ids):
        if self.div_val == 1:
            x = self.word(input_ids)
            if self.proj is not None:
                x = self.proj(x)
        else:
            x = torch.zeros(input_ids.shape + (self.d_model,), dtype=self.position.weight.dtype, device=input_ids.device)
            for i, (a, b, _) in enumerate(self.clusters):
                m = (input_ids >= a) & (input_ids < b)
                if m.any():
                    x[m] = self.proj[i](self.word[i](input_ids[m] - a))
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)
        return x + self.position(pos)[None]


class AdaptiveSoftmax(nn.Module):
    """archai's projected adaptive softmax, tied to the embedding's tables (tie_weight) but
    not its projections: per cluster a projection "proj.i" (d_model x width, applied as
    hidden @ proj, archai's layout; absent for div_val 1 when d_embed is d_model), the bias
    "bias" over the vocabulary and, with several clusters, the cluster head "cluster"."""

    def __init__(self, cfg, device=None):
        super().__init__()
        d = cfg["layers"][0]["hidden"]
        clusters = _clusters(cfg["embed"], d)
        w = clusters[0][2]
        if cfg["embed"]["div_val"] > 1 or w != d:
            self.proj = nn.ModuleList([_linear(cw, d, bias=False, device=device) for _, _, cw in clusters])
        else:
            self.proj = None
        self.bias = nn.Parameter(torch.zeros(cfg["embed"]["vocab"], device=device))
        self.cluster = _linear(w, len(clusters) - 1, device=device) if len(clusters) > 1 else None


class GPT2Decoder(nn.Module):
    """A zeronas GPT-2 decoder (faithful build); its children are "embed", "layer0", ...,
    "final" (its LayerNorm "final.norm") and "softmax"."""

    def __init__(self, cfg, device=None):
        super().__init__()
        if cfg.get("build") != "faithful":
            raise ValueError("build %r: the module implements GPT-2's faithful build only" % cfg.get("build"))
        layers = cfg["layers"]
        if not layers:
            raise ValueError("config has no layers")
        self.config = cfg
        self.depth = len(layers)
        self.embed = AdaptiveEmbedding(cfg, device=device)
        for i, layer in enumerate(layers):
            self.add_module("layer%d" % i, GPT2Layer(layer, cfg, device=device))
        self.final = nn.Module()
        self.final.norm = nn.LayerNorm(layers[0]["hidden"], eps=cfg["layer_norm_eps"], device=device)
        self.softmax = AdaptiveSoftmax(cfg, device=device)
        if device is None or torch.device(device).type != "meta":
            self.apply(_init_bert)

    def forward(self, input_ids):
        """Returns the hidden states after the final LayerNorm, (batch, seq, d_model)."""
        x = self.embed(input_ids)
        for i in range(self.depth):
            x = self._modules["layer%d" % i](x)
        return self.final.norm(x)

    def cluster_logits(self, hidden):
        """Returns the logits of every cluster's tokens, (batch, seq, tokens of the cluster)
        each, and those of the cluster head (None with one cluster)."""
        out, head = [], None
        for i, (a, b, _) in enumerate(self.embed.clusters):
            x = hidden if self.softmax.proj is None else hidden @ self.softmax.proj[i].weight
            out.append(x @ self.embed.table(i).T + self.softmax.bias[a:b])
            if i == 0 and self.softmax.cluster is not None:
                head = self.softmax.cluster(x)
        return out, head

    def log_probs(self, hidden):
        """Returns log p(token) over the whole vocabulary, (batch, seq, vocab): the head's
        log-softmax over the first cluster's tokens and the cluster logits, and for tail
        cluster i the head's log-probability of it (archai's order: head column -i) plus
        the log-softmax within the cluster."""
        logits, head = self.cluster_logits(hidden)
        if head is None:
            return torch.log_softmax(logits[0], dim=-1)
        n0 = logits[0].shape[-1]
        lp = torch.log_softmax(torch.cat([logits[0], head], dim=-1), dim=-1)
        parts = [lp[..., :n0]]
        for i in range(1, len(logits)):
            parts.append(lp[..., -i, None] + torch.log_softmax(logits[i], dim=-1))
        return torch.cat(parts, dim=-1)

    def roles(self):
        """Maps every state-dict name to its role: embed.* and softmax.* embedding; the
        LayerNorms other; layerN.attn.* attention and layerN.ff.* ffn."""
        out = {}
        for name, _ in self.named_parameters():
            parts = name.split(".")
            if "norm" in parts:
                out[name] = OTHER
            elif parts[0] in ("embed", "softmax"):
                out[name] = EMBEDDING
            elif parts[1] == "attn":
                out[name] = ATTENTION
            else:
                out[name] = FFN
        return out


# Model classes by config family.
FAMILIES = {"flexibert": FlexiBERTEncoder, "gpt2": GPT2Decoder}


def build(config, device=None):
    """Returns the model of a config.json (a path or an already loaded dict). device="meta"
    builds it without memory, to count parameters."""
    if not isinstance(config, dict):
        with open(config) as f:
            config = json.load(f)
    if config.get("format") != FORMAT:
        raise ValueError("config format %r: want %r" % (config.get("format"), FORMAT))
    family = config.get("family")
    if family not in FAMILIES:
        raise ValueError("config family %r: want one of %s" % (family, ", ".join(sorted(FAMILIES))))
    return FAMILIES[family](config, device=device)


# safetensors: 8-byte little-endian header length, a JSON header, then the raw data.
_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}
_NAMES = {v: k for k, v in _DTYPES.items()}


def read_safetensors(path):
    """Returns (tensors, metadata) of a safetensors file: a dict of name to tensor and the
    header's __metadata__ (zeronas writes each tensor's role there)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: not a safetensors file: %d bytes" % (path, len(data)))
    (n,) = struct.unpack("<Q", data[:8])
    if n > len(data) - 8:
        raise ValueError("%s: header of %d bytes in a file of %d" % (path, n, len(data)))
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    base = 8 + n
    out = {}
    for name, t in header.items():
        dtype = _DTYPES.get(t["dtype"])
        if dtype is None:
            raise ValueError("%s: tensor %s: dtype %s not supported" % (path, name, t["dtype"]))
        start, end = t["data_offsets"]
        if not 0 <= start <= end <= len(data) - base:
            raise ValueError("%s: tensor %s: data_offsets %s out of range" % (path, name, t["data_offsets"]))
        buf = bytearray(data[base + start:base + end])
        flat = torch.frombuffer(buf, dtype=dtype) if buf else torch.empty(0, dtype=dtype)
        if sys.byteorder != "little":
            flat = flat.byteswap()
        out[name] = flat.reshape(t["shape"])
    return out, meta


def load_safetensors(path):
    """Returns the tensors of a safetensors file by name, as safetensors.torch.load_file."""
    return read_safetensors(path)[0]


def save_safetensors(tensors, path, metadata=None):
    """Writes tensors (a dict of name to tensor) to a safetensors file with string metadata,
    so that 'zeronas score --checkpoint' reads weights trained here."""
    header, chunks, off = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to("cpu").contiguous()
        if t.dtype not in _NAMES:
            raise ValueError("tensor %s: dtype %s not supported" % (name, t.dtype))
        raw = ctypes.string_at(t.data_ptr(), t.numel() * t.element_size()) if t.numel() else b""
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def zerolm(tensors, roles, stat="frob"):
    """Returns (s_attn, s_ffn): ZeroLM's per-role sums of a statistic of the singular values
    of every 2-D weight whose role is attention or ffn. stat is frob (sum sigma^2 / min(m, n)),
    nuclear (sum sigma / min(m, n)), stable-rank (sum sigma^2 / max sigma^2) or entropy (exp of
    the entropy of sigma / sum sigma)."""
    sums = {ATTENTION: 0.0, FFN: 0.0}
    for name, w in tensors.items():
        role = roles.get(name)
        if role not in sums or w.dim() != 2:
            continue
        w = w.double()
        if stat == "frob":
            c = float((w * w).sum()) / min(w.shape)
        else:
            s = torch.linalg.svdvals(w)
            if stat == "nuclear":
                c = float(s.sum()) / min(w.shape)
            elif stat == "stable-rank":
                c = float((s * s).sum() / (s[0] * s[0]))
            elif stat == "entropy":
                p = s / s.sum()
                p = p[p > 0]
                c = math.exp(float(-(p * p.log()).sum()))
            else:
                raise ValueError("stat %r: want frob, nuclear, stable-rank or entropy" % stat)
        sums[role] += c
    return sums[ATTENTION], sums[FFN]
