"""A recorded run as plain Python: metrics, curves as NumPy arrays, and its model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Curve:
    step: np.ndarray
    value: np.ndarray


@dataclass
class Result:
    """One run: ``metrics["dev"]["spearman"]``, ``curves["downstream"]["loss"].value``,
    ``model.score(a, b)``. Built from the store, so a finished, stopped or failed run reads
    the same way whether it ran just now or last week."""

    run_id: int
    status: str
    config: dict
    metrics: dict
    seconds: float
    error: str
    artifacts: str
    curves: dict[str, dict[str, Curve]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store, run_id: int) -> Result:
        row = store.get_run(run_id)
        curves: dict[str, dict[str, Curve]] = {}
        for (stage, name), (steps, values) in store.curves(run_id).items():
            curves.setdefault(stage, {})[name] = Curve(
                np.asarray(steps, dtype=np.int64), np.asarray(values, dtype=np.float64)
            )
        return cls(
            row["id"],
            row["status"],
            row["config"],
            row["metrics"],
            row["seconds"] or 0.0,
            row.get("error") or "",
            row.get("artifacts") or "",
            curves,
        )

    @property
    def dev(self) -> dict:
        return self.metrics.get("dev", {})

    @property
    def test(self) -> dict:
        return self.metrics.get("test", {})

    @property
    def model(self):
        """The trained model (loaded on first use): ``score(a, b)``, ``encode(sentences)``."""
        if self.status != "finished":
            from transfer_explorer.engine.errors import UserError
            from transfer_explorer.engine.i18n import _

            raise UserError(
                _("run {run} is {status}; only a finished run has a model").format(
                    run=self.run_id, status=self.status
                )
            )
        if getattr(self, "_model", None) is None:
            from transfer_explorer.engine.saved.predict import Model

            self._model = Model(Path(self.artifacts))
        return self._model

    def curves_frame(self):
        """The curves as one long pandas DataFrame (stage, name, step, value)."""
        try:
            import pandas as pd
        except ImportError:
            from transfer_explorer.engine.i18n import _

            raise ImportError(
                _("curves_frame() needs pandas; result.curves has the same numbers as NumPy arrays")
            ) from None
        parts = [
            pd.DataFrame({"stage": stage, "name": name, "step": c.step, "value": c.value})
            for stage, named in self.curves.items()
            for name, c in named.items()
        ]
        return (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=["stage", "name", "step", "value"])
        )

    def __repr__(self) -> str:
        metric = self.metrics.get("metric_name", "spearman")
        dev, test = self.dev.get(metric), self.test.get(metric)
        scores = (
            f", dev {metric} {dev:.1f}, test {test:.1f}"
            if dev is not None and test is not None
            else ""
        )
        return f"<Result run {self.run_id} {self.status}{scores}>"
