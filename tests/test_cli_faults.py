"""Faults at the command line: each is one line on stderr, exit 2, nothing recorded — or,
for a stop signal, a run recorded ``stopped`` with its curves.

In-process calls (engine.cli.main) where the outcome does not depend on the process;
real subprocesses for signals.
"""

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from transfer_explorer.cli import commands as cli
from transfer_explorer.engine import ConfigError
from transfer_explorer.engine.codec import HFCodec
from transfer_explorer.engine.store.database import Store

BIG = str(2**63)


def run_cli(*args, db):
    return cli.main([*args, "--db", str(db)])


def rows(db, sql: str) -> list[tuple]:
    """Rows of a query on the run database; none when the file or table does not exist."""
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        table = sql.split(" FROM ")[1].split()[0]
        return conn.execute(sql).fetchall() if table in tables else []


def refused(capsys, db, *args) -> str:
    """Run the CLI, expect exit 2 with one line and no run recorded; the line."""
    assert run_cli(*args, db=db) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: "), captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert rows(db, "SELECT id FROM runs") == []
    return captured.err.strip()


# ---- 1. score ranges and strict JSON ---------------------------------------------------------
@pytest.mark.parametrize(
    "text, message",
    [
        (
            "0,1e308",
            "score range must lie within ±1,000,000 (scores are scaled in float32), "
            "got [0.0, 1e+308]",
        ),
        ("0,inf", "score range must be two finite numbers, low < high, got [0.0, inf]"),
        ("-inf,5", "score range must be two finite numbers, low < high, got [-inf, 5.0]"),
        ("nan,5", "score range must be two finite numbers, low < high, got [nan, 5.0]"),
        ("5,5", "score range must be two finite numbers, low < high, got [5.0, 5.0]"),
        ("5,0", "score range must be two finite numbers, low < high, got [5.0, 0.0]"),
        (
            "-2e6,0",
            "score range must lie within ±1,000,000 (scores are scaled in float32), "
            "got [-2000000.0, 0.0]",
        ),
        (
            "1000,1000.5",
            "score range [1000.0, 1000.5] is too narrow for float32: high - low must "
            "be at least 0.001 × max(1, |low|, |high|)",
        ),
        ("0,1,2", "--score-range: expected LOW,HIGH, got '0,1,2'"),
    ],
)
def test_unusable_score_ranges_are_refused_up_front(text, message, db, capsys):
    assert refused(capsys, db, "run", f"--score-range={text}") == f"error: {message}"


def test_usable_score_ranges_pass():
    from tests.conftest import tiny_config

    for low, high in ((0, 1), (0, 5), (-1, 1), (1, 5), (0, 100), (-1e6, 1e6), (0, 0.01)):
        tiny_config(downstream__score_range=[low, high]).validate()


def strict_loads(text: str):
    """json.loads that refuses NaN and Infinity, as JavaScript and most parsers do."""

    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_json_printer_turns_non_finite_numbers_into_null(capsys):
    import numpy as np

    cli.print_json(
        {
            "a": math.nan,
            "b": [math.inf, -math.inf, 1.5],
            "c": np.float32("nan"),
            "d": np.float64(2.0),
            "e": (np.int64(3), "x"),
            "f": np.array([1.0, np.nan]),
        }
    )
    assert strict_loads(capsys.readouterr().out) == {
        "a": None,
        "b": [None, None, 1.5],
        "c": None,
        "d": 2.0,
        "e": [3, "x"],
        "f": [1.0, None],
    }


def test_run_json_is_strict_even_with_nan_metrics(db, capsys, monkeypatch):
    """A run whose metrics are NaN (constant predictions, say) still prints valid JSON."""
    from transfer_explorer.engine.experiment import runner
    from transfer_explorer.engine.experiment.runner import RunResult

    def fake_run(experiment, **kwargs):
        return RunResult(
            1,
            "finished",
            experiment.config.to_dict(),
            metrics={
                "metric_name": "spearman",
                "dev": {"spearman": math.nan},
                "test": {"spearman": math.inf},
            },
        )

    monkeypatch.setattr(runner, "run_experiment", fake_run)
    assert run_cli("run", "--json", "--quiet", "--threads", "1", db=db) == 0
    out = strict_loads(capsys.readouterr().out)
    assert out["metrics"]["dev"]["spearman"] is None and out["metrics"]["test"]["spearman"] is None


