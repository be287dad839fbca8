"""Score sentence pairs with a trained run's model (the Playground and ``score`` CLI)."""

from __future__ import annotations

import math
import os
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from transfer_explorer.engine.batching import bucketed, pad
from transfer_explorer.engine.disk.safe_read import check_file
from transfer_explorer.engine.errors import ArgumentError, UserError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.saved.artifacts import load_run_model

SCORE_BATCH = 64  # pairs per forward pass


@dataclass(frozen=True)
class PairScore:
    score: float  # on the dataset's scale (e.g. 0–5), or the predicted class index
    cosine: float  # cosine of the two sentence vectors (NaN for a cross-encoder)
    label: str = ""  # the class name for classification datasets


class Scorer:
    def __init__(self, folder: str | Path, device: str = "cpu"):
        self.folder = Path(folder)
        try:
            self.model, self.codec, self.meta = load_run_model(Path(folder))
        except FileNotFoundError:
            raise UserError(
                _("{path}: this run has no saved model (it did not finish)").format(path=folder)
            ) from None
        except UserError:
            raise
        except Exception as exc:  # safetensors header errors, shape mismatches, bad JSON …
            reason = (
                str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
            )
            raise UserError(
                _("{path}: the saved model is damaged ({reason})").format(
                    path=folder, reason=reason
                )
            ) from None
        self.device = torch.device(device)
        self.model.to(self.device)
        self.max_length = self.meta["max_length"]
        self.regression = self.meta["task"] == "regression"
        self.low, self.high = self.meta["score_range"]
        self.threshold = self.meta.get("cosine_threshold")
        self.cross = bool(getattr(self.model, "cross", False))  # no sentence vectors, no cosine

    def share(self, result: PairScore) -> float:
        """Where ``result`` lies on this run's own scale, 0–1 (class index / last class)."""
        if self.regression:
            return (result.score - self.low) / (self.high - self.low)
        return result.score / max(1, len(self.meta["label_names"]) - 1)

    def score(self, pairs: list[tuple[str, str]]) -> list[PairScore]:
        """Scores in the order of ``pairs``."""
        scoring = self.iter_scores(pairs)
        while True:
            try:
                next(scoring)
            except StopIteration as done:
                return done.value

    def iter_scores(
        self, pairs: list[tuple[str, str]]
    ) -> Generator[tuple[int, int], None, list[PairScore]]:
        """Score in batches, yielding ``(done, total)`` after each; returns the scores.

        Pairs are batched by length: one padded batch of thousands of pasted pairs costs GBs
        and pads every pair to the longest; sorted batches of SCORE_BATCH keep memory flat.
        A caller can stop between batches by not resuming the generator.
        """
        lengths = np.fromiter((len(a) + len(b) for a, b in pairs), np.int64, len(pairs))
        scores: list[PairScore | None] = [None] * len(pairs)
        done = 0
        for chunk in bucketed(lengths, SCORE_BATCH, rng=None):  # characters: a cheap proxy
            for i, result in zip(chunk, self._score_batch([pairs[i] for i in chunk])):
                scores[i] = result
            done += len(chunk)
            yield done, len(pairs)
        filled = [s for s in scores if s is not None]
        assert len(filled) == len(pairs)  # the batches cover every pair once
        return filled

    @torch.inference_mode()
    def _score_batch(self, pairs: list[tuple[str, str]]) -> list[PairScore]:
        if not pairs:
            return []
        first = [a or " " for a, _b in pairs]
        second = [b or " " for _a, b in pairs]
        pad_id = self.codec.pad_id
        if self.cross:
            ids, types = self.codec.encode_pairs(first, second, self.max_length)
            ids_t, mask = pad(ids, pad_id)
            out = (
                self.model(
                    ids_t.to(self.device), mask.to(self.device), pad(types, 0)[0].to(self.device)
                )
                .float()
                .cpu()
                .numpy()
            )
            cos = np.full(len(pairs), math.nan)
        else:
            (a, ma) = pad(self.codec.encode(first, self.max_length), pad_id)
            (b, mb) = pad(self.codec.encode(second, self.max_length), pad_id)
            u = self.model.encode(a.to(self.device), ma.to(self.device))
            v = self.model.encode(b.to(self.device), mb.to(self.device))
            out = self.model.compare(u, v).float().cpu().numpy()
            cos = F.cosine_similarity(u.float(), v.float()).cpu().numpy()
        if self.regression:
            span = self.high - self.low
            return [
                PairScore(float(min(self.high, max(self.low, self.low + o * span))), float(c))
                for o, c in zip(out, cos)
            ]
        names = self.meta["label_names"]
        if self.model.head_kind == "cosine":  # zero-shot classification: the dev cut-off
            labels = [int(o >= (self.threshold or 0.5)) for o in out]
        else:
            labels = [int(np.argmax(o)) for o in out]
        return [PairScore(float(k), float(c), names[k]) for k, c in zip(labels, cos)]


