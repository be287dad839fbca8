"""Upstream tasks: what the encoder learns before the similarity task, cached on disk.

An upstream result is keyed by a hash of its settings, the encoder shape, the tokenizer
and a fingerprint of its data; a second experiment with the same upstream reuses it.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
from tokenizers import Tokenizer

from engine.config import UpstreamConfig
from engine.context import StageContext
from engine.data.types import TextDataset
from engine.events import Log, StageFinished, StageStarted
from engine.models.encoders import EncoderSpec
from engine.upstream import cache

CODE_VERSION = "3"  # 3: keyed by the exact vocabulary  # bump when an upstream's training changes meaningfully


@dataclass
class UpstreamResult:
    task: str
    key: str = ""
    encoder_state: dict[str, torch.Tensor] | None = None  # None: random (Glorot) init
    scope: str = "encoder"   # what was pre-trained: "encoder" or "embedding"
    metrics: dict = field(default_factory=dict)
    cached: bool = False
    path: Path | None = None
    seconds: float = 0.0
    module: torch.nn.Module | None = None  # hf: the loaded encoder itself


def upstream_key(cfg: UpstreamConfig, spec: EncoderSpec, tokenizer_key: str,
                 corpus_fingerprint: str) -> str:
    """``tokenizer_key`` must identify the exact token ids (vocabulary_fingerprint)."""
    payload = {"task": cfg.task, "epochs": cfg.resolved_epochs, "batch_size": cfg.batch_size,
               "lr": cfg.lr, "max_sentences": cfg.max_sentences, "seed": cfg.seed,
               "encoder": spec.to_dict(), "tokenizer": tokenizer_key,
               "data": corpus_fingerprint, "version": CODE_VERSION}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]


def prepare_upstream(cfg: UpstreamConfig, corpus: TextDataset | None, tokenizer: Tokenizer,
                     spec: EncoderSpec, tokenizer_key: str, ctx: StageContext,
                     store=None) -> UpstreamResult:
    """Load the upstream from the cache, or train it (and cache it)."""
    if cfg.task == "none" or corpus is None:
        return UpstreamResult("none")
    from engine.text import vocabulary_fingerprint

    # the exact vocabulary, not just the corpus it came from: weights index its rows
    key = upstream_key(cfg, spec, vocabulary_fingerprint(tokenizer), corpus.fingerprint())
    hit = cache.load(ctx.cache_dir, key)
    if hit is not None:
        state, meta = hit
        ctx.emit(StageStarted("upstream", 0, 0, cached=True,
                              description=f"{cfg.task} on {corpus.name} (cached)"))
        ctx.emit(Log(f"upstream {cfg.task} on {corpus.name} loaded from the cache "
                     f"(trained in {meta.get('seconds', 0):.0f} s, key {key})"))
        ctx.emit(StageFinished("upstream", meta.get("metrics", {}), cached=True))
        return UpstreamResult(cfg.task, key, state, meta["scope"], meta.get("metrics", {}),
                              True, cache.entry_dir(ctx.cache_dir, key), meta.get("seconds", 0))
    started = time.perf_counter()
    if cfg.task == "sentiment":
        from engine.upstream.sentiment import train_sentiment as train
    elif cfg.task == "mlm":
        from engine.upstream.mlm import train_mlm as train
    elif cfg.task == "word2vec":
        from engine.upstream.word2vec import train_word2vec as train
    else:  # pragma: no cover - validated in config
        raise ValueError(cfg.task)
    state, scope, metrics = train(cfg, corpus, tokenizer, spec, ctx)
    seconds = time.perf_counter() - started
    meta = {"task": cfg.task, "data": corpus.name, "scope": scope, "metrics": metrics,
            "seconds": seconds, "encoder": spec.to_dict()}
    path = cache.save(ctx.cache_dir, key, state, meta)
    if store is not None:
        store.record_upstream(key, cfg.task, corpus.name, str(path), spec.to_dict(), metrics,
                              seconds)
    ctx.emit(StageFinished("upstream", metrics, cached=False, seconds=seconds))
    return UpstreamResult(cfg.task, key, state, scope, metrics, False, path, seconds)