def test_runs_and_show_json_are_strict_for_stored_nan(db, capsys):
    from tests.conftest import tiny_config

    with Store(db) as store:
        run_id = store.create_run(tiny_config().to_dict(), "cpu", "nan run", {})
        store.update_run(
            run_id, status="finished", metrics={"dev": {"spearman": math.nan}}, seconds=math.inf
        )
    assert run_cli("runs", "--json", db=db) == 0
    listed = strict_loads(capsys.readouterr().out)
    assert listed[0]["seconds"] is None
    assert run_cli("show", str(run_id), "--json", db=db) == 0
    assert strict_loads(capsys.readouterr().out)["metrics"]["dev"]["spearman"] is None
    assert cli.main(["datasets", "--json"]) == 0
    assert "stsb" in strict_loads(capsys.readouterr().out)


# ---- 2. settings refused before the run is recorded ----------------------------------------
SETTINGS = [
    (["--seed", "-1"], "seed must be an integer from 0 to 2**63 - 1, got -1"),
    (["--seed", BIG], f"seed must be an integer from 0 to 2**63 - 1, got {BIG}"),
    (["--upstream-seed", "-3"], "upstream seed must be an integer from 0 to 2**63 - 1, got -3"),
    (["--upstream-seed", BIG], f"upstream seed must be an integer from 0 to 2**63 - 1, got {BIG}"),
    (["--weight-decay", "inf"], "weight decay must be in [0, 10], got inf"),
    (["--weight-decay", "nan"], "weight decay must be in [0, 10], got nan"),
    (["--weight-decay", "-0.1"], "weight decay must be in [0, 10], got -0.1"),
    (["--lr", "inf"], "learning rate must be a number > 0 and <= 10, got inf"),
    (["--lr", "1e308"], "learning rate must be a number > 0 and <= 10, got 1e+308"),
    (["--head-lr", "nan"], "head learning rate must be a number > 0 and <= 10, got nan"),
    (["--upstream-lr=-inf"], "upstream learning rate must be a number > 0 and <= 10, got -inf"),
    (
        ["--encoder-lr-multiplier", "inf"],
        "encoder learning-rate multiplier must be a number > 0 and <= 10, got inf",
    ),
    (["--warmup-ratio", "nan"], "warmup ratio must be in [0, 1), got nan"),
    (["--warmup-ratio", "inf"], "warmup ratio must be in [0, 1), got inf"),
    (["--train-fraction", "nan"], "train fraction must be in (0, 1], got nan"),
    (
        ["--max-length", "100000000"],
        "max length must be an integer from 4 to 4096 (the encoder "
        "learns one position vector per token), got 100000000",
    ),
    (
        ["--vocab-size", "99999999999999999999999"],
        "vocabulary size must be an integer from 100 to 1000000, got 99999999999999999999999",
    ),
    (["--threads", "100000"], "threads must be an integer from 0 to 1024, got 100000"),
    (["--epochs", BIG], f"epochs must be an integer below 2**63, got {BIG}"),
    (["--warmup-steps", "-1"], "warmup steps must be an integer >= 0, got -1"),
]


@pytest.mark.parametrize("args, message", SETTINGS)
def test_bad_settings_are_refused_before_anything_is_recorded(args, message, db, capsys):
    assert refused(capsys, db, "run", *args) == f"error: {message}"


@pytest.mark.parametrize(
    "toml, message",
    [
        ("seed = -1\n", "seed must be an integer from 0 to 2**63 - 1, got -1"),
        ("seed = 1.5\n", "seed must be an integer from 0 to 2**63 - 1, got 1.5"),
        (
            f"[upstream]\nseed = {2**63}\n",
            f"upstream seed must be an integer from 0 to 2**63 - 1, got {2**63}",
        ),
        ("[training]\nweight_decay = inf\n", "weight decay must be in [0, 10], got inf"),
        ("[training]\ngrad_clip = inf\n", "gradient clip must be a number >= 0, got inf"),
        ("[training]\nlr = nan\n", "learning rate must be a number > 0 and <= 10, got nan"),
        (
            "[downstream]\nscore_range = [0, inf]\n",
            "score range must be two finite numbers, low < high, got [0, inf]",
        ),
        (
            "[model]\nmax_length = 100000000\n",
            "max length must be an integer from 4 to 4096 (the "
            "encoder learns one position vector per token), "
            "got 100000000",
        ),
    ],
)
def test_the_same_checks_apply_to_a_config_file(toml, message, db, tmp_path, capsys):
    path = tmp_path / "exp.toml"
    path.write_text(toml)
    assert refused(capsys, db, "run", "--config", str(path)) == f"error: {message}"


