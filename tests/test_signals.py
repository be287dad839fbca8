"""Issue 26, class 8: a second Ctrl-C stops at once and cleanly; SIGHUP (a closed terminal)
stops a run or a sweep like SIGTERM — recorded 'stopped', exit 130, never a traceback."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def start(*args, db) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "transfer_explorer.cli", *args, "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def rows(db, sql: str) -> list:
    with sqlite3.connect(db) as conn:
        found = conn.execute(sql).fetchall()
    conn.close()
    return found


def wait_for(proc, db, sql: str, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if rows(db, sql):
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"timed out waiting for: {sql}")


@pytest.mark.parametrize("gap", [0.02, 0.3])
def test_ctrl_c_twice_during_upstream_training_stops_at_once_and_cleanly(db, gap):
    proc = start(
        "run",
        "--upstream",
        "mlm",
        "--method",
        "finetune",
        "--upstream-epochs",
        "50",
        "--threads",
        "1",
        db=db,
    )
    wait_for(proc, db, "SELECT 1 FROM metrics WHERE stage = 'upstream'")
    proc.send_signal(signal.SIGINT)
    time.sleep(gap)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "stopped" in out + err
    assert rows(db, "SELECT status FROM runs") == [("stopped",)]


def test_a_third_signal_ends_the_process_at_once(db):
    proc = start(
        "run",
        "--upstream",
        "mlm",
        "--method",
        "finetune",
        "--upstream-epochs",
        "50",
        "--threads",
        "1",
        db=db,
    )
    wait_for(proc, db, "SELECT 1 FROM metrics WHERE stage = 'upstream'")
    for _ in range(3):
        proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert rows(db, "SELECT status FROM runs")[0][0] in ("stopped", "running")  # (then
    # 'interrupted' for the next opener; what was logged is kept either way)


def test_sighup_stops_a_run(db):
    proc = start("run", "--epochs", "500", "--log-every", "1", "--threads", "1", "--quiet", db=db)
    wait_for(proc, db, "SELECT 1 FROM metrics")
    proc.send_signal(signal.SIGHUP)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert rows(db, "SELECT status FROM runs") == [("stopped",)]


def test_sighup_stops_a_sweep_and_its_record(db, tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text(
        'name = "hang up"\narms = ["none/scratch"]\nseeds = [0, 1]\n'
        "[base]\nthreads = 1\n[base.training]\nepochs = 500\nlog_every = 1\n"
    )
    for workers in ("1", "2"):
        proc = start("sweep", str(path), "--quiet", "--workers", workers, db=db)
        wait_for(proc, db, "SELECT 1 FROM runs WHERE status = 'running'")
        proc.send_signal(signal.SIGHUP)
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 130, err
        assert "Traceback" not in err
        assert rows(db, "SELECT status FROM sweeps") == [("stopped",)]
        assert "running" not in {s for (s,) in rows(db, "SELECT status FROM runs")}
