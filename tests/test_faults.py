"""Nothing breaks, nothing is lost: killed processes, two writers, huge and hostile files."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import tiny_config
from transfer_explorer.engine import UserError, run
from transfer_explorer.engine.data import load_pairs
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.store.database import Store

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, db):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            *args,
            "--db",
            str(db),
            "--quiet",
            "--threads",
            "1",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(db) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_killed_mid_run_is_marked_interrupted_and_nothing_else_is_lost(db):
    first = run(tiny_config(), db=db)
    with Store(db) as store:
        kept = len(store.metrics(first.run_id))
    proc = cli("run", "--epochs", "500", "--log-every", "1", db=db)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the victim has written some curve
        time.sleep(0.2)
        with Store(db) as store:
            runs = store.list_runs()
            if len(runs) == 2 and len(store.metrics(runs[1]["id"])) > 20:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert integrity(db) == "ok"
    with Store(db) as store:  # what the next start of the app or the CLI does
        assert store.mark_interrupted() == [first.run_id + 1]
        victim = store.get_run(first.run_id + 1)
        assert victim["status"] == "interrupted" and "ended before it finished" in victim["error"]
        assert len(store.metrics(victim["id"])) > 20  # its curve up to the kill is kept
        assert store.get_run(first.run_id)["status"] == "finished"
        assert len(store.metrics(first.run_id)) == kept


def test_two_processes_write_one_database_at_once(db):
    Store(db).close()
    procs = [
        cli("run", "--epochs", "3", "--log-every", "1", "--seed", str(i), db=db) for i in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert integrity(db) == "ok"
    with Store(db) as store:
        runs = store.list_runs()
        assert [r["status"] for r in runs] == ["finished", "finished"]
        for r in runs:  # every logged step of both runs arrived
            losses = [m for m in store.metrics(r["id"], "downstream") if m["name"] == "loss"]
            assert len(losses) == 3 * 19


def test_out_of_memory_is_reported_with_a_suggestion(db, monkeypatch):
    import torch

    from transfer_explorer.engine.experiment import downstream

    def oom(self, model, batch):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(downstream.DownstreamStage, "loss", oom)
    result = run(tiny_config(), db=db)
    assert result.status == "failed"
    assert "out of memory" in result.error and "smaller batch size" in result.error
    assert "CPU" in result.error


def test_a_damaged_run_model_gives_a_clear_error(db):
    from transfer_explorer.engine.saved.predict import Scorer

    result = run(tiny_config(training__epochs=1), db=db)
    weights = Path(result.artifacts) / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(UserError, match="damaged"):
        Scorer(result.artifacts)


def test_large_file_is_streamed_with_progress_and_bounded_memory(tmp_path):
    path = tmp_path / "big.tsv"
    row = "a man is playing a large guitar on the stage {i}\tsomeone plays music {i}\t{s}\n"
    with open(path, "w") as f:
        f.write("sentence1\tsentence2\tscore\n")
        for i in range(150_000):
            f.write(row.format(i=i, s=i % 6))
    size = path.stat().st_size
    seen = []
    tracemalloc.start()
    data = load_pairs(str(path), progress=lambda done, total: seen.append((done, total)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sum(len(s) for s in data.splits.values()) == 150_000
    assert len(seen) >= size // (1 << 20) and seen[-1] == (size, size)
    # what we keep is the sentences themselves; the whole file is never held as rows of dicts
    kept = sum(sys.getsizeof(x) for s in data.splits.values() for x in s.sentence1 + s.sentence2)
    assert peak < 2.5 * kept, (peak, kept)


@pytest.mark.parametrize(
    "content, message",
    [
        (
            'sentence1,sentence2,score\nok,row,1\n"unclosed,quote,1\nnext,row,2\n',
            "big.csv, line 3: a quote",
        ),
        ("sentence1\tsentence2\tscore\n\tempty\t1\na\tb\t2\nc\td\tbad\n", "line 4: score 'bad'"),
    ],
)
def test_hostile_rows_name_the_right_line(tmp_path, content, message):
    path = tmp_path / ("big.csv" if "," in content.split("\n")[0] else "lines.tsv")
    path.write_text(content)
    with pytest.raises(DataError, match=message):
        load_pairs(str(path))


def test_latin1_file_is_refused_with_the_line(tmp_path):
    path = tmp_path / "latin.tsv"
    path.write_bytes(
        b"sentence1\tsentence2\tscore\n"
        + b"ok\tfine\t1\n" * 3
        + "caf\u00e9 cr\u00e8me\tb\t2\n".encode("latin-1")
        + b"\xff\xfe\tz\t1\n"
    )
    with pytest.raises(DataError, match=r"latin.tsv, line 5: not UTF-8 text \(byte 0xe9\)"):
        load_pairs(str(path))
