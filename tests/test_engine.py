"""Real (tiny) training runs on the bundled demo, on the CPU."""

import threading

import pytest
import torch
from safetensors.torch import load_file

from tests.conftest import tiny_config
from transfer_explorer.engine import RunControl, run
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.store.database import Store

UPSTREAMS = ["none", "sentiment", "word2vec", "mlm", "causal-lm", "nli"]
METHODS = ["scratch", "feature", "finetune"]


class Events(list):
    def __call__(self, event):
        self.append(event)

    def of(self, kind, **where):
        return [
            e
            for e in self
            if isinstance(e, kind) and all(getattr(e, k) == v for k, v in where.items())
        ]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("upstream", UPSTREAMS)
def test_every_upstream_and_method_trains_and_is_recorded(upstream, method, db):
    events = Events()
    config = tiny_config(upstream__task=upstream, method=method)
    result = run(config, emit=events, db=db)

    assert result.status == "finished", result.error
    dev, test = result.metrics["dev"], result.metrics["test"]
    # the demo is learnable: even the frozen-random baseline correlates with gold
    assert dev["spearman"] > 20 and test["spearman"] > 20
    assert set(dev) >= {"pearson", "spearman", "mse", "cosine_spearman"}
    steps = events.of(ev.Step, stage="downstream")
    assert steps and steps[-1].step == steps[-1].total_steps
    assert [e.split for e in events.of(ev.Eval, stage="downstream", final=True)] == ["dev", "test"]
    trains_upstream = upstream != "none" and method != "scratch"
    assert bool(events.of(ev.StageStarted, stage="upstream")) == trains_upstream
    frozen_head_only = method == "feature" and upstream != "word2vec"
    assert bool(events.of(ev.StageStarted, stage="features")) == frozen_head_only

    with Store(db) as store:
        row = store.get_run(result.run_id)
        assert row["status"] == "finished" and row["dev_metric"] == pytest.approx(dev["spearman"])
        names = {m["name"] for m in store.metrics(result.run_id, "downstream")}
        assert {"loss", "dev_spearman", "dev_final_spearman", "test_final_spearman"} <= names
        assert len(store.predictions(result.run_id, "downstream", "dev")) == 200


def test_feature_keeps_the_upstream_encoder_and_finetune_changes_it(db):
    feature = run(tiny_config(upstream__task="sentiment", method="feature"), db=db)
    tuned = run(tiny_config(upstream__task="sentiment", method="finetune"), db=db)
    assert tuned.upstream_cached  # same upstream: trained once
    with Store(db) as store:
        key = store.get_run(tuned.run_id)["upstream_key"]
        path = store.upstream(key)["path"]
    upstream = load_file(f"{path}/encoder.safetensors")
    frozen = load_file(f"{feature.artifacts}/model.safetensors")
    moved = load_file(f"{tuned.artifacts}/model.safetensors")
    name = "layers.layers.0.linear1.weight"
    assert torch.equal(frozen[f"encoder.{name}"], upstream[name])
    assert not torch.equal(moved[f"encoder.{name}"], upstream[name])


def test_word2vec_feature_freezes_only_the_embeddings(db):
    result = run(tiny_config(upstream__task="word2vec", method="feature"), db=db)
    with Store(db) as store:
        key = store.get_run(result.run_id)["upstream_key"]
        path = store.upstream(key)["path"]
    vectors = load_file(f"{path}/encoder.safetensors")["embedding.weight"]
    saved = load_file(f"{result.artifacts}/model.safetensors")
    assert torch.equal(saved["encoder.embedding.weight"], vectors)
    assert 0.9 < vectors[3:].std().item() < 1.1  # rescaled to unit std


def test_upstream_cache_is_keyed_by_its_settings(db):
    events = Events()
    first = run(tiny_config(upstream__task="mlm", method="finetune"), db=db)
    assert first.status == "finished"
    second = run(tiny_config(upstream__task="mlm", method="feature", seed=3), emit=events, db=db)
    other = run(tiny_config(upstream__task="mlm", method="finetune", upstream__seed=1), db=db)
    assert not first.upstream_cached and second.upstream_cached and not other.upstream_cached
    assert events.of(ev.StageStarted, stage="upstream")[0].cached
    assert any("from the cache" in e.message for e in events.of(ev.Log))
    assert second.timings["upstream_s"] < first.timings["upstream_s"]


def test_a_damaged_cache_entry_is_retrained_not_trusted(db):
    first = run(tiny_config(upstream__task="sentiment", method="finetune"), db=db)
    with Store(db) as store:
        path = store.upstream(store.get_run(first.run_id)["upstream_key"])["path"]
    weights = f"{path}/encoder.safetensors"
    with open(weights, "r+b") as f:
        f.seek(200)
        f.write(b"tampered")
    again = run(tiny_config(upstream__task="sentiment", method="finetune"), db=db)
    assert again.status == "finished" and not again.upstream_cached


