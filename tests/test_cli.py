"""The command line: exit codes, one-line messages, JSON output, store commands."""

import json
import os
import subprocess
import sys

import pytest

from transfer_explorer.cli import commands as cli


def run_cli(*args, db):
    return cli.main([*args, "--db", str(db)])


def test_run_prints_json_with_metrics_and_upstream_cache_flag(db, capsys):
    args = [
        "run",
        "--upstream",
        "sentiment",
        "--method",
        "finetune",
        "--epochs",
        "1",
        "--threads",
        "1",
        "--json",
        "--quiet",
    ]
    assert run_cli(*args, db=db) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["status"] == "finished" and first["upstream_cached"] is False
    assert {"dev", "test"} <= set(first["metrics"]) and "spearman" in first["metrics"]["dev"]
    assert run_cli(*args, db=db) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["upstream_cached"] is True and second["run_id"] == first["run_id"] + 1
    # `show` tells from the upstream cache's record how that upstream was trained
    assert run_cli("show", str(second["run_id"]), db=db) == 0
    shown = capsys.readouterr().out
    trained = first["timings"]["upstream_trained_s"]
    assert f"upstream sentiment on demo: trained in {trained:.0f} s on " in shown
    # without --json: the head's Spearman and sentence-transformers' figure, side by side
    assert run_cli(*[a for a in args if a != "--json"], db=db) == 0
    line = capsys.readouterr().out.strip()
    dev = second["metrics"]["dev"]
    assert f"dev spearman {dev['spearman']:.1f}" in line
    assert (
        f"cosine spearman (sentence-transformers' spearman_cosine) dev {dev['cosine_spearman']:.1f}"
    ) in line


def test_config_file_with_flags_overriding(db, tmp_path, capsys):
    toml = tmp_path / "exp.toml"
    toml.write_text('method = "feature"\n[training]\nepochs = 1\nbatch_size = 64\n')
    assert (
        run_cli(
            "run",
            "--config",
            str(toml),
            "--batch-size",
            "16",
            "--json",
            "--quiet",
            "--threads",
            "1",
            db=db,
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["config"]["method"] == "feature"
    assert out["config"]["training"]["batch_size"] == 16


@pytest.mark.parametrize(
    "args, message",
    [
        (["--downstream", "no-such-set"], "unknown dataset 'no-such-set'"),
        (["--batch-size", "0"], "batch size must be an integer >= 1"),
        (["--lr", "-1"], "learning rate must be a number > 0"),
        (["--train-fraction", "2"], "train fraction must be in (0, 1]"),
        (["--device", "cuda"], "cuda"),
        (["--config", "/nonexistent/exp.toml"], "no such file"),
        (["--columns", "sentence1"], "FIELD=COLUMN"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_records_nothing(args, message, db, capsys):
    if "--device" in args:
        import torch

        if torch.cuda.is_available():
            pytest.skip("this machine has CUDA")
    assert run_cli("run", *args, db=db) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not db.exists() or run_cli("runs", "--json", db=db) == 0


def test_bad_data_file_exits_2_naming_the_line(db, tmp_path, capsys):
    bad = tmp_path / "pairs.tsv"
    bad.write_text("sentence1\tsentence2\tscore\na\tb\t1\nc\td\tseven\n")
    assert run_cli("run", "--downstream", str(bad), db=db) == 2
    err = capsys.readouterr().err
    assert "pairs.tsv, line 3" in err and "'seven' is not a number" in err
    assert not db.exists()


def test_runs_show_export_and_score(db, tmp_path, capsys):
    assert (
        run_cli("run", "--epochs", "1", "--quiet", "--threads", "1", "--name", "first", db=db) == 0
    )
    capsys.readouterr()
    assert run_cli("runs", db=db) == 0
    listing = capsys.readouterr().out
    assert "none / scratch → demo" in listing and "finished" in listing and "first" in listing
    assert run_cli("show", "1", db=db) == 0
    shown = capsys.readouterr().out
    assert "dev: pearson" in shown and 'method = "scratch"' in shown
    target = tmp_path / "m.csv"
    assert run_cli("export", "1", "--csv", str(target), db=db) == 0
    header, *rows = target.read_text().splitlines()
    assert header == "stage,step,epoch,name,value" and any(",loss," in r for r in rows)
    predictions = tmp_path / "p.csv"
    assert run_cli("export", "1", "--csv", str(predictions), "--what", "predictions", db=db) == 0
    assert len(predictions.read_text().splitlines()) == 1 + 200 + 200  # dev + test
    capsys.readouterr()
    assert (
        run_cli("score", "1", "A man is eating an apple.", "A guy is eating an apple.", db=db) == 0
    )
    value = float(capsys.readouterr().out.split("\t")[0])
    assert 0 <= value <= 5
    assert run_cli("show", "99", db=db) == 2
    assert "no run with id 99" in capsys.readouterr().err


def test_console_script_without_traceback_and_headless_run(db, tmp_path):
    """The installed entry point: bad input is one line on stderr, exit 2."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-m", "transfer_explorer", "run", "--epochs", "0", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: epochs must be an integer >= 1, got 0"


def test_datasets_lists_registry(capsys):
    assert cli.main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "stsb" in out and "sentence-transformers/stsb" in out and "nsmc" in out


def test_a_run_checks_its_settings_once(db, monkeypatch, capsys):
    from transfer_explorer.engine import ExperimentConfig

    calls = []
    original = ExperimentConfig.validate
    monkeypatch.setattr(
        ExperimentConfig, "validate", lambda self: calls.append(1) or original(self)
    )
    assert run_cli("run", "--epochs", "1", "--threads", "1", "--quiet", db=db) == 0
    assert len(calls) == 1
