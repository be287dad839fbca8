"""Build the downstream model for a transfer method.

- ``scratch``: same architecture, fresh Glorot init — the control.
- ``feature``: the pre-trained part is frozen and only what sits on top trains. When the
  whole encoder was pre-trained (sentiment, mlm, or a random one for ``none``) its sentence
  vectors are computed once and only the head trains; for word2vec only the embedding layer
  is frozen and the encoder above it trains.
- ``finetune``: the upstream head is dropped, a new similarity head is added and every
  weight trains (the encoder at ``lr * encoder_lr_multiplier``).
"""
from __future__ import annotations

import torch
from torch import nn

from engine.errors import ConfigError
from engine.models import PairModel, build_encoder
from engine.models.encoders import EncoderSpec
from engine.upstream import UpstreamResult


def build_pair_model(method: str, spec: EncoderSpec, upstream: UpstreamResult,
                     regression: bool, num_outputs: int) -> PairModel:
    encoder = build_encoder(spec)
    if method != "scratch" and upstream.encoder_state is not None:
        load_encoder_weights(encoder, upstream.encoder_state)
    model = PairModel(encoder, num_outputs, regression)
    if method == "feature":
        frozen = encoder.embedding if upstream.scope == "embedding" else encoder
        frozen.requires_grad_(False)
    return model


def load_encoder_weights(encoder: nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Copy pre-trained weights in, refusing any that do not fit the encoder's shapes."""
    own = encoder.state_dict()
    unknown = [k for k in state if k not in own]
    misfit = [f"{k} {tuple(v.shape)} vs {tuple(own[k].shape)}" for k, v in state.items()
              if k in own and own[k].shape != v.shape]
    if unknown or misfit:
        raise ConfigError("the upstream checkpoint does not fit this encoder: "
                          + "; ".join((misfit + [f"unknown weight {k}" for k in unknown])[:3]))
    encoder.load_state_dict(state, strict=False)


def encoder_is_frozen(model: PairModel) -> bool:
    return not any(p.requires_grad for p in model.encoder.parameters())


def optimizer_for(model: PairModel, method: str, lr: float, encoder_lr_multiplier: float,
                  weight_decay: float) -> torch.optim.AdamW:
    """AdamW; the encoder gets a lower learning rate when fine-tuning if asked."""
    encoder_lr = lr * (encoder_lr_multiplier if method == "finetune" else 1.0)
    groups = []
    for params, group_lr in ((list(model.encoder.parameters()), encoder_lr),
                             (list(model.head.parameters()), lr)):
        trainable = [p for p in params if p.requires_grad]
        decay = [p for p in trainable if p.dim() >= 2]
        no_decay = [p for p in trainable if p.dim() < 2]
        groups += [{"params": decay, "lr": group_lr, "weight_decay": weight_decay},
                   {"params": no_decay, "lr": group_lr, "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    # head first so param_groups[0]["lr"] (what Step events report) is the head's rate
    groups.sort(key=lambda g: g["lr"] != lr)
    return torch.optim.AdamW(groups, lr=lr)
