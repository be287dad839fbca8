"""Score sentence pairs with a trained run's model (the Playground and ``score`` CLI)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

from engine.artifacts import load_run_model
from engine.batching import pad
from engine.errors import UserError
from engine.text import encode


@dataclass(frozen=True)
class PairScore:
    score: float       # on the dataset's scale (e.g. 0–5), or the predicted class index
    cosine: float      # cosine of the two sentence vectors
    label: str = ""    # the class name for classification datasets


class Scorer:
    def __init__(self, folder: str | Path, device: str = "cpu"):
        try:
            self.model, self.tokenizer, self.meta = load_run_model(Path(folder))
        except FileNotFoundError:
            raise UserError(f"{folder}: this run has no saved model (it did not finish)") from None
        self.device = torch.device(device)
        self.model.to(self.device)
        self.max_length = self.meta["encoder"]["max_length"]
        self.regression = self.meta["task"] == "regression"
        self.low, self.high = self.meta["score_range"]

    @torch.inference_mode()
    def score(self, pairs: list[tuple[str, str]]) -> list[PairScore]:
        if not pairs:
            return []
        ids1 = encode(self.tokenizer, [a or " " for a, _ in pairs], self.max_length)
        ids2 = encode(self.tokenizer, [b or " " for _, b in pairs], self.max_length)
        (a, ma), (b, mb) = pad(ids1), pad(ids2)
        u = self.model.encode(a.to(self.device), ma.to(self.device))
        v = self.model.encode(b.to(self.device), mb.to(self.device))
        out = self.model.compare(u, v).float().cpu().numpy()
        cos = F.cosine_similarity(u, v).float().cpu().numpy()
        if self.regression:
            return [PairScore(float(self.low + o * (self.high - self.low)), float(c))
                    for o, c in zip(out, cos)]
        names = self.meta["label_names"]
        return [PairScore(float(np.argmax(o)), float(c), names[int(np.argmax(o))])
                for o, c in zip(out, cos)]