@pytest.mark.parametrize(
    "extra, message",
    [
        ("seeds = [-1]\n", "seed must be an integer from 0 to 2**63 - 1, got -1"),
        (f"seeds = [{2**63}]\n", f"seed must be an integer from 0 to 2**63 - 1, got {2**63}"),
        ("[base.training]\nweight_decay = inf\n", "weight decay must be in [0, 10], got inf"),
        (
            "[base.upstream]\nseed = -2\n",
            "upstream seed must be an integer from 0 to 2**63 - 1, got -2",
        ),
    ],
)
def test_the_same_checks_apply_to_a_sweep(extra, message, db, tmp_path, capsys):
    path = tmp_path / "sweep.toml"
    path.write_text('arms = ["none/scratch"]\n' + extra)
    assert refused(capsys, db, "sweep", str(path), "--quiet") == f"error: {message}"
    assert rows(db, "SELECT id FROM sweeps") == []


def test_every_preset_passes_the_checks():
    from transfer_explorer.engine.sweep.grid import PRESETS, Sweep

    for name in PRESETS:
        for cell in Sweep.preset(name).cells():
            cell.config.validate()


def test_a_preset_with_a_bad_setting_is_refused():
    """Presets are sweep files too: their cells go through the same validation."""
    from transfer_explorer.engine.sweep.grid import Sweep

    sweep = Sweep.preset("demo")
    sweep.base = {
        **sweep.base,
        "training": {**sweep.base.get("training", {}), "weight_decay": math.inf},
    }
    with pytest.raises(ConfigError, match=r"^weight decay must be in \[0, 10\], got inf$"):
        for cell in sweep.cells():
            cell.config.validate()


class FakeCheckpointTokenizer:
    """What HFCodec needs of a Hugging Face tokenizer; ``model_max_length`` its positions."""

    pad_token_id, eos_token = 0, "</s>"

    def __init__(self, model_max_length):
        self.model_max_length = model_max_length

    def __len__(self):
        return 100

    def __call__(self, first, second=None, max_length=None, **kwargs):
        self.asked = max_length
        return {"input_ids": [[1, 2, 3]] * len(first), "token_type_ids": [[0, 0, 0]] * len(first)}


def test_a_checkpoint_refuses_a_max_length_beyond_its_positions():
    codec = HFCodec(FakeCheckpointTokenizer(512), uses_token_types=True)
    with pytest.raises(ConfigError) as info:
        codec.encode(["a sentence"], 1000)
    assert str(info.value) == (
        "max length 1000 is more than the checkpoint's 512 positions; use --max-length 512 or less"
    )
    codec.encode(["a sentence"], 512)
    codec.encode_pairs(["a"], ["b"], 300)  # a pair in one sequence stays within 512
    assert codec.tokenizer.asked == 512
    # tokenizers without the setting report a huge placeholder: the model's bound, if given
    HFCodec(FakeCheckpointTokenizer(int(1e30)), False).encode(["a"], 100_000)
    with pytest.raises(ConfigError, match="more than the checkpoint's 160 positions"):
        HFCodec(FakeCheckpointTokenizer(int(1e30)), False, positions=160).encode(["a"], 200)


