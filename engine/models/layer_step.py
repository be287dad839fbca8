"""The pre-LN Transformer layer's training pass on CPU, on ``nn.TransformerEncoderLayer``'s
own weights (saved models keep their keys).

torch's layer draws its dropout per element and, with a padding mask in training, runs the
attention as generic math with that dropout inside, out of reach. Written out here, every
dropout site (attention weights, after attention, inside and after the feed-forward) uses
the cheap masks of :mod:`dropout`, and the padding mask is added once as a bias. Evaluation
and other devices keep torch's own layer (its fused inference kernel included).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from transfer_explorer.engine.models.dropout import dropout


def attention_bias(mask: torch.Tensor, causal: bool, dtype: torch.dtype) -> torch.Tensor:
    """[B, 1, 1|T, T] added to the attention scores: a very negative number where a key is
    padding (or in the future), 0 elsewhere. Finite, so a row without any key stays a number."""
    lowest = torch.finfo(dtype).min
    bias = torch.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill_(~mask, lowest)
    bias = bias[:, None, None, :]
    if causal:
        length = mask.shape[1]
        future = torch.ones(length, length, dtype=torch.bool, device=mask.device).triu(1)
        bias = bias.masked_fill(future, lowest)
    return bias


def layer_step(
    layer: nn.TransformerEncoderLayer, x: torch.Tensor, bias: torch.Tensor
) -> torch.Tensor:
    """One norm-first layer in training mode: x + attention(LN(x)), then + feed-forward(LN(x))."""
    attention = layer.self_attn
    heads = attention.num_heads
    batch, length, dim = x.shape
    p_attention, p = attention.dropout, layer.dropout.p

    h = layer.norm1(x)
    qkv = F.linear(h, attention.in_proj_weight, attention.in_proj_bias)
    q, k, v = qkv.view(batch, length, 3, heads, dim // heads).permute(2, 0, 3, 1, 4)
    scores = torch.matmul(q * (dim // heads) ** -0.5, k.transpose(-2, -1)).add_(bias)
    weights = dropout(torch.softmax(scores, dim=-1), p_attention, True)
    context = torch.matmul(weights, v).transpose(1, 2).reshape(batch, length, dim)
    x = x + dropout(attention.out_proj(context), layer.dropout1.p, True)

    h = layer.norm2(x)
    h = dropout(F.gelu(layer.linear1(h)), p, True)
    return x + dropout(layer.linear2(h), layer.dropout2.p, True)
