"""Dropout whose mask costs a quarter of a random draw per element.

torch's CPU dropout draws one Bernoulli number per element (~7 ns each on one core) and
applies it in three passes, which made dropout a fifth of the tiny Transformer's training
step. Here one 64-bit draw from torch's own generator decides four elements: a 16-bit lane
below ``p·2¹⁶`` drops its element. The rate is p to 1/65536, the kept values are scaled by
the exact inverse of the rate kept, the draws are seeded by ``torch.manual_seed`` like any
other and do not depend on the thread count. Other devices keep torch's fused dropout, and
so does ``TRANSFER_EXPLORER_SPEED=baseline|exact`` (engine/speed.py).
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from transfer_explorer.engine import speed

LANES = 2**16  # one 16-bit lane of a 64-bit draw decides one element


def keep_scale(shape: torch.Size | tuple[int, ...], p: float, dtype: torch.dtype) -> torch.Tensor:
    """A CPU tensor of ``shape``: 0 where dropped, 1 / (share kept) elsewhere."""
    n = math.prod(shape)
    cut = round(p * LANES)  # lanes below -2¹⁵ + cut drop their element
    bits = torch.empty((n + 3) // 4, dtype=torch.int64).random_(-(2**63), None)
    keep = bits.view(torch.int16)[:n] >= cut - LANES // 2
    return keep.view(shape).to(dtype).mul_(LANES / (LANES - cut))


def dropout(x: torch.Tensor, p: float, training: bool, fast: bool = True) -> torch.Tensor:
    """``F.dropout``, with the cheap mask on CPU when ``fast``."""
    if not training or p == 0.0:
        return x
    if not fast or x.device.type != "cpu" or p >= 1.0:
        return F.dropout(x, p, True)
    return x * keep_scale(x.shape, p, x.dtype)


class Dropout(nn.Dropout):
    """``nn.Dropout`` with the cheap mask (no weights, so saved models load either way)."""

    def __init__(self, p: float = 0.5):
        super().__init__(p)
        self.fast = speed.fast_layers()  # decided when the model is built

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return dropout(x, self.p, self.training, self.fast)
