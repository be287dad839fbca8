"""How much a downstream run evaluates, planned from the data's sizes (no torch here: a
sweep's driver uses it to estimate its cells' times without importing torch)."""

from __future__ import annotations

EVAL_BUDGET = 0.2  # the largest share of a short run's work that its evaluations may take
EVAL_PAIR_COST = 0.3  # a dev pair's forward pass ÷ a training pair's forward and backward
# (measured: dev evaluation was 18% of a tiny-Transformer cell, 0.28)


def planned_eval_every(train_pairs: int, dev_pairs: int, steps_per_epoch: int, epochs: int) -> int:
    """Steps between a short run's mid-epoch dev evaluations (0: none), so that a run of
    one or two epochs still draws a dev curve: up to three per epoch, as many as keep all
    evaluating within EVAL_BUDGET of the run's work. Planned from the data's sizes, not
    measured on the clock, so a rerun evaluates at the same steps and restores the same
    best weights however busy the machine is."""
    if epochs > 2 or not dev_pairs or steps_per_epoch < 2:
        return 0

    def share(per_epoch: int) -> float:  # of the run's work, with this many per epoch
        evaluating = EVAL_PAIR_COST * dev_pairs * per_epoch
        return evaluating / (train_pairs + evaluating)

    per_epoch = 1  # the end-of-epoch evaluation always happens
    while per_epoch < 4 and share(per_epoch + 1) <= EVAL_BUDGET:
        per_epoch += 1
    return steps_per_epoch // per_epoch if per_epoch > 1 else 0


def training_work(
    train_pairs: int, dev_pairs: int, batch_size: int, epochs: int, eval_every: int = 0
) -> float:
    """A downstream run's work in training-pair passes: every epoch's pairs and its dev
    evaluations. The evaluations are a fixed cost, which is why a cell on 10% of the data
    takes about a fifth of a full one's time, not a tenth."""
    steps = -(-train_pairs // max(1, batch_size))
    every = eval_every or planned_eval_every(train_pairs, dev_pairs, steps, epochs)
    per_epoch = max(1, steps // every) if every else 1
    return epochs * (train_pairs + EVAL_PAIR_COST * dev_pairs * per_epoch)