def test_train_fraction_uses_a_seeded_subset(db):
    events = Events()
    result = run(tiny_config(downstream__train_fraction=0.25), emit=events, db=db)
    assert result.status == "finished"
    total = events.of(ev.StageStarted, stage="downstream")[0].total_steps
    assert total == 2 * -(-150 // 32)  # 150 of 600 pairs, 2 epochs
    assert any("150 of 600" in e.message for e in events.of(ev.Log))


def test_early_stopping_and_eval_every(db):
    events = Events()
    config = tiny_config(
        training__epochs=30, training__patience=1, training__eval_every=7, training__lr=0.05
    )
    result = run(config, emit=events, db=db)
    assert result.status == "finished" and result.metrics["stopped_early"]
    evals = events.of(ev.Eval, stage="downstream", final=False)
    assert any(e.step % 7 == 0 and e.step % 19 != 0 for e in evals)
    assert result.metrics["steps"] < 30 * 19


def test_stop_pause_and_resume_from_another_thread(db):
    control = RunControl()
    events = Events()
    seen_step = threading.Event()

    def emit(event):
        events(event)
        if isinstance(event, ev.Step) and event.stage == "downstream":
            seen_step.set()

    config = tiny_config(training__epochs=200, training__log_every=1)
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(r=run(config, emit, control, db=db)))
    worker.start()
    assert seen_step.wait(30)
    control.pause()
    paused_at = len(events.of(ev.Step))
    threading.Event().wait(0.5)
    # at most the step in flight finishes after pause()
    assert len(events.of(ev.Step)) <= paused_at + 1
    frozen_count = len(events.of(ev.Step))
    threading.Event().wait(0.3)
    assert len(events.of(ev.Step)) == frozen_count
    control.resume()
    threading.Event().wait(0.3)
    assert len(events.of(ev.Step)) > frozen_count
    control.stop()
    worker.join(5)
    assert not worker.is_alive(), "stop was not honoured within 5 s"
    result = outcome["r"]
    assert result.status == "stopped"
    assert isinstance(events[-1], ev.RunFinished) and events[-1].status == "stopped"
    with Store(db) as store:
        row = store.get_run(result.run_id)
        assert row["status"] == "stopped" and row["finished_at"]
        assert len(store.metrics(result.run_id, "downstream")) > 0  # logged steps are kept


def test_stop_while_paused_ends_the_run(db):
    control = RunControl()
    control.pause()
    outcome = {}
    worker = threading.Thread(
        target=lambda: outcome.update(r=run(tiny_config(), control=control, db=db))
    )
    worker.start()
    threading.Event().wait(0.5)
    assert worker.is_alive()  # blocked at the first step
    control.stop()
    worker.join(5)
    assert outcome["r"].status == "stopped"


def test_an_engine_error_marks_the_run_failed_with_traceback(db):
    def explode(event):
        if isinstance(event, ev.Step) and event.stage == "downstream":
            raise RuntimeError("simulated fault")

    events = Events()

    def emit(event):
        events(event)
        explode(event)

    result = run(tiny_config(), emit=emit, db=db)
    assert result.status == "failed" and "simulated fault" in result.error
    failed = events.of(ev.RunFailed)
    assert failed and "Traceback" in failed[0].traceback
    with Store(db) as store:
        row = store.get_run(result.run_id)
        assert row["status"] == "failed" and "simulated fault" in row["traceback"]


def test_bad_input_writes_nothing_to_the_store(db, tmp_path):
    from transfer_explorer.engine.errors import DataError

    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\n1\t2\n")
    with pytest.raises(DataError):
        run(tiny_config(downstream__data=str(bad)), db=db)
    assert not db.exists() or Store(db).list_runs() == []


def test_bilstm_and_classification_dataset(db, tmp_path):
    rows = []
    for i in range(120):
        same = i % 2
        a = f"the cat sat on mat number {i}"
        b = a if same else f"a dog ran in the park {i * 7}"
        rows.append(f"{a}\t{b}\t{same}")
    path = tmp_path / "para.tsv"
    path.write_text("sentence1\tsentence2\tlabel\n" + "\n".join(rows) + "\n")
    result = run(
        tiny_config(
            downstream__data=str(path),
            model__encoder="bilstm",
            upstream__task="sentiment",
            method="finetune",
            training__epochs=4,
        ),
        db=db,
    )
    assert result.status == "finished", result.error
    assert result.metrics["metric_name"] == "accuracy"
    assert result.metrics["dev"]["accuracy"] > 60


def test_scorer_scores_pairs_like_the_run_did(db):
    from transfer_explorer.engine.saved.predict import Scorer

    result = run(tiny_config(training__epochs=4), db=db)
    scorer = Scorer(result.artifacts)
    same, different = scorer.score(
        [
            ("A man is playing the guitar.", "A guy is playing the guitar."),
            ("A man is playing the guitar.", "A kitten is slicing an onion at the beach."),
        ]
    )
    assert 0 <= different.score < same.score <= 5
    assert -1 <= same.cosine <= 1


