"""Evaluation metrics: Pearson/Spearman for scores, accuracy/F1 for labels."""

from __future__ import annotations

import numpy as np
from scipy import stats


def correlation(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Pearson and Spearman ×100 (the STS convention); 0 when a side is constant."""
    if len(gold) < 2 or np.ptp(gold) == 0 or np.ptp(pred) == 0:
        return {"pearson": 0.0, "spearman": 0.0}
    return {
        "pearson": float(stats.pearsonr(gold, pred)[0] * 100),
        "spearman": float(stats.spearmanr(gold, pred)[0] * 100),
    }


def regression_metrics(
    gold: np.ndarray, pred: np.ndarray, cosine: np.ndarray | None = None
) -> dict[str, float]:
    metrics = correlation(gold, pred)
    metrics["mse"] = float(np.mean((gold - pred) ** 2))
    if cosine is not None:
        metrics["cosine_spearman"] = correlation(gold, cosine)["spearman"]
    return metrics


def classification_metrics(gold: np.ndarray, pred: np.ndarray, num_labels: int) -> dict[str, float]:
    """Accuracy ×100 and F1 ×100 (positive class for two labels, macro-averaged otherwise)."""
    metrics = {"accuracy": float(np.mean(gold == pred) * 100) if len(gold) else 0.0}
    classes = [1] if num_labels == 2 else range(num_labels)
    scores = []
    for c in classes:
        tp = np.sum((pred == c) & (gold == c))
        fp = np.sum((pred == c) & (gold != c))
        fn = np.sum((pred != c) & (gold == c))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    metrics["f1"] = float(np.mean(scores) * 100)
    return metrics


def main_metric(task: str) -> str:
    """The dev metric used for early stopping and best-checkpoint selection."""
    return "spearman" if task == "regression" else "accuracy"
