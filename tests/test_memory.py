"""What keeps a run's memory down: evaluation batches of long texts are cut to a token budget
(training batches are not), a new best keeps one copy of the weights, and freed heap pages go
back to the OS between phases."""

import os

import numpy as np
import torch

from tests.conftest import tiny_config
from transfer_explorer.engine import run
from transfer_explorer.engine.batching import PairBatches, bucketed
from transfer_explorer.engine.experiment.downstream import (
    EVAL_BATCH,
    EVAL_TOKEN_VALUES,
    DownstreamStage,
)
from transfer_explorer.engine.training import best_weights
from transfer_explorer.engine.training.best_weights import BestWeights
from transfer_explorer.engine.training.memory import release_freed_memory


def test_evaluation_batches_keep_to_the_token_budget_and_cover_every_text_once():
    lengths = np.random.default_rng(0).integers(1, 120, size=1000)
    batches = bucketed(lengths, 128, None, max_tokens=4096)
    seen = np.concatenate(batches)
    assert sorted(seen.tolist()) == list(range(1000))
    assert all(len(b) * lengths[b].max() <= 4096 for b in batches)
    assert all(len(b) <= 128 for b in batches)
    assert len(batches[0]) == 128  # short texts still fill a batch
    # long ones come in fewer, each batch as full as the budget allows
    for batch, following in zip(batches, batches[1:]):
        assert len(batch) == 128 or (len(batch) + 1) * lengths[following[0]] > 4096
    assert len(batches[-2]) < 64
    # without a budget the batching is what it was: fixed size, sorted by length
    plain = bucketed(lengths, 128, None)
    assert [len(b) for b in plain] == [128] * 7 + [1000 - 7 * 128]
    assert np.array_equal(np.concatenate(plain), np.argsort(lengths, kind="stable"))


def test_one_text_longer_than_the_budget_is_a_batch_of_its_own():
    assert [b.tolist() for b in bucketed(np.array([3, 500]), 8, None, max_tokens=100)] == [[0], [1]]


def test_training_batches_ignore_the_budget_and_lengths_count_the_batches():
    ids = [np.arange(1, n + 1) for n in (5, 60, 60, 60, 7)]
    targets = np.zeros(5, np.float32)
    evaluation = PairBatches(ids, ids, targets, 4, shuffle=False, max_tokens=120)
    assert len(evaluation) == len(list(evaluation.epoch())) == 3  # [5, 7], [60, 60], [60]
    training = PairBatches(ids, ids, targets, 4, shuffle=True, max_tokens=120)
    assert [b.size for b in training.epoch(1)] in ([4, 1], [1, 4])


def test_a_wide_encoder_gets_smaller_evaluation_batches():
    # the budget counts token × width values: 128 sentences of 128 tokens at width 128
    assert EVAL_TOKEN_VALUES // 128 == EVAL_BATCH * 128
    assert EVAL_TOKEN_VALUES // 384 < EVAL_BATCH * 64  # MiniLM: long dev batches are split


def test_a_new_best_is_copied_into_the_previous_one_in_memory():
    model = torch.nn.Linear(3, 2)
    best = BestWeights(model, spill_dir=None)
    best.keep()
    best.before_step()
    buffers = {name: t.data_ptr() for name, t in best._memory.items()}
    with torch.no_grad():
        model.weight.add_(1.0)
    best.keep()  # a new best
    best.before_step()
    assert {n: t.data_ptr() for n, t in best._memory.items()} == buffers  # no second copy
    kept = model.weight.detach().clone()
    with torch.no_grad():
        model.weight.add_(1.0)  # the copy is a copy, not a view
    assert best.restore() and torch.equal(model.weight, kept) and not best.on_disk
    best.close()


def test_a_large_models_best_waits_on_disk_in_a_file_nobody_has_to_delete(tmp_path, monkeypatch):
    monkeypatch.setattr(best_weights, "IN_MEMORY_MAX_BYTES", 16)  # "large": over 16 bytes
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    model[0].bias.requires_grad_(False)  # frozen weights are not kept at all
    best = BestWeights(model, spill_dir=tmp_path / "spill")
    assert not best.restore()  # nothing kept yet
    best.keep()
    best.before_step()
    with torch.no_grad():
        model[0].weight.add_(1.0)
        model[1].running_mean.add_(2.0)
    best.keep()  # a new best replaces the file's contents
    best.before_step()
    kept = {name: t.clone() for name, t in model.state_dict().items()}
    with torch.no_grad():
        model[0].weight.mul_(-3.0)
        model[0].bias.add_(5.0)
        model[1].running_mean.zero_()
    assert best.on_disk and best._memory is None
    assert best.restore()
    assert torch.equal(model[0].weight, kept["0.weight"])
    assert torch.equal(model[1].running_mean, kept["1.running_mean"])
    assert torch.equal(model[0].bias, kept["0.bias"] + 5.0)  # frozen: untouched
    if os.name == "posix":  # the file was unlinked as it was made
        assert list((tmp_path / "spill").iterdir()) == []
    best.close()
    assert not best.on_disk