# ---- 3. one line instead of a traceback -----------------------------------------------------
@pytest.mark.parametrize(
    "toml, message",
    [
        ("[downstream]\ndata = 5\n", "downstream.data must be text, got 5"),
        ('[downstream]\ndata = ["stsb"]\n', "downstream.data must be text, got ['stsb']"),
        ("[upstream]\ndata = 7\n", "upstream.data must be text, got 7"),
        ("[upstream]\ndata = [1, 2]\n", "upstream.data must be text, got [1, 2]"),
        ("[upstream]\ntask = [1]\n", "upstream.task must be text, got [1]"),
        ("[upstream]\nmodel = 3\n", "upstream.model must be text, got 3"),
        ("data_root = 5\n", "data_root must be text, got 5"),
        ('data_root = ["a"]\n', "data_root must be text, got ['a']"),
        ("name = 3\n", "name must be text, got 3"),
        ("method = {a = 1}\n", "method must be text, got {'a': 1}"),
        (
            "[downstream]\ncolumns = 5\n",
            'downstream.columns must be a table of FIELD = "column", got 5',
        ),
        (
            '[downstream]\ncolumns = ["a"]\n',
            "downstream.columns must be a table of FIELD = \"column\", got ['a']",
        ),
        (
            "[downstream]\ncolumns = {sentence1 = 3}\n",
            "downstream.columns: sentence1 must name a column (text), got 3",
        ),
        (
            '[downstream]\ncolumns = {q = "a"}\n',
            "downstream.columns: unknown field 'q' (sentence1, sentence2, score, label, sentence, "
            "split)",
        ),
        ("[training]\nepochs = true\n", "epochs must be an integer >= 1, got True"),
        ("upstream = 3\n", "[upstream] must be a table"),
    ],
)
def test_wrong_types_in_a_config_file_are_one_line(toml, message, db, tmp_path, capsys):
    path = tmp_path / "exp.toml"
    path.write_text(toml)
    assert refused(capsys, db, "run", "--config", str(path)) == f"error: {message}"


def test_deeply_nested_toml_is_one_line(db, tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert (
        refused(capsys, db, "run", "--config", str(deep))
        == f"error: {deep}: nested too deeply to be a settings file"
    )
    nested = tmp_path / "nested.toml"  # within the parser's reach, beyond any setting's
    nested.write_text("name = " + "[" * 100 + "]" * 100 + "\n")
    assert (
        refused(capsys, db, "run", "--config", str(nested))
        == f"error: {nested}: nested more than 16 levels deep; settings files need a few"
    )
    sweep = tmp_path / "sweep.toml"
    sweep.write_text('arms = ["none/scratch"]\nseeds = ' + "[" * 5000 + "]" * 5000 + "\n")
    assert (
        refused(capsys, db, "sweep", str(sweep))
        == f"error: {sweep}: nested too deeply to be a settings file"
    )


def folder(path):
    path.mkdir()
    return path


def fifo(path):
    os.mkfifo(path)
    return path


def holding(data: bytes):
    """A maker of a file with these bytes."""

    def make(path):
        path.write_bytes(data)
        return path

    return make


def unreadable(path):
    path.write_text('name = "x"\n')
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        return path
    pytest.skip("running as root: permissions are not enforced")


@pytest.mark.parametrize(
    "make, message",
    [
        (folder, "{p}: a folder, not a TOML file"),
        (fifo, "{p}: not a regular file, not a TOML file"),
        (holding(b'method = "scratch"\n\x00\x01\x02'), "{p}: a binary file, not TOML"),
        (
            holding('name = "caf\xe9"\n'.encode("latin-1")),
            "{p}: not UTF-8 text (TOML files are UTF-8)",
        ),
        (holding(b"[training\n"), None),
        (holding(b"seed = " + b"9" * 5000 + b"\n"), None),
        (unreadable, "{p}: cannot read it (Permission denied)"),
    ],
)
def test_a_config_that_is_not_a_readable_toml_file_is_one_line(make, message, db, tmp_path, capsys):
    path = make(tmp_path / "exp.toml")
    line = refused(capsys, db, "run", "--config", str(path))
    if message is None:  # broken TOML, an integer too long for Python: the parser's words
        assert line.startswith(f"error: {path}: not valid TOML (")
    else:
        assert line == "error: " + message.format(p=path)
    assert refused(capsys, db, "sweep", str(path)) == line  # sweep files are read alike


@pytest.mark.parametrize(
    "command",
    [
        ["show"],
        ["export", "--csv", "x.csv"],
        ["score", "a", "b"],
        ["delete"],
        ["rename", "new name"],
    ],
)
@pytest.mark.parametrize("run_id", [BIG, str(2**64), "-1", "0", "abc", "1.5"])
def test_run_ids_outside_sqlite_are_refused_by_the_parser(command, run_id, db, capsys):
    name, *rest = command
    line = refused(capsys, db, name, run_id, *rest)
    assert line == (
        f"error: argument RUN: a run id is a whole number from 1 to 2**63 - 1, "
        f"got {run_id!r} (see transfer-explorer {name} --help)"
    )
    assert not db.exists()  # refused before the store was opened


def test_parser_errors_are_one_line(db, capsys):
    assert refused(capsys, db, "run", "--epochs", "many") == (
        "error: argument --epochs: invalid int value: 'many' (see transfer-explorer run --help)"
    )
    assert refused(capsys, db, "frobnicate").startswith("error: argument COMMAND: invalid choice")


def test_export_into_a_missing_folder_or_onto_a_folder(db, tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "m.csv"
    assert (
        refused(capsys, db, "export", "1", "--csv", str(missing))
        == f"error: --csv {missing}: no such folder {missing.parent}"
    )
    assert (
        refused(capsys, db, "export", "1", "--csv", str(tmp_path))
        == f"error: --csv {tmp_path}: a folder; give a file name"
    )


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p, "{p}: no such file"),
        (folder, "{p}: a folder; give a text file"),
        (fifo, "{p}: not a regular file; give a text file"),
        (holding(b"a\tb\n\x00\xff\xfe"), "{p}: a binary file, not text"),
        (holding("caf\xe9\tcafe\n".encode("latin-1")), "{p}: not UTF-8 text (byte 3)"),
        (holding(b"no tab here\n"), "{p}: no 'sentence1<TAB>sentence2' lines"),
    ],
)
def test_score_tsv_that_cannot_be_read(make, message, db, tmp_path, capsys):
    path = make(tmp_path / "pairs.tsv")
    assert (
        refused(capsys, db, "score", "1", "--tsv", str(path))
        == f"error: --tsv {message.format(p=path)}"
    )
    assert not db.exists()


