"""The run database when it is not ours, not healthy, or refuses writes in the middle of a run."""

import hashlib
import sqlite3
import subprocess
import sys
import threading

import pytest

from tests.conftest import tiny_config
from transfer_explorer.cli.commands import main
from transfer_explorer.engine import events as ev
from transfer_explorer.engine import run
from transfer_explorer.engine.store import database as store
from transfer_explorer.engine.store import recorder
from transfer_explorer.engine.store.database import DamagedDatabase, ForeignDatabase, Store
from transfer_explorer.engine.store.recover import recover

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fast_giving_up(monkeypatch):
    """Seconds instead of minutes: how long writes wait for a lock and when the run gives up."""
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.3)
    monkeypatch.setattr(recorder, "RETRY_SECONDS", 0.1)
    monkeypatch.setattr(recorder, "RETRY_WAIT_S", 0.1)
    monkeypatch.setattr(recorder, "GIVE_UP_S", 0.5)


def test_a_database_locked_by_another_program_mid_run_fails_the_run_and_loses_nothing(
    db, monkeypatch
):
    first = run(tiny_config(), db=db)
    fast_giving_up(monkeypatch)
    holder = []

    def lock_once_training(event):  # a second process takes the lock in the middle of a run
        if (
            isinstance(event, ev.Step)
            and event.stage == "downstream"
            and event.step == 10
            and not holder
        ):
            proc = subprocess.Popen(
                [sys.executable, "-c", HOLD_LOCK, str(db), "60"], stdout=subprocess.PIPE, text=True
            )
            assert proc.stdout.readline().strip() == "locked"
            holder.append(proc)

    try:
        result = run(tiny_config(training__epochs=40), db=db, emit=lock_once_training)
    finally:
        for proc in holder:
            proc.kill()
            proc.wait()
    assert result.status == "failed"
    assert result.error.startswith("the run database is locked by another program")
    assert "kept in" in result.error  # where its records wait
    with Store(db) as again:  # the next open writes them and nothing of earlier runs is lost
        victim = again.get_run(result.run_id)
        assert victim["status"] == "failed"
        assert "locked by another program" in victim["error"]
        losses = [m for m in again.metrics(result.run_id, "downstream") if m["name"] == "loss"]
        assert [m["step"] for m in losses][:3] == [1, 5, 10]  # the curve up to the lock
        assert max(m["step"] for m in losses) > 10  # and what was kept aside after it
        assert again.get_run(first.run_id)["status"] == "finished"
        assert not again.unsaved_folder().exists()


def test_a_full_disk_mid_run_fails_the_run_with_one_line(db, monkeypatch):
    first = run(tiny_config(), db=db)
    full = threading.Event()
    write = Store.write

    def write_on_a_full_disk(self, run_id, entries, wait_s=None):
        if full.is_set():  # the file may not grow by one page more: SQLite's own SQLITE_FULL
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            self.db.execute(f"PRAGMA max_page_count = {pages}")
        return write(self, run_id, entries, wait_s)

    monkeypatch.setattr(Store, "write", write_on_a_full_disk)

    def fill_the_disk(event):
        if isinstance(event, ev.Step) and event.stage == "downstream" and event.step == 5:
            full.set()

    result = run(tiny_config(training__epochs=20, training__log_every=1), db=db, emit=fill_the_disk)
    assert result.status == "failed"
    assert result.error.startswith("the disk is full")
    monkeypatch.undo()
    with Store(db) as again:
        again.mark_interrupted()
        assert again.get_run(result.run_id)["status"] == "failed"
        assert again.get_run(first.run_id)["status"] == "finished"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("spoof", ["runs table", "user_version", "other tables"])
