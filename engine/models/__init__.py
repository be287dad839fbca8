"""Encoders, similarity heads and upstream heads (torch.nn, no Qt)."""

from transfer_explorer.engine.models.encoders import EncoderSpec, build_encoder, encoder_spec
from transfer_explorer.engine.models.heads import (
    CausalLMModel,
    MaskedLMModel,
    PairModel,
    SentimentModel,
)

__all__ = [
    "EncoderSpec",
    "build_encoder",
    "encoder_spec",
    "PairModel",
    "SentimentModel",
    "MaskedLMModel",
    "CausalLMModel",
]
