"""Sweeps: expansion, resume, executors, verdicts, exports."""

import importlib.util
import json
import math

import pytest
from scipy import stats

from transfer_explorer.engine import ConfigError, RunControl
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.sweep.execute import run_sweep, waves
from transfer_explorer.engine.sweep.grid import Sweep
from transfer_explorer.engine.sweep.report import summarize, to_csv, to_markdown, verdict

TINY = {
    "name": "tiny",
    "arms": ["none/scratch", "sentiment/finetune", "mlm/feature"],
    "train_fractions": [0.5, 1.0],
    "seeds": [0, 1],
    "base": {
        "upstream": {"data": "demo", "max_sentences": 200},
        "training": {"epochs": 1, "log_every": 5},
    },
    "overrides": {"sentiment/finetune": {"training": {"encoder_lr_multiplier": 0.5}}},
}


def tiny(**changes) -> Sweep:
    data = {**TINY, **changes}
    data["overrides"] = {k: v for k, v in TINY["overrides"].items() if k in data["arms"]}
    return Sweep.from_dict(data)


def test_expansion_is_the_grid_with_overrides():
    sweep = Sweep.from_dict(TINY)
    cells = sweep.cells()
    assert len(cells) == 3 * 2 * 2
    assert len({c.key for c in cells}) == len(cells)  # every cell computes something else
    tuned = [c for c in cells if c.arm == "sentiment/finetune"]
    assert all(c.config.training.encoder_lr_multiplier == 0.5 for c in tuned)
    assert all(c.config.training.encoder_lr_multiplier == 1.0 for c in cells if c not in tuned)
    first = cells[0].config
    assert (first.upstream.task, first.method, first.downstream.train_fraction, first.seed) == (
        "none",
        "scratch",
        0.5,
        0,
    )
    # the keys ignore where the data lives and how many threads run it
    again = Sweep.from_dict(TINY).cells(data_root="/elsewhere", threads=3)
    assert [c.key for c in again] == [c.key for c in cells]
    # one cell per distinct upstream goes first, so the upstream is trained once
    first_wave, rest = waves(cells)
    assert sorted(c.arm for c in first_wave) == ["mlm/feature", "sentiment/finetune"]
    assert len(rest) == len(cells) - 2


def test_upstreams_times_methods_and_presets():
    sweep = Sweep.from_dict({"upstreams": ["none", "mlm"], "methods": ["scratch", "finetune"]})
    assert sweep.arms == ["none/scratch", "none/finetune", "mlm/scratch", "mlm/finetune"]
    for name in ("demo", "stsb-cpu", "korsts-cpu"):
        preset = Sweep.preset(name)
        assert len(preset.cells()) == 5 * 3 * 3 and preset.control_arm() == "none/scratch"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"arms": ["nothing/scratch"]}, "not upstream/method"),
        ({"arms": ["none/scratch"], "overrides": {"mlm/finetune": {}}}, "not an arm"),
        ({"arms": ["none/scratch"], "seeds": []}, "seeds is empty"),
        ({"arms": ["none/scratch"], "colour": "red"}, "unknown key 'colour'"),
        ({"seeds": [0]}, "give arms"),
    ],
)
def test_bad_sweep_definitions(data, message):
    with pytest.raises(ConfigError, match=message):
        Sweep.from_dict(data)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"arms": ["none/scratch"], "train_fractions": [0]}, "train fraction"),
        (
            {"arms": ["mlm/finetune"], "encoders": ["bilstm"]},
            "mlm upstream pre-trains the transformer",
        ),
        ({"arms": ["sentiment/zero-shot"]}, "zero-shot needs pre-trained weights"),
    ],
)
def test_impossible_cells_are_refused_before_anything_is_recorded(data, message, db):
    sweep = Sweep.from_dict(data)  # the sweep's shape is fine; its cells' settings are not
    with pytest.raises(ConfigError, match=message):
        run_sweep(sweep, db=db)
    assert not db.exists()


def test_verdict_on_synthetic_numbers():
    control = {0: 50.0, 1: 52.0, 2: 51.0}
    helps = verdict({0: 60.0, 1: 61.5, 2: 61.0}, control)
    assert helps.label == "helps" and helps.p_value < 0.05 and helps.n == 3
    assert helps.mean_difference == pytest.approx((10 + 9.5 + 10) / 3)
    assert verdict({0: 40.0, 1: 41.0, 2: 40.5}, control).label == "hurts"
    noisy = verdict({0: 58.0, 1: 45.0, 2: 52.0}, control)
    assert noisy.label == "within noise" and noisy.p_value > 0.05
    assert verdict({0: 70.0}, control).label == "within noise"  # one seed: cannot tell
    assert verdict({0: 53.0, 1: 55.0, 2: 54.0}, control).label == "helps"  # constant +3
    assert "paired t-test" in helps.explain("none/scratch")


def count_calls(monkeypatch) -> dict:
    """How often settings are validated and datasets read."""
    from transfer_explorer.engine import ExperimentConfig
    from transfer_explorer.engine import data as engine_data

    calls = {"validate": 0, "load_pairs": 0, "load_texts": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        ExperimentConfig, "validate", counting("validate", ExperimentConfig.validate)
    )
    for name in ("load_pairs", "load_texts"):
        monkeypatch.setattr(engine_data, name, counting(name, getattr(engine_data, name)))
    return calls