class Model:
    """A trained model — a run's, or an exported folder: ``score(a, b)`` for one pair,
    ``score_pairs(pairs)`` for many, ``encode(sentences)`` for sentence vectors."""

    def __init__(self, folder: str | Path, device: str = "cpu"):
        """``folder``: one ``transfer-explorer export`` wrote, or a run's model folder
        (``transfer_explorer.load_model`` also takes a run id of the app's store)."""
        if not isinstance(folder, (str, os.PathLike)):
            raise ArgumentError(
                _("load_model() takes a model folder or a run id, got {type}").format(
                    type=type(folder).__name__
                )
            )
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise UserError(_("{path}: no such folder").format(path=folder))
        if check_file(path / "model.json", _("a model's settings (model.json)")) is None:
            raise UserError(
                _(
                    "{path}: no model here (model.json is missing); give a folder "
                    "that `transfer-explorer export RUN --model DIR` wrote, or a run id"
                ).format(path=folder)
            )
        self.scorer = Scorer(path, device)
        self.meta = self.scorer.meta

    def score(self, sentence1: str, sentence2: str) -> float | str:
        """A score on the dataset's scale (e.g. 0–5), or the class name for a classifier."""
        if not isinstance(sentence1, str) or not isinstance(sentence2, str):
            raise ArgumentError(
                _(
                    "score() takes two sentences as text, got {first} and {second}; "
                    "for many pairs use score_pairs([(a, b), …])"
                ).format(first=type(sentence1).__name__, second=type(sentence2).__name__)
            )
        result = self.scorer.score([(sentence1, sentence2)])[0]
        return result.label or result.score

    def score_pairs(self, pairs: list[tuple[str, str]]) -> list[PairScore]:
        """Scores of many ``(sentence1, sentence2)`` pairs, in their order."""
        return self.scorer.score(_checked_pairs(pairs))

    @torch.inference_mode()
    def encode(self, sentences: list[str]) -> np.ndarray:
        """One vector per sentence ([n, dim], float32); bi-encoders only."""
        if (
            isinstance(sentences, str)
            or not _is_sequence(sentences)
            or not all(isinstance(s, str) for s in sentences)
        ):
            raise ArgumentError(
                _("encode() takes a list of sentences (text); for one, encode([sentence])")
            )
        if self.scorer.cross:
            raise UserError(
                _("a cross-encoder reads both sentences together; it has no sentence vectors")
            )
        scorer = self.scorer
        out = []
        for start in range(0, len(sentences), SCORE_BATCH):
            chunk = [s or " " for s in sentences[start : start + SCORE_BATCH]]
            ids, mask = pad(scorer.codec.encode(chunk, scorer.max_length), scorer.codec.pad_id)
            out.append(
                scorer.model.encode(ids.to(scorer.device), mask.to(scorer.device))
                .float()
                .cpu()
                .numpy()
            )
        return np.concatenate(out) if out else np.zeros((0, 0), np.float32)

    def __repr__(self) -> str:
        m = self.meta
        return (
            f"<Model {m.get('upstream')}/{m.get('method')} on {m.get('dataset')}, "
            f"head {m.get('head')}>"
        )


def _cut(head: str, text: str, limit: int = 120) -> str:
    """``text`` shortened so that ``head + text`` stays within ``limit`` characters."""
    return text[: max(0, limit - len(head))]


def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple)) or (
        hasattr(value, "__len__") and hasattr(value, "__getitem__")
    )


def _checked_pairs(pairs) -> list[tuple[str, str]]:
    """``pairs`` as a list of two-sentence tuples, or one clear ArgumentError."""
    if isinstance(pairs, (str, bytes)) or not hasattr(pairs, "__iter__"):
        raise ArgumentError(
            _("score_pairs() takes a list of (sentence1, sentence2) pairs, got {type}").format(
                type=type(pairs).__name__
            )
        )
    out = []
    for i, pair in enumerate(pairs):
        if (
            isinstance(pair, (str, bytes))
            or not _is_sequence(pair)
            or len(pair) != 2
            or not all(isinstance(s, str) for s in pair)
        ):
            raise ArgumentError(
                # TRANSLATORS: {pair} is the offending value as Python writes it (cut short)
                _(
                    "score_pairs(): pair {i} is {pair}; "
                    "each pair is two sentences as text, (sentence1, sentence2)"
                ).format(i=i, pair=_cut(f"score_pairs(): pair {i} is ", repr(pair)))
            )
        out.append((pair[0], pair[1]))
    return out
