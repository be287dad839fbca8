"""The Python API (transfer_explorer.Experiment, run, iter_run, sweep, open_store,
load_model): tested like the CLI, and the API page's notebook example run as it is."""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import transfer_explorer as te
from transfer_explorer.engine import ConfigError, DataError, UserError
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.store.database import Store

ROOT = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- notebook-example[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert match, "the API page's notebook example is missing"
    return match.group(1)


def test_the_api_pages_notebook_example_runs_as_it_is(tmp_path):
    env = {**os.environ, "TRANSFER_EXPLORER_HOME": str(tmp_path / "home")}
    proc = subprocess.run(
        [sys.executable, "-c", readme_example()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("<Result run 1 finished, dev spearman")
    dev, cosine = map(float, lines[1].split())
    assert 0 < dev <= 100 and 0 < cosine <= 100
    assert 0 <= float(lines[2]) <= 5  # a score on the demo's 0–5 scale
    assert lines[-1].startswith("[1, 2] <Result run 1 finished")
    assert "downstream" in proc.stderr  # the tqdm bar of the first run
    with Store(tmp_path / "home" / "runs.sqlite") as store:  # the window's History sees them
        assert [r["status"] for r in store.list_runs()] == ["finished", "finished"]


def test_run_returns_metrics_curves_and_a_model_the_cli_would_record(db):
    seen = []
    result = te.run(
        te.Experiment(epochs=2, threads=1, seed=3), db=db, progress=False, on_event=seen.append
    )
    assert result.status == "finished"
    with Store(db) as store:
        row = store.get_run(result.run_id)
    assert result.metrics == row["metrics"] and result.config["seed"] == 3
    loss = result.curves["downstream"]["loss"]
    assert isinstance(loss.value, np.ndarray) and len(loss.step) == len(loss.value) > 2
    evals = [e for e in seen if isinstance(e, ev.Eval) and e.stage == "downstream"]
    assert evals and isinstance(seen[-1], ev.RunFinished)
    frame = result.curves_frame()
    assert set(frame["name"]) >= {"loss", "dev_spearman"}
    pair = ("A man is playing a guitar.", "A man plays the guitar.")
    assert result.model.score(*pair) == pytest.approx(
        te.load_model(result.artifacts).score_pairs([pair])[0].score
    )
    assert result.model.encode(["one", "two three"]).shape == (2, 128)


def test_bad_settings_and_data_are_refused_before_anything_is_recorded(db, tmp_path):
    with pytest.raises(ConfigError, match="unknown setting 'epoch'"):
        te.Experiment(epoch=3)
    with pytest.raises(ConfigError):
        te.run(te.Experiment(epochs=-1), db=db, progress=False)
    empty = tmp_path / "pairs.tsv"
    empty.write_text("")
    with pytest.raises(DataError):
        te.run(te.Experiment(downstream=str(empty)), db=db, progress=False)
    assert not db.exists() or Store(db).list_runs() == []


def test_iter_run_yields_events_and_stops_when_the_loop_is_left(db):
    events = te.iter_run(te.Experiment(epochs=50, threads=1), db=db)
    for event in events:
        if isinstance(event, ev.Step) and event.stage == "downstream" and event.step >= 10:
            break
    events.close()  # leaving the loop stops the run at its next step
    with Store(db) as store:
        (row,) = store.list_runs()
    assert row["status"] == "stopped"
    assert threading.active_count() < 20


def test_sweep_and_open_store_read_every_cell(db):
    from transfer_explorer.engine.sweep.grid import Sweep

    plan = Sweep.from_dict(
        {
            "name": "api",
            "arms": ["none/scratch"],
            "seeds": [0, 1],
            "train_fractions": [1.0],
            "encoders": ["bilstm"],
            "base": {"training": {"epochs": 1}, "threads": 1},
        }
    )
    outcome = te.sweep(plan, db=db, progress=False)
    assert outcome.status == "finished" and len(outcome.cells) == 2
    with te.open_store(db) as store:
        results = [store.result(cell["run_id"]) for cell in outcome.cells]
    assert {r.config["seed"] for r in results} == {0, 1}
    assert all(r.status == "finished" and "dev" in r.metrics for r in results)


def test_the_package_imports_no_torch_until_asked():
    code = (
        "import sys, transfer_explorer\n"
        "print('torch' in sys.modules, callable(transfer_explorer.Experiment))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True"]


def test_load_model_takes_a_run_id_of_the_apps_own_store():
    result = te.run(te.Experiment(epochs=1, threads=1), progress=False)  # the default store
    pair = ("A dog runs.", "A dog is running.")
    assert te.load_model(result.run_id).score(*pair) == pytest.approx(result.model.score(*pair))
    with pytest.raises(UserError, match="no run with id 999"):
        te.load_model(999)