@pytest.mark.parametrize("encoder", ["transformer", "bilstm"])
def test_batched_scoring_matches_one_pair_at_a_time(db, encoder):
    """Pasted pairs are scored in length-sorted, padded batches: order and values must not
    depend on which other pairs share a batch (padding is masked)."""
    from transfer_explorer.engine.data import load_pairs
    from transfer_explorer.engine.saved.predict import SCORE_BATCH, Scorer

    result = run(tiny_config(training__epochs=1, model__encoder=encoder), db=db)
    scorer = Scorer(result.artifacts)
    dev = load_pairs("demo").splits["dev"]
    pairs = list(zip(dev.sentence1, dev.sentence2))[: 3 * SCORE_BATCH + 5]
    progress, scoring = [], scorer.iter_scores(pairs)
    while True:
        try:
            progress.append(next(scoring))
        except StopIteration as done:
            batched = done.value
            break
    assert progress[-1] == (len(pairs), len(pairs)) and len(progress) == 4
    alone = [scorer.score([pair])[0] for pair in pairs]
    assert [b.score for b in batched] == pytest.approx([a.score for a in alone], abs=1e-4)
    assert [b.cosine for b in batched] == pytest.approx([a.cosine for a in alone], abs=1e-4)


class _steps:
    """``n`` stand-in batches of 4 examples a step, for fit() tests that time steps."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self):
        return self.n

    def epoch(self, epoch):
        for _ in range(self.n):
            yield type("B", (), {"to": lambda self, d: self, "size": 4})()


def test_a_short_runs_evaluations_are_planned_from_the_data_within_their_share():
    from transfer_explorer.engine.training.eval_plan import (
        EVAL_BUDGET,
        EVAL_PAIR_COST,
        planned_eval_every,
    )

    assert planned_eval_every(600, 200, 19, 2) == 9  # the demo: a dev curve of 4 points
    assert planned_eval_every(5749, 1500, 360, 1) == 120  # STS-B: three mid-epoch ones
    assert planned_eval_every(575, 1500, 36, 1) == 0  # dev larger than train: epochs only
    assert planned_eval_every(5749, 1500, 180, 5) == 0  # long runs: once per epoch
    assert planned_eval_every(600, 0, 19, 1) == 0  # nothing to evaluate on
    for train, dev in [(100, 10), (600, 200), (5749, 1500), (10_000, 10)]:
        every = planned_eval_every(train, dev, 100, 1)
        per_epoch = 100 // every if every else 1
        assert 1 <= per_epoch <= 4
        cost = EVAL_PAIR_COST * dev * per_epoch
        assert per_epoch == 1 or cost / (train + cost) <= EVAL_BUDGET


def test_a_short_rerun_repeats_its_numbers_however_slow_evaluating_is(db, monkeypatch):
    """Mid-epoch evaluations were once skipped by the clock, so a rerun on a busier machine
    kept a different best and ended with other numbers (the window's rerun test caught it)."""
    import time

    from transfer_explorer.engine.experiment import downstream

    def evaluated_at(events):
        return [
            e.step
            for e in events
            if isinstance(e, ev.Eval) and e.stage == "downstream" and not e.final
        ]

    first_events, again_events = [], []
    first = run(tiny_config(training__epochs=2), first_events.append, db=db)
    evaluate = downstream.DownstreamStage.evaluate

    def slow(self, name):
        time.sleep(0.3)  # a busy machine, or a large dev set
        return evaluate(self, name)

    monkeypatch.setattr(downstream.DownstreamStage, "evaluate", slow)
    again = run(tiny_config(training__epochs=2), again_events.append, db=db)
    assert first.status == again.status == "finished"
    assert evaluated_at(first_events) == evaluated_at(again_events)
    assert len(evaluated_at(first_events)) > 2  # mid-epoch ones too
    assert again.metrics["dev"] == first.metrics["dev"]
    assert again.metrics["test"] == first.metrics["test"]


def test_examples_per_second_count_training_time_only():
    """A slow evaluation between two logs does not make training look slow."""
    import time

    from torch import nn

    from transfer_explorer.engine.training.train import Evaluation, FitSettings, fit

    model = nn.Linear(2, 1)
    x = torch.ones(4, 2)

    def evaluate():
        time.sleep(0.6)  # a large dev set
        return Evaluation({"spearman": 1.0}, 1.0)

    def loss(m, batch):
        time.sleep(0.01)  # 4 examples in ~10 ms: ~400 examples/s
        return m(x).pow(2).mean()

    events = []
    fit(
        "downstream",
        model,
        torch.optim.SGD(model.parameters(), lr=0.1),
        _steps(12),
        loss,
        evaluate,
        FitSettings(epochs=1, eval_every=4, log_every=2),
        events.append,
        RunControl(),
        torch.device("cpu"),
    )
    after_eval = [e for e in events if isinstance(e, ev.Step) and e.step in (6, 10)]
    assert len(after_eval) == 2
    # counted with the 0.6 s evaluation, 8 examples would read ~13/s
    assert all(e.examples_per_s > 100 for e in after_eval), after_eval
