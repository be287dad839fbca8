"""Helpers shared by the upstream tasks."""

from __future__ import annotations

import numpy as np
from tokenizers import Tokenizer

from transfer_explorer.engine.config import UpstreamConfig
from transfer_explorer.engine.data.types import TextDataset, TextSplit
from transfer_explorer.engine.text import encode
from transfer_explorer.engine.training.train import FitSettings

MAX_DEV_SENTENCES = 2000
EVALS_PER_EPOCH = 4


def corpus_split(cfg: UpstreamConfig, corpus: TextDataset, split: str) -> TextSplit:
    """The train split capped at ``max_sentences`` (seeded sample); dev capped for speed."""
    part = corpus.splits[split]
    cap = cfg.max_sentences if split == "train" else MAX_DEV_SENTENCES
    if cap is None or len(part) <= cap:
        return part
    index = np.sort(np.random.default_rng(cfg.seed).choice(len(part), cap, replace=False))
    return TextSplit(
        [part.sentences[i] for i in index], None if part.labels is None else part.labels[index]
    )


def tokenize(tokenizer: Tokenizer, sentences: list[str], max_length: int) -> list[np.ndarray]:
    return encode(tokenizer, sentences, max_length)


def upstream_fit_settings(epochs: int, steps_per_epoch: int) -> FitSettings:
    """Four dev evaluations per epoch: a one-epoch upstream still shows a learning curve."""
    return FitSettings(epochs=epochs, eval_every=max(1, steps_per_epoch // EVALS_PER_EPOCH))


def language_model_metrics(batches, predict, device, accuracy_name: str) -> tuple[dict, float]:
    """Loss, accuracy and perplexity of a language model over ``batches`` (``predict(batch)``
    gives logits and their target tokens); and the score to keep the best by (−loss)."""
    import math

    from torch.nn import functional as F

    total_loss, correct, count = 0.0, 0, 0
    for batch in batches.epoch():
        logits, targets = predict(batch.to(device))
        total_loss += F.cross_entropy(logits, targets, reduction="sum").item()
        correct += (logits.argmax(-1) == targets).sum().item()
        count += len(targets)
    loss = total_loss / max(count, 1)
    metrics = {
        accuracy_name: 100 * correct / max(count, 1),
        "loss": loss,
        "perplexity": math.exp(min(loss, 50)),
    }
    return metrics, -loss