def test_output_paths_are_checked_before_any_work(db, tmp_path, capsys):
    (tmp_path / "a-file").write_text("x")
    assert (
        refused(capsys, db, "run", "--save-config", str(tmp_path / "no" / "e.toml"))
        == f"error: --save-config {tmp_path / 'no' / 'e.toml'}: no such folder {tmp_path / 'no'}"
    )
    assert (
        refused(capsys, db, "run", "--cache-dir", str(tmp_path / "a-file" / "cache"))
        == f"error: --cache-dir {tmp_path / 'a-file' / 'cache'}: {tmp_path / 'a-file'} is a file, "
        "not a folder"
    )
    assert (
        refused(capsys, db, "run", "--data-root", str(tmp_path / "nowhere"))
        == f"error: --data-root {tmp_path / 'nowhere'}: no such folder"
    )
    assert (
        refused(capsys, db, "sweep", "--preset", "demo", "--markdown", str(tmp_path))
        == f"error: --markdown {tmp_path}: a folder; give a file name"
    )
    assert (
        refused(capsys, db, "sweep", "--preset", "demo", "--csv", str(tmp_path / "no" / "m.csv"))
        == f"error: --csv {tmp_path / 'no' / 'm.csv'}: no such folder {tmp_path / 'no'}"
    )
    assert (
        refused(capsys, db, "sweep", "--preset", "demo", "--tensorboard", str(tmp_path / "a-file"))
        == f"error: --tensorboard {tmp_path / 'a-file'}: {tmp_path / 'a-file'} is a file, "
        "not a folder"
    )
    assert (
        refused(capsys, db, "sweep", "--preset", "demo", "--workers", "0")
        == "error: --workers must be from 1 to 256, got 0"
    )


@pytest.mark.parametrize(
    "toml, message",
    [
        ("arms = 5\n", "not a valid sweep ('int' object is not iterable)"),
        (
            'arms = ["none/scratch"]\nseeds = ["a"]\n',
            "not a valid sweep (invalid literal for int() with base 10: 'a')",
        ),
        (
            'arms = ["none/scratch"]\nbase = 5\n',
            "not a valid sweep ('int' object has no attribute 'get')",
        ),
        ('arms = ["none/scratch"]\nname = 5\n', "name must be text, got 5"),
        ('arms = ["none/scratch"]\n[base.downstream]\ndata = 5\n', None),
    ],
)
def test_a_sweep_file_of_the_wrong_shape_is_one_line(toml, message, db, tmp_path, capsys):
    path = tmp_path / "sweep.toml"
    path.write_text(toml)
    line = refused(capsys, db, "sweep", str(path))
    assert line == (
        f"error: {path}: {message}" if message else "error: downstream.data must be text, got 5"
    )


