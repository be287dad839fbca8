"""The downstream stage: train a pair model on the similarity dataset and evaluate it.

Bi-encoders see each sentence alone; cross-encoders see the pair as one sequence. When the
encoder is frozen, its vectors (per sentence, or per pair) are computed once — and for a
Hugging Face checkpoint cached on disk — so an epoch trains only the head. Zero-shot
skips training: the cosine of the two sentence vectors is the score.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save
from torch.nn import functional as F

from transfer_explorer.engine.batching import (
    CrossPairBatches,
    FeatureBatches,
    FeaturePairBatches,
    PairBatches,
    TextBatches,
)
from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.data.types import PairDataset, PairSplit
from transfer_explorer.engine.disk.safe_read import load_safetensors
from transfer_explorer.engine.events import Eval, Prediction, Progress, StageFinished, StageStarted
from transfer_explorer.engine.experiment.transfer import encoder_is_frozen, optimizer_for
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.metrics import classification_metrics, main_metric, regression_metrics
from transfer_explorer.engine.training.context import StageContext
from transfer_explorer.engine.training.eval_plan import planned_eval_every
from transfer_explorer.engine.training.train import (
    Evaluation,
    FitResult,
    FitSettings,
    autocast,
    fit,
)

EVAL_BATCH = 128
# An evaluation batch holds at most this many token × hidden-size values: 128 sentences of
# up to 128 tokens for a 128-wide encoder, fewer long ones for a wide checkpoint (MiniLM's
# batches of long dev sentences were its run's memory peak)
EVAL_TOKEN_VALUES = 128 * 128 * 128
EVAL_PROGRESS_BATCHES = 40  # evaluations of at least this many batches report progress
MAX_SHOWN_PREDICTIONS = 3000


@dataclass
class TokenizedPairs:
    split: PairSplit
    targets: np.ndarray  # scaled to [0, 1] for regression
    ids1: list[np.ndarray] | None = None  # bi-encoder
    ids2: list[np.ndarray] | None = None
    ids: list[np.ndarray] | None = None  # cross-encoder
    types: list[np.ndarray] | None = None


class TokenizedSplits(dict):
    """Splits tokenized on first use: training starts before dev and test are tokenized."""

    def __init__(self, data: PairDataset, codec, max_length: int, cross: bool = False):
        super().__init__()
        self.data, self.codec, self.max_length, self.cross = data, codec, max_length, cross

    def __missing__(self, name: str) -> TokenizedPairs:
        if name not in self.data.splits:
            raise KeyError(name)
        split = self.data.splits[name]
        lo, hi = self.data.score_range
        targets = (
            ((split.targets - lo) / (hi - lo)).astype(np.float32)
            if self.data.task == "regression"
            else split.targets
        )
        if self.cross:
            ids, types = self.codec.encode_pairs(split.sentence1, split.sentence2, self.max_length)
            part = TokenizedPairs(split, targets, ids=ids, types=types)
        else:
            part = TokenizedPairs(
                split,
                targets,
                ids1=self.codec.encode(split.sentence1, self.max_length),
                ids2=self.codec.encode(split.sentence2, self.max_length),
            )
        self[name] = part
        return part

    def __contains__(self, name) -> bool:
        return name in self.data.splits

    def names(self) -> list[str]:
        return list(self.data.splits)


class DownstreamStage:
    """Trains ``model`` on ``data``; keeps the best dev weights; reports dev and test."""

    def __init__(
        self,
        model,
        data: PairDataset,
        codec,
        config: ExperimentConfig,
        ctx: StageContext,
        max_length: int,
        feature_cache_key: str | None = None,
        autocast_dtype: torch.dtype | None = None,
    ):
        self.model, self.data, self.codec, self.config, self.ctx = model, data, codec, config, ctx
        self.cross = getattr(model, "cross", False)
        self.pairs = TokenizedSplits(data, codec, max_length, self.cross)
        self.regression = data.task == "regression"
        self.features: torch.Tensor | None = None
        self.feature_index: dict[str, tuple[np.ndarray, ...]] = {}
        self.feature_cache_key = feature_cache_key
        self.autocast_dtype = autocast_dtype
        self.threshold: float | None = None  # zero-shot classification: cosine cut-off

    # ---- feature-based transfer: encode once -----------------------------------------------
    def _feature_units(self) -> tuple[list, list | None]:
        """Token ids of every unique sentence (bi) or every pair (cross), with indices."""
        if self.cross:
            ids, types, offset = [], [], 0
            for name in self.pairs.names():
                part = self.pairs[name]
                ids += part.ids
                types += part.types
                self.feature_index[name] = (np.arange(offset, offset + len(part.ids)),)
                offset += len(part.ids)
            return ids, types
        unique: dict[str, int] = {}
        token_ids: list[np.ndarray] = []
        for name in self.pairs.names():
            part = self.pairs[name]
            index = []
            for sentences, ids in (
                (part.split.sentence1, part.ids1),
                (part.split.sentence2, part.ids2),
            ):
                column = []
                for s, token in zip(sentences, ids):
                    column.append(unique.setdefault(s, len(unique)))
                    if len(token_ids) < len(unique):
                        token_ids.append(token)
                index.append(np.asarray(column))
            self.feature_index[name] = tuple(index)
        return token_ids, None

    def _cache_path(self) -> Path | None:
        if not self.feature_cache_key:
            return None
        fingerprint = "|".join(self.data.fingerprint(n) for n in self.pairs.names())
        key = hashlib.sha256(
            f"{self.feature_cache_key}|{fingerprint}|{self.cross}|{self.pairs.max_length}".encode()
        ).hexdigest()[:20]
        return self.ctx.cache_dir / "features" / f"{key}.safetensors"

    @torch.no_grad()
    def compute_features(self) -> float:
        started = time.perf_counter()
        units, types = self._feature_units()
        cache = self._cache_path()
        if cache is not None and cache.is_file():
            try:  # (read never blocking: a FIFO in its place is damage, recomputed)
                features = load_safetensors(cache, "cached features")["features"]
                if features.shape[0] == len(units):
                    self.features = features.to(self.ctx.device)
                    self.ctx.emit(
                        StageStarted(
                            "features",
                            0,
                            cached=True,
                            description=_("{n} vectors from the cache").format(n=len(units)),
                        )
                    )
                    self.ctx.emit(
                        StageFinished(
                            "features",
                            {"vectors": len(units)},
                            cached=True,
                            seconds=time.perf_counter() - started,
                        )
                    )
                    return time.perf_counter() - started
            except Exception:  # a damaged cache file is recomputed
                cache.unlink(missing_ok=True)
        batches = TextBatches(
            units,
            None,
            EVAL_BATCH,
            shuffle=False,
            pad_id=self.codec.pad_id,
            types=types,
            max_tokens=self.eval_max_tokens,
        )
        what = _("encoding {n} pairs once") if self.cross else _("encoding {n} sentences once")
        self.ctx.emit(StageStarted("features", len(batches), description=what.format(n=len(units))))
        encoder = self.model.encoder.eval()
        features = None
        for done, batch in enumerate(batches.epoch(), start=1):
            self.ctx.control.checkpoint()
            batch = batch.to(self.ctx.device)
            with self._autocast():
                args = (batch["ids"], batch["mask"]) + ((batch["types"],) if self.cross else ())
                vectors = encoder(*args)[1].float()
            if features is None:
                features = torch.empty(len(units), vectors.shape[1], device=self.ctx.device)
            features[torch.as_tensor(batch.index, device=self.ctx.device)] = vectors
            self.ctx.emit(Progress("features", done, len(batches)))
        self.features = features
        if cache is not None:
            _save_features(cache, features)
        seconds = time.perf_counter() - started
        self.ctx.emit(StageFinished("features", {"vectors": len(units)}, seconds=seconds))
        return seconds

    # ---- batches and the loss ---------------------------------------------------------------
    @property
    def eval_max_tokens(self) -> int:
        """Tokens in one evaluation batch: EVAL_TOKEN_VALUES over this encoder's width."""
        return EVAL_TOKEN_VALUES // self.model.encoder.token_dim

    def batches(self, name: str, train: bool):
        part = self.pairs[name]
        size = self.config.training.batch_size if train else EVAL_BATCH
        seed, pad_id = self.config.seed, self.codec.pad_id
        max_tokens = 0 if train else self.eval_max_tokens
        if self.features is not None:
            if self.cross:
                return FeatureBatches(
                    self.features,
                    self.feature_index[name][0],
                    part.targets,
                    size,
                    shuffle=train,
                    seed=seed,
                )
            index1, index2 = self.feature_index[name]
            return FeaturePairBatches(
                self.features, index1, index2, part.targets, size, shuffle=train, seed=seed
            )
        if self.cross:
            return CrossPairBatches(
                part.ids,
                part.types,
                part.targets,
                size,
                shuffle=train,
                seed=seed,
                pad_id=pad_id,
                max_tokens=max_tokens,
            )
        return PairBatches(
            part.ids1,
            part.ids2,
            part.targets,
            size,
            shuffle=train,
            seed=seed,
            pad_id=pad_id,
            max_tokens=max_tokens,
        )

    def forward(self, model, batch) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Model output (and, for bi-encoders, the cosine of the two sentence vectors)."""
        if "x" in batch.tensors:
            return model.score(batch["x"]), None
        if "u" in batch.tensors:
            u, v = batch["u"], batch["v"]
        elif self.cross:
            return model(batch["ids"], batch["mask"], batch["types"]), None
        else:
            u, v = model.encode_pair(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"])
        return model.compare(u, v), F.cosine_similarity(u.float(), v.float(), dim=-1)

    def loss(self, model, batch) -> torch.Tensor:
        return model.loss(self.forward(model, batch)[0].float(), batch["target"])

    def _autocast(self):
        return autocast(self.ctx.device, self.autocast_dtype)

    # ---- evaluation -----------------------------------------------------------------------------
    @torch.no_grad()
    def outputs(self, name: str) -> tuple[np.ndarray, np.ndarray | None]:
        model = self.model.eval()
        n = len(self.pairs[name].targets)
        scalar = self.regression or model.head_kind == "cosine"
        outputs = np.zeros(n if scalar else (n, self.data.num_labels), np.float32)
        cosine = None if self.cross else np.zeros(n, np.float32)
        batches = self.batches(name, train=False)
        report = len(batches) >= EVAL_PROGRESS_BATCHES  # a large split: say how far it is
        for done, batch in enumerate(batches.epoch(), start=1):
            self.ctx.control.checkpoint()  # a stop is honoured inside a long evaluation too
            if report and done % 10 == 0:
                self.ctx.emit(
                    Progress(
                        "evaluation", done, len(batches), _("evaluating {split}").format(split=name)
                    )
                )
            batch = batch.to(self.ctx.device)
            with self._autocast():
                out, cos = self.forward(model, batch)
            outputs[batch.index] = out.float().cpu().numpy()
            if cosine is not None:
                assert cos is not None  # a bi-encoder's output comes with its cosine
                cosine[batch.index] = cos.cpu().numpy()
        return outputs, cosine

    def evaluate(self, name: str) -> Evaluation:
        outputs, cosine = self.outputs(name)
        split = self.pairs[name].split
        if self.regression:
            lo, hi = self.data.score_range
            pred = lo + outputs * (hi - lo)
            metrics = regression_metrics(split.targets, pred, cosine)
        else:
            if self.model.head_kind == "cosine":  # zero-shot: cosine above a dev-tuned cut-off
                if self.threshold is None:
                    self.threshold = best_threshold(outputs, split.targets)
                pred = (outputs >= self.threshold).astype(np.int64)
            else:
                pred = outputs.argmax(-1)
            metrics = classification_metrics(split.targets, pred, self.data.num_labels)
        shown = tuple(
            Prediction(a, b, float(g), float(p))
            for a, b, g, p in zip(
                split.sentence1[:MAX_SHOWN_PREDICTIONS],
                split.sentence2[:MAX_SHOWN_PREDICTIONS],
                split.targets[:MAX_SHOWN_PREDICTIONS],
                pred[:MAX_SHOWN_PREDICTIONS],
            )
        )
        return Evaluation(metrics, metrics[main_metric(self.data.task)], shown)

    # ---- the stage ------------------------------------------------------------------------
    def run(self) -> FitResult:
        training = self.config.training
        self.model.to(self.ctx.device)
        if self.config.method == "zero-shot":
            self.ctx.emit(StageStarted("downstream", 0, description=_("zero-shot: no training")))
            return FitResult()
        if encoder_is_frozen(self.model):
            self.compute_features()
        optimizer = optimizer_for(
            self.model,
            self.config.method,
            self.config.lr,
            training.encoder_lr_multiplier,
            training.weight_decay,
            self.config.head_lr,
        )
        batches = self.batches("train", train=True)
        total = len(batches) * training.epochs
        warmup = training.warmup_steps or int(self.config.warmup_ratio * total)
        splits = self.data.splits  # counted, not tokenized: training starts before dev is
        eval_every = training.eval_every or planned_eval_every(
            len(splits["train"].targets),
            len(splits["dev"].targets) if "dev" in splits else 0,
            len(batches),
            training.epochs,
        )
        settings = FitSettings(
            epochs=training.epochs,
            log_every=training.log_every,
            eval_every=eval_every,
            patience=training.patience,
            grad_clip=training.grad_clip,
            warmup_steps=warmup,
            linear_decay=self.config.linear_decay,
            spill_dir=self.ctx.cache_dir / "best-weights",
        )
        return fit(
            "downstream",
            self.model,
            optimizer,
            batches,
            self.loss,
            lambda: self.evaluate("dev"),
            settings,
            self.ctx.emit,
            self.ctx.control,
            self.ctx.device,
            self.autocast_dtype,
        )

    def final_evaluations(
        self, step: int, epoch: int, best: Evaluation | None = None
    ) -> dict[str, dict]:
        """Dev and test metrics of the best weights (emitted as final Eval events). ``best``:
        training's own dev evaluation of those weights, which is not computed again."""
        from transfer_explorer.engine.speed import baseline

        out = {}
        for name in ("dev", "test"):
            if name not in self.pairs:
                continue
            if name == "dev" and best is not None and not baseline():
                evaluation = best
            else:
                evaluation = self.evaluate(name)
            self.ctx.emit(
                Eval(
                    "downstream",
                    step,
                    epoch,
                    name,
                    evaluation.metrics,
                    evaluation.predictions,
                    final=True,
                )
            )
            out[name] = evaluation.metrics
        return out


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The cut-off on ``scores`` that maximises accuracy on these (dev) labels."""
    candidates = np.unique(scores)
    accuracy = [np.mean((scores >= t) == (labels == 1)) for t in candidates]
    return float(candidates[int(np.argmax(accuracy))])


FEATURE_TEMPS = r"[0-9a-f]+(\.safetensors\.[a-z0-9_]{8})?\.tmp"  # this version's, and KEY.tmp


def _save_features(cache: Path, features: torch.Tensor) -> None:
    """Written to a locked temporary beside ``cache`` and renamed into place; a killed
    run's temporaries are cleaned here, the next time features are cached."""
    from transfer_explorer.engine.disk.temp_folders import clean_stale, make_temp_file

    cache.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(cache.parent, FEATURE_TEMPS)
    data = save({"features": features.cpu().contiguous()})
    temp = make_temp_file(cache.parent, cache.name + ".")
    try:
        with open(temp.path, "wb") as f:
            f.write(data)
        temp.path.replace(cache)
    except BaseException:
        temp.discard()
        raise
    temp.release()
