"""Issue 26, classes 3, 4 and 10: whether a 'running' run's process lives is told by a lock
the kernel drops when it dies (not by a pid that can be reused); kept records are replayed
exactly once; the CLI, the window and the API apply one rule."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import transfer_explorer as api
from tests.conftest import tiny_config
from transfer_explorer.cli import commands as cli
from transfer_explorer.engine.store.database import Store

ROOT = Path(__file__).resolve().parents[1]

# A process that starts a run (or a sweep, or a cell claim) and then dies without a word.
HOLDER = """
import sys, time
from transfer_explorer.engine.store.database import Store
store = Store(sys.argv[1])
what = sys.argv[2]
if what == "run":
    print(store.create_run({"seed": 0}, "cpu", "victim"), flush=True)
elif what == "sweep":
    sweep_id, _ = store.sweep_id("key", "victim sweep", {})
    store.hold_sweep(sweep_id)
    store.update_sweep(sweep_id, status="running")
    print(sweep_id, flush=True)
else:
    sweep_id, _ = store.sweep_id("key", "victim sweep", {})
    print(store.claim_cell(sweep_id, "cell-a"), sweep_id, flush=True)
time.sleep(120)
"""


def start_holder(db, what: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), what], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    line = proc.stdout.readline().strip()
    assert line, "the holder did not start"
    return proc, line


def kill(proc) -> None:
    proc.kill()
    proc.wait()


def pretend(db, sql: str, *args) -> None:
    """Change the rows as a restarted container or a reused pid would leave them."""
    with sqlite3.connect(db) as conn:
        conn.execute(sql, args)
    conn.close()


@pytest.mark.parametrize(
    "pid", ["this process", "pid 1"], ids=["restarted-container", "reused-pid"]
)
def test_a_dead_run_is_interrupted_even_when_its_pid_is_alive_again(db, pid, capsys):
    proc, run_id = start_holder(db, "run")
    kill(proc)
    # pid 1 in a container that restarted: the new process is pid 1 under the same host
    # name, as this very process is; or the pid was reused by an unrelated live process
    pretend(
        db,
        "UPDATE runs SET pid = ?, host = ?",
        os.getpid() if pid == "this process" else 1,
        socket.gethostname(),
    )
    assert cli.main(["runs", "--db", str(db)]) == 0
    assert "interrupted" in capsys.readouterr().out
    with Store(db) as store:
        run = store.get_run(int(run_id))
        assert run["status"] == "interrupted"
        assert "ended before it finished" in run["error"]
    assert cli.main(["delete", run_id, "--db", str(db)]) == 0  # nothing is stuck


def test_a_live_run_stays_running_and_the_way_out_is_refused_while_it_lives(db, capsys):
    proc, run_id = start_holder(db, "run")
    try:
        pretend(db, "UPDATE runs SET pid = 999999, host = 'elsewhere'")  # pid says nothing
        with Store(db) as store:
            assert store.mark_interrupted() == []
            assert store.get_run(int(run_id))["status"] == "running"
        assert cli.main(["runs", "--mark-interrupted", run_id, "--db", str(db)]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [
            f"error: run {run_id} is running: process 999999 on elsewhere holds "
            "its lock; stop it there"
        ]
        assert cli.main(["delete", run_id, "--db", str(db)]) == 2
        assert "--mark-interrupted" in capsys.readouterr().err
    finally:
        kill(proc)
    with Store(db) as store:  # once it is gone, it is found so
        assert store.get_run(int(run_id))["status"] == "interrupted"


def test_the_way_out_for_a_run_whose_liveness_cannot_be_told(db, capsys):
    # a run written by a version without locks, by a process this host still runs
    Store(db).close()  # (a store with its tables)
    pretend(
        db,
        "INSERT INTO runs (status, created_at, config, upstream, upstream_data, method, "
        "downstream, encoder, size, pid, host) VALUES ('running', '2026-11-01', '{}', "
        "'none', '', 'scratch', 'demo', 'transformer', 'tiny', ?, ?)",
        os.getppid(),
        socket.gethostname(),
    )
    assert cli.main(["runs", "--db", str(db)]) == 0
    assert "running" in capsys.readouterr().out  # its pid is alive: it is left alone
    assert cli.main(["runs", "--mark-interrupted", "1", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "run 1 marked 'interrupted'\n"
    assert cli.main(["runs", "--mark-interrupted", "1", "--db", str(db)]) == 0
    assert "not running" in capsys.readouterr().out
    assert cli.main(["runs", "--mark-interrupted", "7", "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"error: no run with id 7 in {db}\n"


def test_the_api_and_a_read_only_store_show_a_killed_run_as_the_cli_does(db):
    proc, run_id = start_holder(db, "run")
    kill(proc)
    with api.open_store(db, read_only=True) as store:  # reads only, and still says so
        assert [r["status"] for r in store.list_runs()] == ["interrupted"]
        assert store.get_run(int(run_id))["status"] == "interrupted"
    with sqlite3.connect(db) as conn:  # (nothing was written by the read-only store)
        assert conn.execute("SELECT status FROM runs").fetchall() == [("running",)]
    conn.close()
    with api.open_store(db) as store:
        assert [r["status"] for r in store.list_runs()] == ["interrupted"]
        assert store.list_runs("running") == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("interrupted",)]
    conn.close()


def test_a_claim_and_a_sweep_of_a_dead_process_are_not_taken_for_live(db):
    proc, line = start_holder(db, "claim")
    sweep_id = int(line.split()[1])
    kill(proc)
    pretend(db, "UPDATE sweep_claims SET pid = 1, host = ?", socket.gethostname())
    with Store(db) as store:
        assert store.claim_cell(sweep_id, "cell-a") is None  # taken over, not left to pid 1
    proc, line = start_holder(db, "sweep")
    with Store(db) as store:
        store.mark_interrupted()
        assert store.list_sweeps()[0]["status"] == "running"  # alive: left alone
    kill(proc)
    with Store(db) as store:
        store.mark_interrupted()
        assert store.list_sweeps()[0]["status"] == "interrupted"


# ---- kept records: replayed exactly once ------------------------------------------------------
OPENER = """
import sys
from transfer_explorer.engine.store.database import Store
with Store(sys.argv[1]) as store:
    pass
