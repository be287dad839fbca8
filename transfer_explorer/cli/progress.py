"""Progress for a terminal or a notebook: one tqdm bar per stage, fed by engine events."""

from __future__ import annotations

import sys

from tqdm import tqdm

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.labels import shown
from transfer_explorer.engine.sweep.estimate import SweepEta, format_duration


class ProgressPrinter:
    def __init__(self, enabled: bool = True, stream=sys.stderr, bar=tqdm):
        """``bar``: the tqdm class (``tqdm.auto.tqdm`` draws a widget in a notebook)."""
        self.enabled, self.stream, self.bar_class = enabled, stream, bar
        self.bar: tqdm | None = None
        self.stage = ""
        self.steps_per_epoch = 0.0

    def __call__(self, event: ev.Event) -> None:
        if not self.enabled:
            return
        if isinstance(event, ev.StageStarted):
            self._close_bar()
            self.stage = event.stage
            self.steps_per_epoch = event.total_steps / event.epochs if event.epochs else 0
            label = event.stage + (" (cached)" if event.cached else "")
            if event.total_steps:
                self.bar = self.bar_class(
                    total=event.total_steps,
                    desc=label,
                    file=self.stream,
                    unit="step",
                    dynamic_ncols=True,
                    leave=True,
                )
            else:
                self._write(f"{label}: {event.description}")
        elif (
            isinstance(event, (ev.Step, ev.Progress))
            and self.bar is not None
            and event.stage == self.stage
        ):  # (an evaluation's progress is not the bar's)
            done = event.step if isinstance(event, ev.Step) else event.done
            self.bar.update(done - self.bar.n)
            if isinstance(event, ev.Step):
                self.bar.set_postfix(
                    loss=f"{event.loss:.4f}", ex_s=f"{event.examples_per_s:.0f}", refresh=False
                )
        elif isinstance(event, ev.Eval):
            main = {
                k: v
                for k, v in event.metrics.items()
                if k in ("spearman", "pearson", "accuracy", "f1", "masked_accuracy")
            }
            text = ", ".join(f"{k} {v:.1f}" for k, v in main.items())
            prefix = "final " if event.final else f"{self._when(event)} "
            self._write(f"{event.stage} {prefix}{event.split}: {text}")
        elif isinstance(event, ev.Log):
            self._write(f"[{event.level}] {event.message}")
        elif isinstance(event, ev.StageFinished):
            self._close_bar()
        elif isinstance(event, ev.RunFailed):
            self._close_bar()

    def _when(self, event: ev.Eval) -> str:
        """'epoch 0.25 (step 14)': a one-epoch run's evaluations are told apart."""
        if not self.steps_per_epoch:
            return f"epoch {event.epoch}"
        return f"epoch {event.step / self.steps_per_epoch:.2f} (step {event.step})"

    def _write(self, text: str) -> None:
        text = shown(text)  # a file name or a log line may hold a newline or an escape
        if self.bar is not None:
            self.bar.write(text, file=self.stream)
        else:
            print(text, file=self.stream)

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def close(self) -> None:
        self._close_bar()


class SweepProgress:
    """A sweep on a terminal: one bar over the cells; failures are printed above it."""

    def __init__(self, enabled: bool = True, bar=tqdm):
        self.enabled, self.bar_class = enabled, bar
        self.bar = None
        self.eta = SweepEta()
        self.label = ""

    def _postfix(self) -> None:
        left = self.eta.remaining()
        self.bar.set_postfix_str(
            ", ".join(
                filter(None, (f"{format_duration(left)} left" if left else "", self.label))
            ),  # 0: all done
            refresh=False,
        )

    def __call__(self, event: ev.Event) -> None:
        if not self.enabled:
            return
        self.eta.update(event)
        if isinstance(event, ev.SweepStarted):
            # the time left comes from the cells' planned work (engine.sweep_eta), not from
            # counting cells: the longest go first, so a count would mislead all along
            self.bar = self.bar_class(
                total=event.total,
                initial=event.skipped,
                desc="cells",
                unit="cell",
                file=sys.stderr,
                dynamic_ncols=True,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]",
            )
            if event.skipped:
                self.bar.write(
                    f"resuming: {event.skipped} of {event.total} cells already finished",
                    file=sys.stderr,
                )
        elif isinstance(event, ev.CellStarted) and self.bar is not None:
            self.label = shown(event.label)[:60]
            self._postfix()
        elif isinstance(event, ev.CellFinished) and self.bar is not None:
            self._postfix()
            self.bar.update(1)
            if event.status != "finished":
                self.bar.write(
                    shown(f"{event.label}: {event.status} {event.error}"), file=sys.stderr
                )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
