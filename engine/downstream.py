"""The downstream stage: train a pair model on the similarity dataset and evaluate it."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from engine.batching import FeaturePairBatches, PairBatches, TextBatches
from engine.config import ExperimentConfig
from engine.context import StageContext
from engine.data.types import PairDataset, PairSplit
from engine.events import Eval, Prediction, Progress, StageFinished, StageStarted
from engine.metrics import classification_metrics, main_metric, regression_metrics
from engine.models import PairModel
from engine.text import encode
from engine.train import Evaluation, FitResult, FitSettings, fit
from engine.transfer import encoder_is_frozen, optimizer_for

EVAL_BATCH = 256
MAX_SHOWN_PREDICTIONS = 3000


@dataclass
class TokenizedPairs:
    split: PairSplit
    ids1: list[np.ndarray]
    ids2: list[np.ndarray]
    targets: np.ndarray   # scaled to [0, 1] for regression


def tokenize_pairs(data: PairDataset, tokenizer, max_length: int, name: str) -> TokenizedPairs:
    lo, hi = data.score_range
    split = data.splits[name]
    targets = ((split.targets - lo) / (hi - lo)).astype(np.float32) \
        if data.task == "regression" else split.targets
    return TokenizedPairs(split, encode(tokenizer, split.sentence1, max_length),
                          encode(tokenizer, split.sentence2, max_length), targets)


class TokenizedSplits(dict):
    """Splits tokenized on first use: training starts before dev and test are tokenized."""

    def __init__(self, data: PairDataset, tokenizer, max_length: int):
        super().__init__()
        self.data, self.tokenizer, self.max_length = data, tokenizer, max_length

    def __missing__(self, name: str) -> TokenizedPairs:
        if name not in self.data.splits:
            raise KeyError(name)
        self[name] = tokenize_pairs(self.data, self.tokenizer, self.max_length, name)
        return self[name]

    def __contains__(self, name) -> bool:
        return name in self.data.splits

    def names(self) -> list[str]:
        return list(self.data.splits)


class DownstreamStage:
    """Trains ``model`` on ``data``; keeps the best dev weights; reports dev and test."""

    def __init__(self, model: PairModel, data: PairDataset, pairs: TokenizedSplits,
                 config: ExperimentConfig, ctx: StageContext):
        self.model, self.data, self.pairs, self.config, self.ctx = model, data, pairs, config, ctx
        self.regression = data.task == "regression"
        self.features: torch.Tensor | None = None
        self.feature_index: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    # ---- feature-based transfer: encode every sentence once ---------------------------------
    @torch.no_grad()
    def compute_features(self) -> float:
        started = time.perf_counter()
        unique: dict[str, int] = {}
        token_ids: list[np.ndarray] = []
        for name in self.pairs.names():
            part = self.pairs[name]
            index1, index2 = [], []
            for s, ids in zip(part.split.sentence1, part.ids1):
                index1.append(unique.setdefault(s, len(unique)))
                if len(token_ids) < len(unique):
                    token_ids.append(ids)
            for s, ids in zip(part.split.sentence2, part.ids2):
                index2.append(unique.setdefault(s, len(unique)))
                if len(token_ids) < len(unique):
                    token_ids.append(ids)
            self.feature_index[name] = (np.asarray(index1), np.asarray(index2))
        batches = TextBatches(token_ids, None, EVAL_BATCH, shuffle=False)
        self.ctx.emit(StageStarted("features", len(batches),
                                   description=f"encoding {len(token_ids)} sentences once"))
        encoder = self.model.encoder.eval()
        features = None
        for done, batch in enumerate(batches.epoch(), start=1):
            self.ctx.control.checkpoint()
            batch = batch.to(self.ctx.device)
            vectors = encoder(batch["ids"], batch["mask"])[1].float()
            if features is None:
                features = torch.empty(len(token_ids), vectors.shape[1], device=self.ctx.device)
            features[torch.as_tensor(batch.index, device=self.ctx.device)] = vectors
            self.ctx.emit(Progress("features", done, len(batches)))
        self.features = features
        seconds = time.perf_counter() - started
        self.ctx.emit(StageFinished("features", {"sentences": len(token_ids)}, seconds=seconds))
        return seconds

    # ---- batches -------------------------------------------------------------------------------
    def batches(self, name: str, train: bool):
        part = self.pairs[name]
        size = self.config.training.batch_size if train else EVAL_BATCH
        if self.features is not None:
            index1, index2 = self.feature_index[name]
            return FeaturePairBatches(self.features, index1, index2, part.targets, size,
                                      shuffle=train, seed=self.config.seed)
        return PairBatches(part.ids1, part.ids2, part.targets, size, shuffle=train,
                           seed=self.config.seed)

    def loss(self, model: PairModel, batch) -> torch.Tensor:
        if self.features is not None:
            output = model.compare(batch["u"], batch["v"])
        else:
            output = model(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"])
        return model.loss(output.float(), batch["target"])

    # ---- evaluation -----------------------------------------------------------------------------
    @torch.no_grad()
    def evaluate(self, name: str) -> Evaluation:
        model = self.model.eval()
        part = self.pairs[name]
        n = len(part.targets)
        outputs = np.zeros(n if self.regression else (n, self.data.num_labels), np.float32)
        cosine = np.zeros(n, np.float32)
        for batch in self.batches(name, train=False).epoch():
            batch = batch.to(self.ctx.device)
            if self.features is not None:
                u, v = batch["u"], batch["v"]
            else:
                u = model.encode(batch["ids1"], batch["mask1"])
                v = model.encode(batch["ids2"], batch["mask2"])
            outputs[batch.index] = model.compare(u, v).float().cpu().numpy()
            cosine[batch.index] = F.cosine_similarity(u.float(), v.float()).cpu().numpy()
        split = part.split
        if self.regression:
            lo, hi = self.data.score_range
            pred = lo + outputs * (hi - lo)
            metrics = regression_metrics(split.targets, pred, cosine)
        else:
            pred = outputs.argmax(-1)
            metrics = classification_metrics(split.targets, pred, self.data.num_labels)
        shown = tuple(Prediction(a, b, float(g), float(p)) for a, b, g, p in zip(
            split.sentence1[:MAX_SHOWN_PREDICTIONS], split.sentence2[:MAX_SHOWN_PREDICTIONS],
            split.targets[:MAX_SHOWN_PREDICTIONS], pred[:MAX_SHOWN_PREDICTIONS]))
        return Evaluation(metrics, metrics[main_metric(self.data.task)], shown)

    # ---- the stage --------------------------------------------------------------------------------
    def run(self) -> FitResult:
        training = self.config.training
        self.model.to(self.ctx.device)
        if encoder_is_frozen(self.model):
            self.compute_features()
        optimizer = optimizer_for(self.model, self.config.method, training.lr,
                                  training.encoder_lr_multiplier, training.weight_decay)
        settings = FitSettings(epochs=training.epochs, log_every=training.log_every,
                               eval_every=training.eval_every, patience=training.patience,
                               grad_clip=training.grad_clip, warmup_steps=training.warmup_steps)
        return fit("downstream", self.model, optimizer, self.batches("train", train=True),
                   self.loss, lambda: self.evaluate("dev"), settings, self.ctx.emit,
                   self.ctx.control, self.ctx.device)

    def final_evaluations(self, step: int, epoch: int) -> dict[str, dict]:
        """Dev and test metrics of the best weights (emitted as final Eval events)."""
        out = {}
        for name in ("dev", "test"):
            if name not in self.pairs:
                continue
            evaluation = self.evaluate(name)
            self.ctx.emit(Eval("downstream", step, epoch, name, evaluation.metrics,
                               evaluation.predictions, final=True))
            out[name] = evaluation.metrics
        return out
