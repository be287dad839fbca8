"""What keeps a run's memory down: evaluation batches of long texts are cut to a token budget
(training batches are not), a new best keeps one copy of the weights, and freed heap pages go
back to the OS between phases."""
import numpy as np
import torch

from transfer_explorer.engine import run
from transfer_explorer.engine.batching import PairBatches, bucketed
from transfer_explorer.engine.downstream import EVAL_BATCH, EVAL_TOKEN_VALUES, DownstreamStage
from transfer_explorer.engine.memory import release_freed_memory
from transfer_explorer.engine.train import _snapshot
from tests.conftest import tiny_config


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
    assert [b.tolist() for b in bucketed(np.array([3, 500]), 8, None, max_tokens=100)] \
        == [[0], [1]]


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


def test_a_new_best_is_copied_into_the_previous_snapshot():
    model = torch.nn.Linear(3, 2)
    first = _snapshot(model)
    buffers = {name: t.data_ptr() for name, t in first.items()}
    with torch.no_grad():
        model.weight.add_(1.0)
    second = _snapshot(model, into=first)
    assert second is first and {n: t.data_ptr() for n, t in second.items()} == buffers
    assert torch.equal(second["weight"], model.weight)
    with torch.no_grad():
        model.weight.add_(1.0)  # the snapshot is a copy, not a view
    assert not torch.equal(second["weight"], model.weight)


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
