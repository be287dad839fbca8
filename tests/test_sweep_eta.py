"""A sweep's time estimate: each cell's planned work, at the pace measured so far."""

import pytest

from transfer_explorer.cli.progress import SweepProgress
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.sweep.estimate import SweepEta, format_duration
from transfer_explorer.engine.sweep.execute import cell_work, run_sweep
from transfer_explorer.engine.sweep.grid import Sweep
from transfer_explorer.engine.training.eval_plan import EVAL_PAIR_COST, training_work


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def started(work, workers=1):
    return ev.SweepStarted(1, "s", len(work), 0, "local", workers, tuple(work))


def finished(index, seconds=1.0, setup=0.0, status="finished"):
    return ev.CellFinished(
        1, index, f"k{index}", "label", index, status, 50.0, 40.0, seconds, False, "", setup
    )


def test_the_estimate_weighs_cells_by_their_work_not_their_count():
    clock = Clock()
    eta = SweepEta(clock)
    assert eta.remaining() is None  # nothing started
    eta.update(started([8.0, 1.0, 1.0], workers=2))
    eta.update(ev.CellStarted(1, 0, "k0", "long"))
    eta.update(ev.CellStarted(1, 1, "k1", "short"))
    clock.now += 5
    assert eta.remaining() is None  # nothing finished yet: no pace
    clock.now += 5
    eta.update(finished(1, seconds=10.0))  # one unit of work took 10 s
    # the long cell: 80 s, 10 of them run, so 70 s left; the last short one fits beside it
    # on the other worker. Counting cells would say 20 s.
    assert eta.remaining() == pytest.approx(70.0)
    eta.update(started([8.0, 1.0, 1.0, 1.0, 1.0, 8.0, 8.0], workers=2))
    eta.update(finished(1, seconds=10.0))
    assert eta.remaining() == pytest.approx((80 + 3 * 10 + 2 * 80) / 2)  # shared by two
    eta.update(started([8.0, 1.0, 1.0], workers=2))
    eta.update(ev.CellStarted(1, 0, "k0", "long"))
    eta.update(finished(1, seconds=10.0))
    eta.update(finished(0, seconds=80.0))
    eta.update(finished(2, status="failed"))  # a failed cell has no work left either
    assert eta.remaining() == 0


def test_the_last_long_cell_is_not_shared_among_idle_workers():
    clock = Clock()
    eta = SweepEta(clock)
    eta.update(started([1.0, 10.0], workers=2))
    eta.update(finished(0, seconds=10.0))
    assert eta.remaining() == pytest.approx(100.0)  # not 50: one worker trains it


def test_a_fixed_cost_per_cell_is_learned_from_cells_of_different_work():
    clock = Clock()
    eta = SweepEta(clock)
    eta.update(started([1.0, 3.0, 10.0]))
    eta.update(finished(0, seconds=5.0))
    eta.update(finished(1, seconds=9.0))
    assert eta.remaining() == pytest.approx(3.0 + 2.0 * 10)  # 3 s a cell + 2 s a unit


def test_upstream_seconds_are_not_the_downstream_pace():
    clock = Clock()
    eta = SweepEta(clock)
    eta.update(started([1.0, 1.0]))
    eta.update(finished(0, seconds=60.0, setup=50.0))  # it trained the upstream first
    assert eta.remaining() == pytest.approx(10.0)


def test_cells_finished_earlier_are_no_work_left():
    clock = Clock()
    eta = SweepEta(clock)
    eta.update(started([0.0, 0.0, 3.0, 1.0]))  # a resumed sweep: two cells done before
    eta.update(finished(3, seconds=30.0))
    assert eta.remaining() == pytest.approx(90.0)


def test_a_small_share_of_the_data_still_pays_for_its_evaluations():
    full = training_work(5749, 1500, 32, 5)
    tenth = training_work(575, 1500, 32, 5)
    assert full == 5 * (5749 + EVAL_PAIR_COST * 1500)
    assert 0.1 < tenth / full < 0.25  # measured on stsb-cpu: 28.5 s against 155.6 s, 0.18
    # a short run evaluates within the epoch too, and that is work
    assert training_work(5749, 500, 32, 1) == 5749 + EVAL_PAIR_COST * 500 * 4


def test_each_cell_of_a_sweep_gets_its_planned_work(db):
    sweep = Sweep.from_dict(
        {
            "name": "eta",
            "arms": ["none/scratch", "none/feature"],
            "train_fractions": [0.5, 1.0],
            "seeds": [0],
            "base": {"upstream": {"data": "demo"}, "training": {"epochs": 1}},
        }
    )
    events = []
    run_sweep(sweep, db=db, emit=events.append)
    first = next(e for e in events if isinstance(e, ev.SweepStarted))
    cells = sweep.cells()
    work = dict(zip(((c.arm, c.fraction) for c in cells), first.work))
    assert len(first.work) == 4 and all(w > 0 for w in first.work)
    done = [e for e in events if isinstance(e, ev.CellFinished)]
    assert all(0 < e.setup_seconds < e.seconds for e in done)  # a tokenizer at least
    assert work["none/scratch", 0.5] < work["none/scratch", 1.0]
    assert work["none/feature", 1.0] == pytest.approx(0.2 * work["none/scratch", 1.0])
    again = []
    run_sweep(sweep, db=db, emit=again.append)  # all finished: nothing left to estimate
    assert next(e for e in again if isinstance(e, ev.SweepStarted)).work == (0.0,) * 4
    assert cell_work  # the same function the driver used


def test_the_terminal_bar_says_the_time_left():
    class Bar:
        def __init__(self, **kwargs):
            self.kwargs, self.postfix, self.n = kwargs, "", kwargs.get("initial", 0)

        def set_postfix_str(self, text, refresh=True):
            self.postfix = text

        def update(self, n):
            self.n += n

        def write(self, *args, **kwargs):
            pass

        def close(self):
            pass

    progress = SweepProgress(bar=Bar)
    progress(started([1.0, 1.0]))
    assert "remaining" not in progress.bar.kwargs["bar_format"]  # no count-based guess
    progress(ev.CellStarted(1, 0, "k0", "none/scratch demo 50%"))
    assert progress.bar.postfix == "none/scratch demo 50%"
    progress(finished(0, seconds=60.0))
    assert progress.bar.postfix.startswith("about 1 min left")
    progress(finished(1))
    assert "left" not in progress.bar.postfix  # all done: no "a few seconds left" at 100%


@pytest.mark.parametrize(
    "seconds, text",
    [
        (4, "a few seconds"),
        (44, "about 40 s"),
        (61, "about 1 min"),
        (725, "about 12 min"),
        (3900, "about 1 h 05 min"),
    ],
)
def test_durations_read_as_estimates(seconds, text):
    assert format_duration(seconds) == text
