"""Sentence encoders: ids [B, T] + mask -> token states [B, T, D] and a pooled vector [B, P]."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from transfer_explorer.engine import speed
from transfer_explorer.engine.models.dropout import Dropout
from transfer_explorer.engine.models.layer_step import attention_bias, layer_step
from transfer_explorer.engine.text import PAD_ID

# Size presets. "tiny" is the reference setting of DESIGN.md (BiLSTM 128, Transformer d128 x2).
PRESETS = {
    "bilstm": {
        "tiny": dict(dim=128, hidden=128, layers=1, heads=0, ff=0),
        "small": dict(dim=256, hidden=256, layers=2, heads=0, ff=0),
    },
    "transformer": {
        "tiny": dict(dim=128, hidden=128, layers=2, heads=4, ff=256),
        "small": dict(dim=256, hidden=256, layers=4, heads=4, ff=512),
    },
}


@dataclass(frozen=True)
class EncoderSpec:
    kind: str  # "transformer" | "bilstm"
    vocab_size: int
    dim: int  # embedding size
    hidden: int  # LSTM hidden size per direction (transformer: = dim)
    layers: int
    heads: int
    ff: int
    max_length: int
    dropout: float = 0.1
    embed_dim: int = 0  # embedding size when it differs from dim (e.g. 50-d GloVe); 0: = dim
    causal: bool = False  # transformer: each token sees only those before it (GPT-style)
    pooling: str = "auto"  # sentence vector: auto (transformer mean, BiLSTM max), mean, last

    @property
    def embedding_size(self) -> int:
        return self.embed_dim or self.dim

    def to_dict(self) -> dict:
        """The shape as plain data; fields at their defaults are left out, so the keys of
        upstreams cached before they existed still match."""
        data = asdict(self)
        for name, default in (("causal", False), ("pooling", "auto")):
            if data[name] == default:
                del data[name]
        return data


def encoder_spec(
    kind: str,
    size: str,
    vocab_size: int,
    max_length: int,
    embed_dim: int = 0,
    causal: bool = False,
    pooling: str = "auto",
) -> EncoderSpec:
    if kind == "mean":  # bag of word vectors: no layers, the vectors are the sentence space
        dim = embed_dim or PRESETS["transformer"][size]["dim"]
        return EncoderSpec("mean", vocab_size, dim, dim, 0, 0, 0, max_length, 0.0, embed_dim)
    return EncoderSpec(
        kind=kind,
        vocab_size=vocab_size,
        max_length=max_length,
        embed_dim=embed_dim,
        causal=causal and kind == "transformer",
        pooling=pooling,
        **PRESETS[kind][size],
    )


def pool(states: torch.Tensor, mask: torch.Tensor, how: str) -> torch.Tensor:
    """One vector per sentence from its token states: the mean, the max, or the last real
    token's state (what a left-to-right model has read the whole sentence at)."""
    if how == "max":
        return states.masked_fill(~mask.unsqueeze(-1), float("-inf")).amax(1)
    if how == "last":
        last = (mask.sum(1) - 1).clamp(min=0)
        return states[torch.arange(states.shape[0], device=states.device), last]
    weights = mask.unsqueeze(-1).to(states.dtype)
    return (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def build_encoder(spec: EncoderSpec) -> SpecEncoder:
    kinds: dict[str, type[SpecEncoder]] = {
        "transformer": TransformerEncoder,
        "bilstm": BiLSTMEncoder,
        "mean": MeanEmbeddingEncoder,
    }
    encoder = kinds[spec.kind](spec)
    glorot_init(encoder)
    return encoder


def glorot_init(module: nn.Module) -> None:
    """Xavier/Glorot weights, zero biases; embeddings N(0, 1) (word2vec is rescaled to it)."""
    for name, param in module.named_parameters():
        if "embedding" in name or "position" in name:
            nn.init.normal_(param, 0.0, 1.0)
        elif param.dim() >= 2:
            nn.init.xavier_uniform_(param)
        elif name.endswith("bias") or "bias" in name:
            nn.init.zeros_(param)
    embedding = getattr(module, "embedding", None)
    if isinstance(embedding, nn.Embedding):
        with torch.no_grad():
            embedding.weight[PAD_ID].zero_()


class SentenceEncoder(nn.Module):
    """What the heads read of any encoder (ours or a checkpoint's): the widths of its
    token states and of its pooled vector."""

    token_dim: int
    output_dim: int


class SpecEncoder(SentenceEncoder):
    """An encoder of our own, built from an :class:`EncoderSpec`, with its word embedding."""

    spec: EncoderSpec
    embedding: nn.Embedding


class TransformerEncoder(SpecEncoder):
    """Pre-LN Transformer with learned positions; mean-pooled over real tokens."""

    def __init__(self, spec: EncoderSpec):
        super().__init__()
        self.spec = spec
        self.embedding = nn.Embedding(spec.vocab_size, spec.embedding_size, padding_idx=PAD_ID)
        # word vectors narrower than the model are projected up (ALBERT-style factorisation)
        self.project = (
            nn.Linear(spec.embedding_size, spec.dim)
            if spec.embedding_size != spec.dim
            else nn.Identity()
        )
        self.position = nn.Embedding(spec.max_length, spec.dim)
        self.dropout = Dropout(spec.dropout)
        layer = nn.TransformerEncoderLayer(
            spec.dim,
            spec.heads,
            spec.ff,
            spec.dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.layers = nn.TransformerEncoder(layer, spec.layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(spec.dim)
        self.token_dim = self.output_dim = spec.dim
        self.fast_layers = speed.fast_layers()  # decided when the model is built

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        length = ids.shape[1]
        positions = torch.arange(length, device=ids.device)
        x = self.dropout(self.project(self.embedding(ids)) + self.position(positions))
        if self.fast_layers and self.training and x.device.type == "cpu":
            bias = attention_bias(mask, self.spec.causal, x.dtype)
            for layer in self.layers.layers:
                x = layer_step(layer, x, bias)
        else:
            x = self._torch_layers(x, mask)
        x = self.norm(x)
        return x, pool(x, mask, "mean" if self.spec.pooling == "auto" else self.spec.pooling)

    def _torch_layers(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """torch's own layers: evaluation (with its fused inference kernel), other devices."""
        length = x.shape[1]
        if self.spec.causal:  # padding is on the right, so no row is left without a key
            future = torch.ones(length, length, dtype=torch.bool, device=x.device).triu(1)
            return self.layers(x, mask=future, src_key_padding_mask=~mask, is_causal=True)
        return self.layers(x, src_key_padding_mask=~mask)


class BiLSTMEncoder(SpecEncoder):
    """Bidirectional LSTM over packed sequences; max-pooled over real tokens."""

    def __init__(self, spec: EncoderSpec):
        super().__init__()
        self.spec = spec
        self.embedding = nn.Embedding(spec.vocab_size, spec.embedding_size, padding_idx=PAD_ID)
        self.dropout = Dropout(spec.dropout)
        self.lstm = nn.LSTM(
            spec.embedding_size,
            spec.hidden,
            num_layers=spec.layers,
            batch_first=True,
            bidirectional=True,
            dropout=spec.dropout if spec.layers > 1 else 0.0,
        )
        self.token_dim = self.output_dim = 2 * spec.hidden

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        lengths = mask.sum(1).clamp(min=1).cpu()
        x = self.dropout(self.embedding(ids))
        packed = nn.utils.rnn.pack_padded_sequence(
            x, lengths, batch_first=True, enforce_sorted=False
        )
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
        if self.spec.pooling == "last":  # each direction at the end of what it has read
            forward, backward = out.split(self.spec.hidden, dim=-1)
            return out, torch.cat([pool(forward, mask, "last"), backward[:, 0]], dim=-1)
        return out, pool(out, mask, "max" if self.spec.pooling == "auto" else self.spec.pooling)


class MeanEmbeddingEncoder(SpecEncoder):
    """The bag-of-vectors baseline: a sentence is the mean of its word vectors (no layers)."""

    def __init__(self, spec: EncoderSpec):
        super().__init__()
        self.spec = spec
        self.embedding = nn.Embedding(spec.vocab_size, spec.embedding_size, padding_idx=PAD_ID)
        self.token_dim = self.output_dim = spec.embedding_size

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.embedding(ids)
        return x, pool(x, mask, "mean")