def test_rename_and_delete(db, capsys):
    from tests.conftest import tiny_config

    store = Store(db)  # held open: this process is running the run
    run_id = store.create_run(tiny_config().to_dict(), "cpu", "old", {})
    assert run_cli("rename", str(run_id), "new", db=db) == 0
    assert capsys.readouterr().out == f"run {run_id} renamed to 'new'\n"
    assert rows(db, "SELECT name FROM runs") == [("new",)]
    # its process holds it, so a 'running' run is not to be deleted under it
    assert run_cli("delete", str(run_id), db=db) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: run {run_id} is running (process {os.getpid()} on ")
    assert err.endswith(
        f"; stop it first — if that process is gone, mark it with: "
        f"transfer-explorer runs --mark-interrupted {run_id}\n"
    )
    store.update_run(run_id, status="stopped")
    store.close()
    assert run_cli("delete", str(run_id), db=db) == 0
    assert capsys.readouterr().out == f"deleted run {run_id}\n"
    assert rows(db, "SELECT id FROM runs") == []
    assert run_cli("delete", str(run_id), db=db) == 2
    assert capsys.readouterr().err == f"error: no run with id {run_id} in {db}\n"


# ---- 4. SIGTERM stops like Ctrl-C -----------------------------------------------------------
def start(*args, db):
    return subprocess.Popen(
        [sys.executable, "-m", "transfer_explorer.cli", *args, "--db", str(db), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def wait_for(proc, db, sql: str, timeout: float = 240.0):
    """Poll the run database until ``sql`` returns a row (the process must still run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            found = rows(db, sql)
        except sqlite3.OperationalError:  # created or locked this instant
            found = []
        if found:
            return found
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"timed out waiting for: {sql}")


def test_sigterm_stops_a_run_like_ctrl_c(db):
    proc = start("run", "--epochs", "500", "--log-every", "1", "--threads", "1", db=db)
    wait_for(proc, db, "SELECT id FROM runs WHERE status = 'running'")
    wait_for(proc, db, "SELECT run_id FROM metrics")  # some curve points are written
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == cli.EXIT_STOPPED == 130, err
    assert "Traceback" not in err and out.startswith("run 1 stopped")
    assert rows(db, "SELECT id, status FROM runs") == [(1, "stopped")]
    assert rows(db, "SELECT COUNT(*) FROM metrics WHERE run_id = 1")[0][0] > 0  # curves kept


def test_sigterm_stops_a_sweep_like_ctrl_c(db, tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text(
        'name = "stop me"\narms = ["none/scratch"]\nseeds = [0, 1]\n'
        "[base]\nthreads = 1\n[base.training]\nepochs = 500\nlog_every = 1\n"
    )
    proc = start("sweep", str(path), "--json", db=db)
    wait_for(proc, db, "SELECT id FROM runs WHERE status = 'running'")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 130, err
    assert strict_loads(out)["status"] == "stopped"
    assert rows(db, "SELECT status FROM sweeps") == [("stopped",)]
    assert rows(db, "SELECT status FROM runs") == [("stopped",)]  # the second never started


def test_the_signal_handlers_are_restored_after_a_run():
    from transfer_explorer.cli.signals import STOP_SIGNALS, stop_on_signals, uninterrupted
    from transfer_explorer.engine.control import RunControl

    before = {s: signal.getsignal(s) for s in STOP_SIGNALS}
    assert signal.SIGHUP in STOP_SIGNALS  # a closed terminal stops a run like Ctrl-C
    with stop_on_signals(RunControl()) as control:
        assert all(signal.getsignal(s) != before[s] for s in STOP_SIGNALS)
        os.kill(os.getpid(), signal.SIGTERM)  # handled: asks the run to stop
        time.sleep(0.05)
        assert control.stopped
        with pytest.raises(KeyboardInterrupt):  # a second one stops now...
            with uninterrupted():  # ...but not while a run's end is being written
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)
                written = True  # reached: the signal waited for the block
        assert written
    assert {s: signal.getsignal(s) for s in STOP_SIGNALS} == before
