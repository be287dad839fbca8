"""The speed-ups that keep the random streams change no number beyond float rounding: runs with
them (TRANSFER_EXPLORER_SPEED=exact) are bit-identical to the earlier path (=baseline), the
fused step agrees with the per-op one to rounding (the cheap dropout masks, which change the
streams, are tests/test_fast_layers.py's and bench/sweep_speed.py's), the final dev figure is
training's own best evaluation, and the sweep scheduler never starts a cell before the
upstream it needs is trained."""

import copy

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from tests.conftest import tiny_config
from transfer_explorer.engine import run, speed
from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.experiment.downstream import DownstreamStage
from transfer_explorer.engine.speed import SPEED_ENV
from transfer_explorer.engine.sweep.execute import _dispatch, schedule, upstream_need
from transfer_explorer.engine.sweep.grid import Sweep
from transfer_explorer.engine.training.train import adamw


def weights(result) -> dict:
    return load_file(f"{result.artifacts}/model.safetensors")


@pytest.mark.parametrize(
    "changes",
    [
        {},  # none / scratch
        {"upstream__task": "sentiment", "method": "finetune"},  # the upstream's optimizer too
    ],
)
def test_the_speed_ups_give_bit_identical_runs(db, tmp_path, monkeypatch, changes):
    config = tiny_config(training__epochs=3, **changes)
    monkeypatch.setenv(SPEED_ENV, "baseline")
    before = run(config, db=db, cache=tmp_path / "cache-before")
    monkeypatch.setenv(SPEED_ENV, "exact")
    after = run(config, db=db, cache=tmp_path / "cache-after")
    assert before.status == after.status == "finished"
    assert after.metrics["dev"] == before.metrics["dev"]
    assert after.metrics["test"] == before.metrics["test"]
    if "upstream" in before.metrics and before.metrics["upstream"]:
        assert after.metrics["upstream"] == before.metrics["upstream"]
    old, new = weights(before), weights(after)
    assert old.keys() == new.keys()
    assert all(np.array_equal(old[k].numpy(), new[k].numpy()) for k in old)


def test_the_final_dev_figure_is_not_computed_again(db, monkeypatch):
    calls = []
    evaluate = DownstreamStage.evaluate

    def counted(self, name):
        calls.append(name)
        return evaluate(self, name)

    monkeypatch.setattr(DownstreamStage, "evaluate", counted)
    monkeypatch.setenv(SPEED_ENV, "exact")
    result = run(tiny_config(training__epochs=3), db=db)
    assert calls == ["dev", "dev", "dev", "test"]  # one per epoch, then test only
    monkeypatch.setenv(SPEED_ENV, "baseline")
    calls.clear()
    again = run(tiny_config(training__epochs=3), db=db)
    assert calls == ["dev", "dev", "dev", "dev", "test"]
    assert again.metrics["dev"] == result.metrics["dev"]


def test_the_fused_adamw_step_agrees_with_the_per_op_step(monkeypatch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Embedding(500, 16), torch.nn.Flatten(), torch.nn.Linear(16 * 4, 1)
    )
    twin = copy.deepcopy(model)
    fused = adamw(model.parameters(), lr=1e-2)
    monkeypatch.setenv(SPEED_ENV, "exact")
    per_op = adamw(twin.parameters(), lr=1e-2)
    assert fused.defaults["fused"] and not per_op.defaults["fused"]
    for _ in range(20):
        ids = torch.randint(0, 500, (8, 4))
        for m, opt in ((model, fused), (twin, per_op)):
            opt.zero_grad()
            m(ids).square().mean().backward()
            opt.step()
    for a, b in zip(model.parameters(), twin.parameters()):
        assert not torch.equal(a, torch.zeros_like(a))
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_a_run_with_the_fused_step_ends_where_the_per_op_run_ends(db, monkeypatch):
    monkeypatch.setattr(speed, "fast_layers", lambda: False)  # the same random streams
    fused = run(tiny_config(training__epochs=3), db=db)
    monkeypatch.setenv(SPEED_ENV, "exact")
    per_op = run(tiny_config(training__epochs=3), db=db)
    for split in ("dev", "test"):
        for name, value in per_op.metrics[split].items():
            assert fused.metrics[split][name] == pytest.approx(value, abs=0.05), (split, name)


def cells():
    plan = Sweep.from_dict(
        {
            "name": "s",
            "arms": ["none/scratch", "sentiment/finetune", "mlm/finetune", "none/feature"],
            "train_fractions": [0.1, 1.0],
            "seeds": [0, 1],
            "base": {"upstream": {"data": "demo"}},
        }
    )
    return plan.cells()


def test_schedule_puts_one_upstream_trainer_first_then_the_longest_cells():
    order = schedule(cells())
    needs = [upstream_need(c) for c in order]
    distinct = {n for n in needs if n is not None}
    assert len(distinct) == 2
    assert set(needs[:2]) == distinct  # the two trainers lead
    rest = order[2:]
    costs = [c.fraction * (0.2 if c.config.method == "feature" else 1) for c in rest]
    assert costs == sorted(costs, reverse=True)


class FakeState:
    def __init__(self):
        self.started_cells, self.recorded = [], []

    def claim(self, cell):
        return True

    def started(self, cell):
        self.started_cells.append(cell)

    def record(self, cell, result, linked=False):
        self.recorded.append(cell)


def test_dispatch_waits_for_the_upstream_and_fills_workers_meanwhile():
    """Two workers; each submitted cell finishes one 'tick' later, in submission order."""
    all_cells = cells()
    state, in_flight, log, trained = FakeState(), [], [], set()

    def submit(cell):
        need = upstream_need(cell)
        being_trained = {upstream_need(c) for c in in_flight} - trained
        log.append((cell, need is not None and need in being_trained))
        in_flight.append(cell)
        return cell

    def ready(handles):
        done = in_flight.pop(0)
        trained.add(upstream_need(done))
        return [done]

    _dispatch(all_cells, 2, state, RunControl(), submit, ready, lambda h: {}, lambda p: None)
    assert len(state.recorded) == len(all_cells)
    assert not any(twice for _, twice in log)  # never beside the cell training it
    # while the first trainer runs, the second worker is busy too (no idle wave barrier)
    assert len(log) == len(all_cells) and upstream_need(log[1][0]) is not None


def test_a_free_worker_takes_a_cell_without_an_upstream_while_upstreams_train():
    """Three workers, two upstream trainers that take long: the third worker does not wait
    for them (the wave-by-wave dispatch left it idle)."""
    all_cells = cells()
    state, clock, busy, started_at = FakeState(), [0], {}, {}

    def submit(cell):
        started_at[cell] = clock[0]
        long = upstream_need(cell) is not None and not any(
            upstream_need(c) == upstream_need(cell) for c in state.recorded
        )
        busy[cell] = clock[0] + (10 if long else 1)
        return cell

    def ready(handles):
        clock[0] = min(busy[h] for h in handles)
        return [h for h in handles if busy[h] == clock[0]][:1]

    _dispatch(all_cells, 3, state, RunControl(), submit, ready, lambda h: {}, lambda p: None)
    at_start = [c for c, t in started_at.items() if t == 0]
    assert len(at_start) == 3  # every worker busy from the first moment
    assert sum(upstream_need(c) is None for c in at_start) == 1
    # cells without an upstream (8 of them) all ran while the upstreams trained
    assert all(started_at[c] < 10 for c in all_cells if upstream_need(c) is None)
