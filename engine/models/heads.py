"""Task heads on top of an encoder. Upstream heads are dropped when transferring."""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from transfer_explorer.engine import speed
from transfer_explorer.engine.models.dropout import Dropout
from transfer_explorer.engine.models.encoders import SentenceEncoder, SpecEncoder


def pair_features(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """The classic bi-encoder features (InferSent / Sentence-BERT): [u, v, |u-v|, u*v]."""
    return torch.cat([u, v, (u - v).abs(), u * v], dim=-1)


class PairHead(nn.Module):
    """MLP on pair features -> one score in [0, 1] (regression) or class logits."""

    def __init__(self, dim: int, num_outputs: int, dropout: float = 0.1):
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Linear(4 * dim, dim), nn.GELU(), Dropout(dropout), nn.Linear(dim, num_outputs)
        )
        for layer in self.mlp:
            if isinstance(layer, nn.Linear):
                nn.init.xavier_uniform_(layer.weight)
                nn.init.zeros_(layer.bias)

    def forward(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.mlp(pair_features(u, v))


class PairModel(nn.Module):
    """Bi-encoder: each sentence encoded alone, then compared.

    ``head="bi"``: an MLP on [u, v, |u-v|, u*v]; regression targets are scaled to [0, 1]
    and the output squashed with a sigmoid, classification outputs logits.
    ``head="cosine"``: the score is cos(u, v), regressed onto the [0, 1] target
    (Sentence-BERT's recipe; no new weights, so zero-shot is the untrained case).
    """

    cross = False

    def __init__(
        self, encoder: SentenceEncoder, num_outputs: int, regression: bool, head: str = "bi"
    ):
        super().__init__()
        self.encoder = encoder
        self.head_kind = head
        self.head = PairHead(encoder.output_dim, num_outputs) if head == "bi" else nn.Identity()
        self.regression = regression
        # our own encoders, in training, read both sentences of a batch in one pass
        self.one_pass = isinstance(encoder, SpecEncoder) and speed.fast_layers()

    def encode(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.encoder(ids, mask)[1]

    def encode_pair(self, ids1, mask1, ids2, mask2) -> tuple[torch.Tensor, torch.Tensor]:
        """u and v. In training, one pass over the two sentences stacked (padded to the
        longer side): half the encoder's calls, twice the rows per matrix product, one
        embedding gradient. Each sentence still sees only itself."""
        if not (self.one_pass and self.training):
            return self.encode(ids1, mask1), self.encode(ids2, mask2)
        length = max(ids1.shape[1], ids2.shape[1])

        def stacked(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:  # pad value 0: PAD_ID, False
            return torch.cat([F.pad(t, (0, length - t.shape[1])) for t in (a, b)])

        u, v = self.encode(stacked(ids1, ids2), stacked(mask1, mask2)).split(ids1.shape[0])
        return u, v

    def compare(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        if self.head_kind == "cosine":
            return F.cosine_similarity(u.float(), v.float(), dim=-1)
        out = self.head(u, v)
        return torch.sigmoid(out.squeeze(-1)) if self.regression else out

    def forward(self, ids1, mask1, ids2, mask2) -> torch.Tensor:
        return self.compare(*self.encode_pair(ids1, mask1, ids2, mask2))

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(output, target) if self.regression else F.cross_entropy(output, target)


class SentimentModel(nn.Module):
    """Upstream: sentence classifier (encoder + linear layer on the pooled vector)."""

    def __init__(self, encoder: SentenceEncoder, num_labels: int):
        super().__init__()
        self.encoder = encoder
        self.dropout = Dropout(0.1)
        self.classifier = nn.Linear(encoder.output_dim, num_labels)

    def forward(self, ids, mask) -> torch.Tensor:
        return self.classifier(self.dropout(self.encoder(ids, mask)[1]))


class MaskedLMModel(nn.Module):
    """Upstream: masked-LM head tied to the input embeddings.

    Logits are h·E / sqrt(d): with unit-scale embeddings an untied-scale dot product starts
    the loss near 27 instead of near log(V).
    """

    def __init__(self, encoder: SpecEncoder):
        super().__init__()
        self.encoder = encoder
        dim = encoder.embedding.embedding_dim
        self.transform = nn.Sequential(
            nn.Linear(encoder.token_dim, dim), nn.GELU(), nn.LayerNorm(dim)
        )
        self.bias = nn.Parameter(torch.zeros(encoder.embedding.num_embeddings))
        self.scale = 1.0 / math.sqrt(dim)

    def forward(self, ids, mask, positions: torch.Tensor) -> torch.Tensor:
        """Logits for the flattened ``positions`` (indices into ids.view(-1))."""
        tokens = self.encoder(ids, mask)[0]
        picked = tokens.reshape(-1, tokens.shape[-1])[positions]
        hidden = self.transform(picked)
        return hidden @ self.encoder.embedding.weight.t() * self.scale + self.bias


class CausalLMModel(nn.Module):
    """Upstream: next-token prediction, the output tied to the input embeddings (GPT's recipe).

    On a causal Transformer the state at each token predicts the next one. On a BiLSTM
    (ELMo's recipe) the two directions are two language models: the forward states predict
    the next token, the backward states the previous one — each has read only one side.
    Logits are scaled by 1/sqrt(d), as for the masked LM.
    """

    def __init__(self, encoder: SpecEncoder):
        super().__init__()
        self.encoder = encoder
        self.bidirectional = encoder.spec.kind == "bilstm"
        dim = encoder.embedding.embedding_dim
        width = encoder.token_dim // 2 if self.bidirectional else encoder.token_dim
        self.transforms = nn.ModuleList(
            nn.Sequential(nn.Linear(width, dim), nn.GELU(), nn.LayerNorm(dim))
            for _ in range(2 if self.bidirectional else 1)
        )
        self.bias = nn.Parameter(torch.zeros(encoder.embedding.num_embeddings))
        self.scale = 1.0 / math.sqrt(dim)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits, targets) over every predictable position of the batch."""
        tokens = self.encoder(ids, mask)[0]
        has_next = mask[:, 1:]  # position t predicts t + 1 (forward) or t - 1 (backward)
        if self.bidirectional:
            forward, backward = tokens.split(tokens.shape[-1] // 2, dim=-1)
            readings = [(forward[:, :-1], ids[:, 1:]), (backward[:, 1:], ids[:, :-1])]
        else:
            readings = [(tokens[:, :-1], ids[:, 1:])]
        logits, targets = [], []
        for transform, (states, wanted) in zip(self.transforms, readings):
            hidden = transform(states[has_next])
            logits.append(hidden @ self.encoder.embedding.weight.t() * self.scale + self.bias)
            targets.append(wanted[has_next])
        return torch.cat(logits), torch.cat(targets)


class CrossEncoderModel(nn.Module):
    """Cross-encoder: both sentences in one sequence ([CLS] a [SEP] b [SEP]), so attention
    compares them word by word; a linear layer on the pooled vector gives the score."""

    cross = True
    head_kind = "cross"

    def __init__(self, encoder: SentenceEncoder, num_outputs: int, regression: bool):
        super().__init__()
        self.encoder = encoder
        self.dropout = Dropout(0.1)
        self.head = nn.Linear(encoder.output_dim, num_outputs)
        self.regression = regression

    def score(self, pooled: torch.Tensor) -> torch.Tensor:
        out = self.head(self.dropout(pooled))
        return torch.sigmoid(out.squeeze(-1)) if self.regression else out

    def forward(self, ids, mask, types) -> torch.Tensor:
        return self.score(self.encoder(ids, mask, types)[1])

    def loss(self, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        return F.mse_loss(output, target) if self.regression else F.cross_entropy(output, target)
