"""Sweeps whose driver dies, and two copies of one sweep on one database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import tomli_w

from tests.test_sweep import tiny
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.sweep.execute import run_sweep

ROOT = Path(__file__).resolve().parents[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by anyone) counts as gone
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def finished_runs(db) -> int:
    if not db.exists():
        return 0
    with Store(db) as store:
        return len(store.list_runs("finished"))


def test_a_killed_sweep_driver_takes_its_workers_with_it_and_resume_keeps_their_cells(db, tmp_path):
    path = tmp_path / "sweep.toml"
    sweep = tiny(
        arms=["none/scratch"],
        seeds=[0, 1, 2, 3, 4, 5],
        train_fractions=[1.0],
        base={"upstream": {"data": "demo"}, "training": {"epochs": 3}},
    )
    path.write_text(tomli_w.dumps(sweep.to_dict()))
    driver = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "sweep",
            str(path),
            "--db",
            str(db),
            "--workers",
            "2",
            "--quiet",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 240
    while finished_runs(db) < 1 and time.monotonic() < deadline:
        time.sleep(0.3)
    workers = [
        pid
        for pid in children(driver.pid)
        if "python" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    ]
    assert finished_runs(db) >= 1 and workers, "the sweep never got going"
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait()
    killed = time.monotonic()
    while any(alive(pid) for pid in workers) and time.monotonic() - killed < 30:
        time.sleep(0.2)
    gone_after = time.monotonic() - killed
    assert not any(alive(pid) for pid in workers), "workers outlived their driver"
    assert gone_after < 15
    # nobody holds the caller's pipe open any more: a pipeline reading the sweep ends
    assert driver.stdout.read() is not None and driver.stderr.read() is not None

    with Store(db) as store:
        done_before = {r["id"] for r in store.list_runs("finished")}
    result = run_sweep(sweep, db=db)
    assert result.status == "finished"
    assert result.skipped == len(done_before)  # what the workers finished is not redone
    with Store(db) as store:
        assert {r["status"] for r in store.list_runs()} <= {"finished", "stopped", "interrupted"}
        assert len(store.list_runs("finished")) == 6


def test_two_copies_of_one_sweep_share_the_cells_instead_of_training_each_twice(db, tmp_path):
    sweep = tiny(
        arms=["none/scratch"],
        seeds=[0, 1, 2, 3],
        train_fractions=[1.0],
        base={"upstream": {"data": "demo"}, "training": {"epochs": 2}},
    )
    path = tmp_path / "sweep.toml"
    path.write_text(tomli_w.dumps(sweep.to_dict()))
    other = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "sweep",
            str(path),
            "--db",
            str(db),
            "--quiet",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the other copy is training its first cell
        time.sleep(0.2)
        if db.exists():
            with Store(db) as store:
                if store.list_runs():
                    break
    result = run_sweep(sweep, db=db)
    _, err = other.communicate(timeout=300)
    assert other.returncode == 0, err
    assert len(result.claimed) >= 1  # at least the cell the other copy was training
    with Store(db) as store:
        runs = store.list_runs()
        assert len(runs) == 4  # every cell trained once, not twice
        assert {r["seed"] for r in runs} == {0, 1, 2, 3}