def test_a_tiny_sweep_end_to_end_then_resumed(db, monkeypatch):
    sweep = Sweep.from_dict(TINY)
    events = []
    calls = count_calls(monkeypatch)
    result = run_sweep(sweep, db=db, emit=events.append)
    assert result.status == "finished" and result.skipped == 0
    # 12 cells: each checked once; the demo pairs and the demo corpus read once for all
    assert calls == {"validate": 12, "load_pairs": 1, "load_texts": 1}
    finished = [e for e in events if isinstance(e, ev.CellFinished)]
    assert len(finished) == 12 and all(e.status == "finished" for e in finished)
    assert any(e.upstream_cached for e in finished)  # shared upstreams were reused
    assert result.upstream_seconds_saved > 0
    assert any(isinstance(e, ev.CellProgress) for e in events)

    matrix = summarize(result.cells, sweep.arms, sweep.control_arm())
    assert [c.n for c in matrix.cells] == [2] * 6
    control = matrix.cell("none/scratch", 1.0, "transformer", "demo")
    assert control.verdict.label == "control" and not math.isnan(control.dev_mean_std[0])

    # the verdict is the paired t-test over the seeds of the runs just recorded
    def devs(arm):
        return {
            r["seed"]: r["dev_metric"]
            for r in result.cells
            if r["arm"] == arm and r["fraction"] == 0.5
        }

    arm, ctrl = devs("mlm/feature"), devs("none/scratch")
    seeds = sorted(arm)
    p = stats.ttest_rel([arm[s] for s in seeds], [ctrl[s] for s in seeds]).pvalue
    mean = sum(arm[s] - ctrl[s] for s in seeds) / len(seeds)
    expected = "within noise" if not p < 0.05 else ("helps" if mean > 0 else "hurts")
    found = matrix.cell("mlm/feature", 0.5, "transformer", "demo").verdict
    assert found.label == expected and found.p_value == pytest.approx(p)
    assert found.mean_difference == pytest.approx(mean)
    markdown = to_markdown(matrix)
    assert "| sentiment/finetune |" in markdown and "50% of train" in markdown
    assert to_csv(matrix).count("\n") == 1 + 6

    again = run_sweep(sweep, db=db)  # the same definition: nothing left to do
    assert again.skipped == 12 and again.sweep_id == result.sweep_id
    with Store(db) as store:
        assert len(store.list_runs()) == 12 and len(store.list_sweeps()) == 1


def test_an_interrupted_cell_is_redone_on_resume(db):
    sweep = tiny(arms=["none/scratch"], seeds=[0])
    control = RunControl()

    def stop_after_first(event):
        if isinstance(event, ev.CellFinished):
            control.stop()

    first = run_sweep(sweep, db=db, emit=stop_after_first, control=control)
    assert first.status == "stopped"
    assert [c["status"] for c in first.cells] == ["finished"]
    second = run_sweep(sweep, db=db)
    assert second.status == "finished" and second.skipped == 1
    assert sorted(c["status"] for c in second.cells) == ["finished", "finished"]


def test_process_pool_gives_the_same_numbers_as_in_process(db, tmp_path):
    sweep = tiny(arms=["none/scratch", "sentiment/finetune"], seeds=[0], train_fractions=[1.0])
    pooled = run_sweep(sweep, db=db, workers=2)
    assert pooled.status == "finished"
    here = run_sweep(sweep, db=tmp_path / "other.sqlite", workers=1, data_root=None)
    by_key = lambda rows: {r["cell_key"]: r["dev_metric"] for r in rows}  # noqa: E731
    # threads differ (1 per worker vs the default), so equal within float noise
    for key, value in by_key(pooled.cells).items():
        assert by_key(here.cells)[key] == pytest.approx(value, abs=0.5)


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed")
def test_ray_executor_matches_the_process_pool(db, tmp_path):
    sweep = tiny(arms=["none/scratch", "sentiment/finetune"], seeds=[0, 1], train_fractions=[1.0])
    pooled = run_sweep(sweep, db=db, workers=2)
    rayed = run_sweep(sweep, db=tmp_path / "ray.sqlite", workers=2, executor="ray")
    assert rayed.status == "finished"
    key = lambda rows: {r["cell_key"]: (r["dev_metric"], r["test_metric"]) for r in rows}  # noqa
    assert key(rayed.cells) == key(pooled.cells)  # same seeds, same threads: identical
    with Store(tmp_path / "ray.sqlite") as store:  # the driver wrote runs and model files
        run = store.list_runs()[0]
        assert len(store.metrics(run["id"])) > 0
        from pathlib import Path

        assert (Path(run["artifacts"]) / "model.safetensors").is_file()


def test_cli_sweep_with_exports(db, tmp_path, capsys):
    from transfer_explorer.cli import commands as cli

    path = tmp_path / "sweep.toml"
    import tomli_w

    path.write_text(
        tomli_w.dumps(
            tiny(
                arms=["none/scratch", "none/feature"], seeds=[0, 1], train_fractions=[1.0]
            ).to_dict()
        )
    )
    args = [
        "sweep",
        str(path),
        "--db",
        str(db),
        "--quiet",
        "--json",
        "--markdown",
        str(tmp_path / "m.md"),
        "--csv",
        str(tmp_path / "m.csv"),
    ]
    if importlib.util.find_spec("tensorboard"):
        args += ["--tensorboard", str(tmp_path / "tb")]
    assert cli.main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "finished" and len(out["cells"]) == 2
    assert (tmp_path / "m.md").read_text().startswith("**demo, transformer**")
    assert len((tmp_path / "m.csv").read_text().splitlines()) == 3
    if importlib.util.find_spec("tensorboard"):
        folders = list((tmp_path / "tb").iterdir())
        assert len(folders) == 4 and any(f.glob("events.out.tfevents.*") for f in folders)
    assert cli.main(["sweep", "--db", str(db)]) == 2
    assert "give a sweep file or --preset" in capsys.readouterr().err
