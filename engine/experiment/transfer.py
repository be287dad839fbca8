"""Build the downstream model for a transfer method.

- ``scratch``: same architecture, fresh init — the control.
- ``feature``: the pre-trained part is frozen and only what sits on top trains. When the
  whole encoder was pre-trained (sentiment, mlm, a checkpoint, or a random one for
  ``none``) its vectors are computed once and only the head trains; for word vectors
  (word2vec, GloVe) the embedding layer is frozen and the encoder above it trains.
- ``finetune``: the upstream head is dropped, a new similarity head is added and every
  weight trains (the encoder at ``lr * encoder_lr_multiplier``).
- ``zero-shot``: nothing trains; the score is the cosine of the two sentence vectors.
"""

from __future__ import annotations

import torch
from torch import nn

from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.models import PairModel, build_encoder
from transfer_explorer.engine.models.encoders import EncoderSpec
from transfer_explorer.engine.models.heads import CrossEncoderModel
from transfer_explorer.engine.training.train import adamw
from transfer_explorer.engine.upstream import UpstreamResult


def build_pair_model(
    method: str,
    spec: EncoderSpec | None,
    upstream: UpstreamResult,
    regression: bool,
    num_outputs: int,
    head: str = "bi",
) -> PairModel | CrossEncoderModel:
    if head == "cosine" and not regression and method != "zero-shot":
        raise ConfigError(_("the cosine head regresses scores; for labels use --head bi or cross"))
    if upstream.module is not None:  # a Hugging Face checkpoint, loaded by the runner
        encoder = upstream.module
    else:
        if spec is None:
            raise ValueError("an encoder of our own needs its EncoderSpec (spec is None)")
        encoder = build_encoder(spec)
        if method != "scratch" and upstream.encoder_state is not None:
            load_encoder_weights(encoder, upstream.encoder_state)
    model: PairModel | CrossEncoderModel
    if head == "cross":
        model = CrossEncoderModel(encoder, num_outputs, regression)
    else:
        model = PairModel(encoder, num_outputs, regression, head)
    if method == "zero-shot":
        encoder.requires_grad_(False)
    elif method == "feature":
        frozen = encoder.embedding if upstream.scope == "embedding" else encoder
        frozen.requires_grad_(False)
    return model


def load_encoder_weights(encoder: nn.Module, state: dict[str, torch.Tensor]) -> None:
    """Copy pre-trained weights in, refusing any that do not fit the encoder's shapes."""
    own = encoder.state_dict()
    unknown = [k for k in state if k not in own]
    misfit = [
        f"{k} {tuple(v.shape)} vs {tuple(own[k].shape)}"
        for k, v in state.items()
        if k in own and own[k].shape != v.shape
    ]
    if unknown or misfit:
        problems = misfit + [_("unknown weight {name}").format(name=k) for k in unknown]
        raise ConfigError(
            _("the upstream checkpoint does not fit this encoder: {problems}").format(
                problems="; ".join(problems[:3])
            )
        )
    encoder.load_state_dict(state, strict=False)


def encoder_is_frozen(model: PairModel | CrossEncoderModel) -> bool:
    return not any(p.requires_grad for p in model.encoder.parameters())


def optimizer_for(
    model: PairModel | CrossEncoderModel,
    method: str,
    lr: float,
    encoder_lr_multiplier: float,
    weight_decay: float,
    head_lr: float | None = None,
) -> torch.optim.AdamW:
    """AdamW; the encoder gets a lower learning rate when fine-tuning if asked, and a new
    head may have its own rate."""
    encoder_lr = lr * (encoder_lr_multiplier if method == "finetune" else 1.0)
    lr = lr if head_lr is None else head_lr
    encoder_params = {id(p) for p in model.encoder.parameters()}
    rest = [p for p in model.parameters() if id(p) not in encoder_params]
    groups = []
    for params, group_lr in ((list(model.encoder.parameters()), encoder_lr), (rest, lr)):
        trainable = [p for p in params if p.requires_grad]
        decay = [p for p in trainable if p.dim() >= 2]
        no_decay = [p for p in trainable if p.dim() < 2]
        groups += [
            {"params": decay, "lr": group_lr, "weight_decay": weight_decay},
            {"params": no_decay, "lr": group_lr, "weight_decay": 0.0},
        ]
    groups = [g for g in groups if g["params"]]
    if not groups:
        raise ConfigError(_("nothing to train: every weight is frozen"))
    # head first so param_groups[0]["lr"] (what Step events report) is the head's rate
    groups.sort(key=lambda g: g["lr"] != lr)
    return adamw(groups, lr=lr)


def autocast_dtype(config: ExperimentConfig, device: torch.device) -> torch.dtype | None:
    """Mixed precision on CUDA: bf16 where the GPU supports it, else fp16; off on CPU/MPS."""
    if device.type != "cuda" or config.training.amp == "off":
        return None
    if config.training.amp == "fp16":
        return torch.float16
    if config.training.amp == "bf16" or torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float16
