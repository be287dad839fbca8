"""Run one experiment end to end: data → tokenizer → upstream → transfer → downstream → store.

Everything that can be refused (settings, data) is checked before the run is written to
the store, so bad input leaves nothing behind. Once the run exists, whatever ends it —
finishing, a stop, an error — is recorded with what was logged so far.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.control import (
    RunCancelled,
    RunControl,
    active,
    reporting,
    uninterrupted,
)
from transfer_explorer.engine.disk.paths import cache_dir as default_cache_dir
from transfer_explorer.engine.disk.paths import check_store_places, default_db, runs_dir
from transfer_explorer.engine.experiment.checks import Experiment, check, load_data
from transfer_explorer.engine.experiment.downstream import DownstreamStage
from transfer_explorer.engine.experiment.transfer import autocast_dtype, build_pair_model
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.labels import metric_word, run_columns, split_word
from transfer_explorer.engine.metrics import main_metric
from transfer_explorer.engine.saved.artifacts import save_run_model
from transfer_explorer.engine.store.database import Store, StoreError, describe_db_error
from transfer_explorer.engine.store.recorder import Recorder
from transfer_explorer.engine.training.context import StageContext, seed_everything
from transfer_explorer.engine.training.threads import governed
from transfer_explorer.engine.upstream import PreparedData, UpstreamRun


@dataclass
class RunResult:
    run_id: int
    status: str  # finished | stopped | failed
    config: dict
    metrics: dict = field(default_factory=dict)  # {"dev": {...}, "test": {...}, "upstream": {...}}
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    upstream_cached: bool = False
    device: str = "cpu"
    artifacts: str = ""
    error: str = ""

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "config": self.config,
            "metrics": self.metrics,
            "seconds": round(self.seconds, 3),
            "timings": self.timings,
            "upstream_cached": self.upstream_cached,
            "device": self.device,
            "artifacts": self.artifacts,
            "error": self.error,
        }


def run_experiment(
    experiment: Experiment | ExperimentConfig,
    emit: Callable | None = None,
    control: RunControl | None = None,
    db: str | Path | None = None,
    cache: str | Path | None = None,
    data: PreparedData | None = None,
) -> RunResult:
    """Run one experiment. ``experiment`` is what :func:`engine.experiment.check` returned
    (plain settings are checked here); ``data``, when given, is what ``load_data`` read."""
    if not isinstance(experiment, Experiment):
        experiment = check(experiment)
    config = experiment.config
    if emit is None:
        emit = _ignore
    if control is None:
        control = RunControl()
    if config.threads:
        torch.set_num_threads(config.threads)
    # long steps deep in helpers (reading, tokenizing, encoding) obey this run's stop too;
    # without --threads, training gives a core back while another program keeps it busy
    with active(control), governed(0 if config.threads else torch.get_num_threads()):
        return _run(experiment, emit, control, db, cache, data)


def _run(
    experiment: Experiment,
    emit: Callable,
    control: RunControl,
    db,
    cache,
    data: PreparedData | None,
) -> RunResult:
    config, device, task = experiment.config, experiment.device, experiment.task
    stopped_early = None
    db_path = Path(db) if db else default_db()
    cache_path = Path(cache) if cache else default_cache_dir(db_path)
    check_store_places(db_path, cache_path)  # a file in the way: one line now, not after training
    try:
        data = data or load_data(experiment, emit)
        preloaded = task.preload(config)  # e.g. a checkpoint: refused before the run exists
    except RunCancelled as exc:  # stopped while reading: recorded as stopped, like any stop
        stopped_early, preloaded = exc, None

    store = Store(db_path)  # opened in the thread that runs the experiment
    try:
        store.mark_interrupted()  # runs of processes that died are labelled, not left "running"
        config_dict = config.to_dict()
        run_id = store.create_run(config_dict, str(device), config.name, run_columns(config))
        artifacts = runs_dir(db_path) / str(run_id)
        store.update_run(run_id, artifacts=str(artifacts))
    except sqlite3.Error as exc:  # nothing recorded yet: a one-line refusal
        store.close()
        raise StoreError(f"{db_path}: {describe_db_error(exc) or exc}") from None
    recorder = Recorder(store, run_id)

    def out(event: ev.Event) -> None:
        recorder(event)
        emit(event)

    result = RunResult(run_id, "failed", config_dict, device=str(device), artifacts=str(artifacts))
    started = time.perf_counter()
    ctx = StageContext(out, control, device, cache_path, config.threads)
    try:
        out(ev.RunStarted(run_id, config_dict, str(device), str(artifacts)))
        if stopped_early is not None:
            raise RunCancelled(_("{reason} while the data was read").format(reason=stopped_early))
        assert data is not None  # read above: only a stop while reading leaves it unread
        out(ev.Log(_("{settings} on {device}").format(settings=config.describe(), device=device)))
        sizes = ", ".join(
            f"{split_word(name)} {len(split):,}" for name, split in data.downstream.splits.items()
        )
        out(ev.Log(_("{dataset}: {sizes} pairs").format(dataset=data.downstream.name, sizes=sizes)))
        for note in data.downstream.notes + (data.corpus.notes if data.corpus else []):
            out(ev.Log(note))
        # notes of helpers deep in the stages (text cut for the tokenizer) reach the log
        with reporting(lambda message: out(ev.Log(message))):
            _run_stages(UpstreamRun(config, data, ctx, store, preloaded), result, artifacts)
        result.status = "finished"
    except (RunCancelled, KeyboardInterrupt) as exc:
        # a second Ctrl-C while the end is written waits for it (engine.signals)
        with uninterrupted():
            recorder.ending = True  # from here on a refused write is kept, never raised
            result.status = "stopped"
            result.error = str(exc) or _("stopped")
            try:
                out(ev.Log(_("run stopped by the user; what was logged so far is kept"), "warning"))
                _close(recorder, result, started, out)
            finally:
                store.close()  # lets go of the run's lock once its end is written
        if isinstance(exc, KeyboardInterrupt):
            raise
        return result
    except Exception as exc:
        with uninterrupted():
            recorder.ending = True
            result.status = "failed"
            result.error = _describe(exc)
            detail = traceback.format_exc()
            try:
                out(ev.RunFailed(run_id, result.error, detail))
            finally:
                unwritten = recorder.close(
                    "failed",
                    error=result.error,
                    traceback=detail,
                    seconds=time.perf_counter() - started,
                )
                store.close()
            if isinstance(exc, StoreError) and unwritten:
                result.error = unwritten  # why, and where its records wait
            elif unwritten:
                result.error = _("{error} (and it could not be recorded: {reason})").format(
                    error=result.error, reason=unwritten
                )
            result.seconds = time.perf_counter() - started
        return result
    with uninterrupted():
        try:
            _close(recorder, result, started, out)
        finally:
            store.close()
    return result


def _ignore(event: ev.Event) -> None:
    pass


def _close(recorder: Recorder, result: RunResult, started: float, out) -> None:
    result.seconds = time.perf_counter() - started
    dev = result.metrics.get("dev", {})
    test = result.metrics.get("test", {})
    name = result.metrics.get("metric_name", "")
    try:
        out(ev.RunFinished(result.run_id, result.status, result.metrics, result.seconds))
    finally:  # whatever a listener does, the run's end is recorded
        unwritten = recorder.close(
            result.status,
            seconds=result.seconds,
            metrics=result.metrics,
            metric_name=name,
            dev_metric=dev.get(name),
            test_metric=test.get(name),
            upstream_cached=int(result.upstream_cached),
            error=result.error or None,
        )
    if unwritten:  # trained, but the database refused the result: say so and where it is
        result.error = _("the result could not be recorded: {reason}").format(reason=unwritten)


def _run_stages(run: UpstreamRun, result: RunResult, artifacts: Path) -> None:
    config, ctx, task = run.config, run.ctx, run.config.upstream.kind
    downstream = run.data.downstream
    regression = downstream.task == "regression"
    head = config.head(regression)

    # 1. Text → ids, and the encoder's shape (a checkpoint brings both).
    t0 = time.perf_counter()
    task.encode_text(run)
    result.timings["tokenizer_s"] = round(time.perf_counter() - t0, 3)

    # 2. Upstream: trained (or read from the cache), loaded, or nothing for the control.
    t0 = time.perf_counter()
    upstream = task.prepare(run)
    result.upstream_cached = upstream.cached
    result.metrics["upstream"] = upstream.metrics
    result.timings["upstream_s"] = round(time.perf_counter() - t0, 3)
    # what training this upstream took (now, or when it was cached): a cache hit saved it
    result.timings["upstream_trained_s"] = round(upstream.seconds, 3)
    if upstream.key:
        run.store.update_run(
            result.run_id, upstream_key=upstream.key, upstream_cached=int(upstream.cached)
        )
    if task.trains and config.method != "scratch":
        ctx.emit(
            ev.Log(
                (
                    _("upstream {task}: read from the cache (its training took {seconds:.0f} s)")
                    if upstream.cached
                    else _("upstream {task}: trained in {seconds:.0f} s, now cached")
                ).format(task=task.name, seconds=upstream.seconds)
            )
        )

    # 3. Transfer + downstream training with the run's seed.
    seed_everything(config.seed)
    downstream = _train_subset(downstream, config, ctx)
    model = build_pair_model(
        config.method,
        run.spec,
        upstream,
        regression,
        1 if regression else downstream.num_labels,
        head,
    )
    stage = DownstreamStage(
        model,
        downstream,
        run.codec,
        config,
        ctx,
        run.max_length,
        task.feature_cache_key(config),
        autocast_dtype(config, ctx.device),
    )
    t0 = time.perf_counter()
    fitted = stage.run()
    final = stage.final_evaluations(fitted.best_step, fitted.best_epoch, fitted.best)
    seconds = time.perf_counter() - t0
    result.timings["downstream_s"] = round(seconds, 3)
    name = main_metric(downstream.task)
    result.metrics.update(final)
    result.metrics.update(
        metric_name=name,
        best_epoch=fitted.best_epoch,
        best_step=fitted.best_step,
        steps=fitted.steps,
        stopped_early=fitted.stopped_early,
        head=head,
        train_pairs=len(downstream.splits["train"]),
    )
    if stage.threshold is not None:
        result.metrics["cosine_threshold"] = stage.threshold
    if fitted.seconds:
        result.metrics["eval_share"] = round(fitted.eval_seconds / fitted.seconds, 3)
        ctx.emit(
            ev.Log(
                _("evaluating dev took {seconds:.1f} s, {share:.0%} of the training time").format(
                    seconds=fitted.eval_seconds, share=fitted.eval_seconds / fitted.seconds
                )
            )
        )
    scores = ", ".join(f"{split_word(split)} {values[name]:.1f}" for split, values in final.items())
    ctx.emit(
        ev.Log(
            _("best dev at epoch {epoch} (step {step} of {steps}); {metric} ×100: {scores}").format(
                epoch=fitted.best_epoch,
                step=fitted.best_step,
                steps=fitted.steps,
                metric=metric_word(name),
                scores=scores,
            )
            if fitted.steps
            else _("no training ({method}); {metric} ×100: {scores}").format(
                method=config.method, metric=metric_word(name), scores=scores
            )
        )
    )
    ctx.emit(
        ev.StageFinished("downstream", {k: v.get(name) for k, v in final.items()}, seconds=seconds)
    )
    save_run_model(
        artifacts,
        model,
        run.codec,
        run.spec,
        downstream,
        config,
        {
            "best_step": fitted.best_step,
            "best_epoch": fitted.best_epoch,
            "upstream_key": upstream.key,
            "dev": final.get("dev", {}),
            "cosine_threshold": stage.threshold,
        },
    )


def _train_subset(downstream, config: ExperimentConfig, ctx: StageContext):
    """A seeded share of the training pairs; a copy, so the caller's dataset stays whole
    (sweeps reuse it across fractions)."""
    fraction = config.downstream.train_fraction
    if fraction >= 1:
        return downstream
    train = downstream.splits["train"]
    n = config.downstream.train_pairs(len(train))
    keep = np.sort(np.random.default_rng(config.seed).choice(len(train), n, replace=False))
    ctx.emit(
        ev.Log(
            _("training on {n} of {total} pairs ({share:.0%})").format(
                n=n, total=len(train), share=fraction
            )
        )
    )
    return dataclasses.replace(
        downstream, splits={**downstream.splits, "train": train.subset(keep)}
    )


def _describe(exc: Exception) -> str:
    reason = describe_db_error(exc)  # a locked database, a full disk
    if reason is not None:
        return reason
    text = str(exc).strip()
    if isinstance(exc, torch.cuda.OutOfMemoryError) or "out of memory" in text.lower():
        return _(
            "out of memory on the device; try a smaller batch size, a smaller model, or the CPU"
        )
    return text.splitlines()[0] if text else type(exc).__name__