def test_a_database_of_another_program_is_refused_and_left_byte_identical(tmp_path, spoof, capsys):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        if spoof == "runs table":
            conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT)")
            conn.execute("INSERT INTO runs (name) VALUES ('theirs')")
        else:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        if spoof == "user_version":
            conn.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION}")
    conn.close()
    before = digest(path)
    with pytest.raises(ForeignDatabase, match="not a Transfer Explorer run database"):
        Store(path)
    assert main(["runs", "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "belongs to another program" in err[0]
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]  # no -wal, no -shm


def test_a_database_from_before_the_application_id_is_still_ours(db):
    with Store(db) as first:
        first.create_run({"seed": 1}, "cpu")
        first.db.execute("PRAGMA application_id = 0")  # as versions before it wrote them
        first.db.execute("PRAGMA user_version = 3")
    with Store(db) as again:
        assert len(again.list_runs()) == 1
        assert again.db.execute("PRAGMA application_id").fetchone()[0] == store.APPLICATION_ID


def damage(path, page_from_end: int = 3) -> None:
    """Overwrite one page of the file in the middle of the metric rows."""
    with sqlite3.connect(path) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((pages - page_from_end) * size)
        f.write(b"\xde\xad" * (size // 2))


def test_a_damaged_database_is_refused_unchanged_and_what_can_be_read_is_recovered(
    db, tmp_path, monkeypatch, capsys
):
    results = [run(tiny_config(seed=seed), db=db) for seed in range(2)]
    with sqlite3.connect(db) as conn:  # everything into the main file, as after closing
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    damage(db)
    monkeypatch.setattr(store, "_CHECKED", set())  # as a fresh process would
    before = digest(db)
    with pytest.raises(DamagedDatabase, match="is damaged"):
        Store(db)
    assert main(["runs", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "transfer-explorer recover" in err[0]
    assert digest(db) == before  # never written into
    with Store(db, read_only=True) as damaged:  # read-only use still lists what it can
        assert [r["id"] for r in damaged.list_runs()] == [r.run_id for r in results]

    copy = tmp_path / "recovered.sqlite"
    report = recover(db, copy)
    assert digest(db) == before
    assert report["runs"][0] == 2
    with Store(copy) as recovered:
        assert [r["status"] for r in recovered.list_runs()] == ["finished", "finished"]
        assert recovered.get_run(results[1].run_id)["dev_metric"] == pytest.approx(
            results[1].metrics["dev"]["spearman"]
        )
        assert len(recovered.metrics(results[0].run_id)) > 0


def test_a_cell_claimed_by_another_live_process_is_left_to_it(db):
    with Store(db) as mine:
        sweep_id, _ = mine.sweep_id("k", "sweep", {})
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom transfer_explorer.engine.store.database import Store\n"
            f"Store({str(db)!r}).claim_cell({sweep_id}, 'cell-a')\n"
            "print('claimed', flush=True)\ntime.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "claimed"
        with Store(db) as mine:
            assert mine.claim_cell(sweep_id, "cell-a") == other.pid
            assert mine.claim_cell(sweep_id, "cell-b") is None
    finally:
        other.kill()
        other.wait()
    with Store(db) as mine:  # a claim of a process that died is taken over
        assert mine.claim_cell(sweep_id, "cell-a") is None


def test_recover_walks_the_rows_that_exist_not_every_rowid_up_to_the_largest(db, tmp_path):
    """A row at rowid 2**62 once made recover count through 2**62 / 500 chunks: for ever."""
    result = run(tiny_config(training__epochs=1), db=db)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO metrics (rowid, run_id, stage, step, epoch, name, value) "
            "VALUES (?, ?, 'downstream', 1, 0, 'far', 1.0)",
            [2**62, result.run_id],
        )
        conn.execute(
            "INSERT INTO logs (rowid, run_id, time, level, message) "
            "VALUES (?, ?, 't', 'info', 'negative rowid')",
            [-(2**40), result.run_id],
        )
        metrics = conn.execute("SELECT count(*) FROM metrics").fetchone()[0]
    conn.close()
    copy = tmp_path / "copy.sqlite"
    proc = subprocess.run(
        [sys.executable, "-m", "transfer_explorer.cli", "recover", str(db), str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    with Store(copy) as recovered:
        rows = recovered.metrics(result.run_id)
        assert len(rows) == metrics and rows[-1]["name"] == "far"
        assert "negative rowid" in [log["message"] for log in recovered.logs(result.run_id)]


def test_recover_steps_over_a_damaged_stretch_and_keeps_what_follows(db, tmp_path):
    first = run(tiny_config(training__epochs=1), db=db)
    with sqlite3.connect(db) as conn:  # many metric rows: the table spans many pages
        conn.executemany(
            "INSERT INTO metrics (run_id, stage, step, epoch, name, value) "
            "VALUES (?, 'downstream', ?, 0, 'filler', 0.5)",
            [(first.run_id, i) for i in range(20000)],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        total = conn.execute("SELECT count(*) FROM metrics").fetchone()[0]
    conn.close()
    damage(db, page_from_end=pages // 2)  # a page in the middle of the metrics
    report = recover(db, tmp_path / "copy.sqlite")
    copied, lost = report["metrics"]
    assert 0 < copied < total
    with Store(tmp_path / "copy.sqlite") as recovered:
        steps = [m["step"] for m in recovered.metrics(first.run_id) if m["name"] == "filler"]
    assert max(steps) == 19999  # rows after the damage were reached