print("opened", flush=True)
"""


def test_kept_records_are_written_once_however_many_processes_open_the_store(db):
    with Store(db) as store:
        run_id = store.create_run(tiny_config().to_dict(), "cpu")
        rows = [
            {"stage": "downstream", "step": i, "epoch": 0, "name": "loss", "value": 1 / (i + 1)}
            for i in range(458)
        ]
        entries = [
            ("metrics", rows[:200]),
            ("log", {"time": "t", "level": "info", "message": "kept"}),
            ("metrics", rows[200:]),
            ("run", {"status": "failed", "error": "locked"}),
        ]
        assert store.keep_unsaved(run_id, entries) is not None
    # Another program holds the write lock while four processes open the store: each finds
    # the kept file and waits for the lock to write it — then all of them get it in turn.
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(db)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    time.sleep(6)  # (they start, read the kept file and queue for the lock)
    holder.execute("COMMIT")
    holder.close()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out == "opened\n", err
    with Store(db) as store:
        assert len(store.metrics(run_id)) == 458  # not 916 or 1,832
        assert [log["message"] for log in store.logs(run_id)] == ["kept"]
        assert store.get_run(run_id)["status"] == "failed"
        assert not store.unsaved_folder().exists()


def test_a_kept_file_applied_before_a_crash_is_not_applied_again(db, monkeypatch):
    with Store(db) as store:
        run_id = store.create_run(tiny_config().to_dict(), "cpu")
        kept = store.keep_unsaved(
            run_id, [("log", {"time": "t", "level": "info", "message": "once"})]
        )
    saved = kept.read_bytes()
    with Store(db) as store:  # applied...
        assert len(store.logs(run_id)) == 1
    kept.parent.mkdir()  # ...and the process died before it removed the file
    kept.write_bytes(saved)
    with Store(db) as store:
        assert len(store.logs(run_id)) == 1
        assert not kept.exists()
    assert json.loads(saved)  # (the file was a real kept file)


def test_a_killed_cli_run_is_interrupted_for_the_next_opener(db):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "run",
            "--epochs",
            "500",
            "--quiet",
            "--threads",
            "1",
            "--db",
            str(db),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.3)
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT count(*) FROM metrics").fetchone()[0]:
                    break
        except sqlite3.OperationalError:
            pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with api.open_store(db) as store:
        assert [r["status"] for r in store.list_runs()] == ["interrupted"]