def test_a_best_that_training_does_not_go_past_is_never_copied(tmp_path, monkeypatch):
    monkeypatch.setattr(best_weights, "IN_MEMORY_MAX_BYTES", 0)
    model = torch.nn.Linear(3, 2)
    best = BestWeights(model, spill_dir=tmp_path)
    best.keep()  # the last evaluation was the best: the model holds it
    assert best.restore() and best._memory is None and not best.on_disk
    best.keep()
    best.before_step()  # training goes on after it: now it is copied
    assert best.on_disk


def test_an_unwritable_spill_folder_keeps_the_best_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(best_weights, "IN_MEMORY_MAX_BYTES", 0)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    model = torch.nn.Linear(3, 2)
    best = BestWeights(model, spill_dir=blocker / "spill")  # cannot be made
    best.keep()
    best.before_step()
    kept = model.weight.detach().clone()
    with torch.no_grad():
        model.weight.zero_()
    assert best.restore() and torch.equal(model.weight, kept) and not best.on_disk


def test_a_run_whose_best_waits_on_disk_ends_as_one_that_kept_it_in_memory(tmp_path, monkeypatch):
    in_memory = run(tiny_config(), db=tmp_path / "a.sqlite")
    spilled = []
    copy = BestWeights._copy

    def recorded(self):
        copy(self)
        spilled.append(self.on_disk)

    monkeypatch.setattr(best_weights, "IN_MEMORY_MAX_BYTES", 0)
    monkeypatch.setattr(BestWeights, "_copy", recorded)
    on_disk = run(tiny_config(), db=tmp_path / "b.sqlite")
    assert spilled and all(spilled)
    assert on_disk.status == in_memory.status == "finished"
    assert on_disk.metrics["dev"] == in_memory.metrics["dev"]
    assert on_disk.metrics["test"] == in_memory.metrics["test"]


def test_a_run_returns_freed_memory_and_evaluates_in_budgeted_batches(db, monkeypatch):
    sizes = []
    batches = DownstreamStage.batches

    def recorded(self, name, train):
        made = batches(self, name, train)
        sizes.append((train, getattr(made, "max_tokens", None)))
        return made

    monkeypatch.setattr(DownstreamStage, "batches", recorded)
    result = run(tiny_config(), db=db)
    assert result.status == "finished"
    assert {m for train, m in sizes if train} == {0}  # training: no budget
    # evaluation: the budget of the demo encoder's width (tiny: 128)
    assert {m for train, m in sizes if not train} == {EVAL_TOKEN_VALUES // 128}
    release_freed_memory()  # callable at any time, a no-op where glibc is absent


def test_the_store_does_not_pull_in_pandas_and_pandas_still_imports(tmp_path):
    """sqlite-utils would import pandas and pyarrow (~65 MB) only to map their dtypes."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from transfer_explorer.engine.store.database import Store\n"
        "assert 'pandas' not in sys.modules and 'pyarrow' not in sys.modules, 'imported'\n"
        f"with Store({str(tmp_path / 'runs.sqlite')!r}) as store:\n"
        "    assert store.list_runs() == []\n"
        "import pandas\n"
        "print(pandas.DataFrame({'a': [1]}).shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 1)"


def test_a_stopped_run_lets_its_best_weights_file_go_at_once(tmp_path, monkeypatch):
    from transfer_explorer.engine import RunControl
    from transfer_explorer.engine import events as ev

    monkeypatch.setattr(best_weights, "IN_MEMORY_MAX_BYTES", 0)  # every copy in a file
    closed = []
    close = BestWeights.close

    def recorded(self):
        closed.append(self.on_disk)  # was a file open when it was closed?
        close(self)

    monkeypatch.setattr(BestWeights, "close", recorded)
    control = RunControl()
    evals = []

    def emit(event):  # stop a few steps after the second evaluation: its best is on disk
        if isinstance(event, ev.Eval) and event.stage == "downstream":
            evals.append(event)
        elif isinstance(event, ev.Step) and len(evals) >= 2:
            control.stop()

    result = run(
        tiny_config(training__epochs=5, training__log_every=1),
        emit,
        control,
        db=tmp_path / "runs.sqlite",
    )
    assert result.status == "stopped"
    assert closed == [True]
