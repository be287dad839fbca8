"""One training loop for every stage (upstream, downstream, head-only).

The loop knows nothing about tasks: it gets batches, a loss function and an evaluation
callback. Between steps it checks ``control`` (pause/stop) and every ``log_every`` steps it
syncs once (``.item()``) to emit a Step event.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import torch
from torch import nn

from transfer_explorer.engine import speed
from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.events import Eval, Prediction, StageStarted, Step
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.training import threads
from transfer_explorer.engine.training.best_weights import BestWeights
from transfer_explorer.engine.training.memory import release_freed_memory, reuse_freed_memory


class BatchSource(Protocol):
    def __len__(self) -> int: ...
    def epoch(self, epoch: int) -> Iterable: ...


@dataclass
class Evaluation:
    metrics: dict[str, float]
    score: float  # the metric to maximise
    predictions: tuple[Prediction, ...] = ()


@dataclass
class FitSettings:
    epochs: int
    log_every: int = 10
    eval_every: int = 0  # steps; 0 = only at the end of each epoch
    patience: int = 0  # evaluations without improvement before stopping; 0 = never
    grad_clip: float = 1.0
    warmup_steps: int = 0
    linear_decay: bool = False  # after warmup, decay the rate linearly to 0 (fine-tuning)
    spill_dir: Path | None = None  # where a large model's best weights wait (engine.best_weights)


def adamw(params, lr: float, weight_decay: float = 0.01) -> torch.optim.AdamW:
    """AdamW with the fused kernel (one pass over each tensor instead of ~10 element-wise
    ops: an embedding matrix of 30k rows made the step ~30% of a MiniLM fine-tune on CPU).
    Its numbers differ from the per-op step in the last bits only; the per-op step is kept
    for devices without the kernel and for TRANSFER_EXPLORER_SPEED=baseline or exact."""
    if speed.fused_optimizer():
        try:
            return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay, fused=True)
        except RuntimeError:  # the kernel does not support this device or dtype
            pass
    return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)


def autocast(device: torch.device, dtype: torch.dtype | None):
    """Mixed precision for a forward pass when ``dtype`` is set; a no-op context otherwise."""
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=dtype)


def lr_factor(step: int, total: int, settings: FitSettings) -> float:
    if settings.warmup_steps and step < settings.warmup_steps:
        return (step + 1) / settings.warmup_steps
    if settings.linear_decay:
        return max(0.0, (total - step) / max(1, total - settings.warmup_steps))
    return 1.0


@dataclass
class FitResult:
    steps: int = 0
    epochs: int = 0
    best: Evaluation | None = None
    best_step: int = 0
    best_epoch: int = 0
    stopped_early: bool = False
    seconds: float = 0.0
    eval_seconds: float = 0.0  # of ``seconds``, spent evaluating
    history: list[tuple[int, float]] = field(default_factory=list)  # (step, dev score)


class TrainingDiverged(UserError):
    """The loss became NaN or infinite."""


def fit(
    stage: str,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    batches: BatchSource,
    loss_fn: Callable[[nn.Module, object], torch.Tensor],
    evaluate: Callable[[], Evaluation] | None,
    settings: FitSettings,
    emit: Callable,
    control: RunControl,
    device: torch.device,
    autocast_dtype: torch.dtype | None = None,
) -> FitResult:
    """Train ``model``; keep (and finally restore) the weights of the best dev evaluation."""
    if not speed.baseline():
        reuse_freed_memory()  # a step's tensors of a few MB are not page-faulted in afresh
    steps_per_epoch = len(batches)
    total = steps_per_epoch * settings.epochs
    emit(StageStarted(stage, total, settings.epochs))
    scheduler = (
        torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: lr_factor(s, total, settings))
        if settings.warmup_steps or settings.linear_decay
        else None
    )
    # fp16 gradients underflow without loss scaling; bf16 has fp32's range and needs none
    scaler = torch.amp.GradScaler(device.type) if autocast_dtype == torch.float16 else None
    trainable = [p for p in model.parameters() if p.requires_grad]
    result = FitResult()
    best_weights = BestWeights(model, settings.spill_dir)
    bad_evals = 0
    started = time.perf_counter()

    def run_eval(epoch: int) -> bool:
        """Evaluate on dev; return True when training should stop early."""
        nonlocal bad_evals
        if evaluate is None:
            return False
        t0 = time.perf_counter()
        evaluation = evaluate()
        result.eval_seconds += time.perf_counter() - t0
        release_freed_memory()  # an evaluation's large batches leave the heap scattered
        model.train()
        result.history.append((result.steps, evaluation.score))
        emit(Eval(stage, result.steps, epoch, "dev", evaluation.metrics, evaluation.predictions))
        if result.best is None or evaluation.score > result.best.score:
            result.best, result.best_step, result.best_epoch = evaluation, result.steps, epoch
            best_weights.keep()
            bad_evals = 0
        else:
            bad_evals += 1
        return bool(settings.patience) and bad_evals >= settings.patience

    running_loss = torch.zeros((), device=device)
    logged_steps, logged_examples, log_time = 0, 0, time.perf_counter()
    evaluated_by_log = 0.0  # evaluation seconds up to the last log: not training speed
    try:
        for epoch in range(1, settings.epochs + 1):
            model.train()
            for batch in batches.epoch(epoch):
                control.checkpoint()  # pause / stop take effect here, between steps
                threads.adjust()  # one thread fewer per core another program keeps busy
                best_weights.before_step()  # the best is copied only if training goes on
                batch = batch.to(device)
                with autocast(device, autocast_dtype):
                    loss = loss_fn(model, batch)
                if scaler is None:
                    loss.backward()
                    if settings.grad_clip:
                        nn.utils.clip_grad_norm_(trainable, settings.grad_clip)
                    optimizer.step()
                else:
                    scaler.scale(loss).backward()
                    scaler.unscale_(optimizer)
                    if settings.grad_clip:
                        nn.utils.clip_grad_norm_(trainable, settings.grad_clip)
                    scaler.step(optimizer)
                    scaler.update()
                # gradients freed now, not after the next forward: a MiniLM's 90 MB of them
                # would otherwise sit beside that forward's activations at the step's peak
                optimizer.zero_grad(set_to_none=True)
                if scheduler is not None:
                    scheduler.step()
                result.steps += 1
                running_loss += loss.detach()
                logged_steps += 1
                logged_examples += batch.size
                # the first step is logged too, so a curve appears as soon as training starts
                if result.steps % settings.log_every == 0 or result.steps in (1, total):
                    mean_loss = (running_loss / logged_steps).item()  # the only sync per log
                    if not math.isfinite(mean_loss):
                        raise TrainingDiverged(
                            _(
                                "{stage}: the loss became {loss} at step {step}; "
                                "try a lower learning rate"
                            ).format(stage=stage, loss=mean_loss, step=result.steps)
                        )
                    now = time.perf_counter()
                    memory = (
                        torch.cuda.max_memory_allocated(device) / 2**20
                        if device.type == "cuda"
                        else 0.0
                    )
                    training_s = now - log_time - (result.eval_seconds - evaluated_by_log)
                    emit(
                        Step(
                            stage,
                            result.steps,
                            total,
                            epoch,
                            mean_loss,
                            optimizer.param_groups[0]["lr"],
                            logged_examples / max(training_s, 1e-9),
                            memory,
                        )
                    )
                    running_loss.zero_()
                    logged_steps, logged_examples, log_time = 0, 0, now
                    evaluated_by_log = result.eval_seconds
                # a mid-epoch evaluation, unless the end-of-epoch one is about to come anyway
                left_in_epoch = epoch * steps_per_epoch - result.steps
                if (
                    settings.eval_every
                    and result.steps % settings.eval_every == 0
                    and left_in_epoch >= settings.eval_every / 2
                ):
                    if run_eval(epoch):
                        result.stopped_early = True
                        break
            result.epochs = epoch
            if result.stopped_early or run_eval(epoch):
                result.stopped_early = True
                break
        best_weights.restore()
    finally:  # a stopped or failed run lets its copy go at once, file and all
        best_weights.close()
    result.seconds = time.perf_counter() - started
    return result
