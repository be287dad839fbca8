"""Progress for a terminal or a notebook: one tqdm bar per stage, fed by engine events."""

from __future__ import annotations

import sys

from tqdm import tqdm

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.labels import metric_word, shown, split_word, stage_word
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
            stage = stage_word(event.stage)
            label = _("{stage} (cached)").format(stage=stage) if event.cached else stage
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
            text = ", ".join(f"{metric_word(k)} {v:.1f}" for k, v in main.items())
            line = (
                _("{stage} final {split}: {metrics}")
                if event.final
                else _("{stage} {when} {split}: {metrics}")
            )
            self._write(
                line.format(
                    stage=stage_word(event.stage),
                    when=None if event.final else self._when(event),
                    split=split_word(event.split),
                    metrics=text,
                )
            )
        elif isinstance(event, ev.Log):
            self._write(f"[{event.level}] {event.message}")
        elif isinstance(event, ev.StageFinished):
            self._close_bar()
        elif isinstance(event, ev.RunFailed):
            self._close_bar()

    def _when(self, event: ev.Eval) -> str:
        """'epoch 0.25 (step 14)': a one-epoch run's evaluations are told apart."""
        if not self.steps_per_epoch:
            return _("epoch {epoch}").format(epoch=event.epoch)
        return _("epoch {epoch:.2f} (step {step})").format(
            epoch=event.step / self.steps_per_epoch, step=event.step
        )

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
                filter(
                    None,
                    (
                        _("{time} left").format(time=format_duration(left)) if left else "",
                        self.label,
                    ),
                )
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
                desc=_("cells"),
                unit="cell",
                file=sys.stderr,
                dynamic_ncols=True,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]",
            )
            if event.skipped:
                self.bar.write(
                    _("resuming: {skipped} of {total} cells already finished").format(
                        skipped=event.skipped, total=event.total
                    ),
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
