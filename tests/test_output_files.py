"""Issue 26, class 1: a file the app writes never lands on a run store (or any database),
never truncates a file in place, and never replaces a file of another kind unasked."""

import hashlib
import os
import sqlite3

import pytest

from tests.conftest import tiny_config
from transfer_explorer.cli import commands as cli
from transfer_explorer.engine import run
from transfer_explorer.engine.disk import outputs
from transfer_explorer.engine.disk.outputs import OutputRefused, check_output, write_output


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def finished_store(db):
    result = run(tiny_config(training__epochs=1), db=db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return result


def refused(capsys, *args) -> str:
    assert cli.main(list(args)) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@pytest.fixture
def store_with_a_run(db):
    finished_store(db)
    return db


@pytest.mark.parametrize("side", ["", "-wal", "-shm"])
@pytest.mark.parametrize(
    "command",
    [
        ["export", "1", "--csv"],
        ["export", "1", "--what", "predictions", "--csv"],
        ["run", "--epochs", "1", "--save-config"],
        ["sweep", "--preset", "demo", "--markdown"],
        ["sweep", "--preset", "demo", "--csv"],
    ],
)
def test_no_output_overwrites_the_run_store_or_its_side_files(
    store_with_a_run, command, side, capsys
):
    db = store_with_a_run
    target = db.with_name(db.name + side)
    if side:  # the side files exist while the store is open; here, as files of their own
        target.write_bytes(b"\0" * 64)
    before = digest(db)
    line = refused(capsys, *command, str(target), "--db", str(db), "--force")
    assert line.startswith(f"error: {command[-1]} {target}")
    assert "run database in use" in line
    assert digest(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("finished",)]


def test_no_output_overwrites_another_sqlite_database_or_a_symlink_to_the_store(
    store_with_a_run, tmp_path, capsys
):
    other = tmp_path / "notes.csv"  # a database of another program, named like a CSV
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    link = tmp_path / "link.csv"
    link.symlink_to(store_with_a_run)
    for target in (other, link):
        before = digest(target)
        line = refused(
            capsys, "export", "1", "--csv", str(target), "--force", "--db", str(store_with_a_run)
        )
        assert "database" in line and "destroy" in line
        assert digest(target) == before
    # and the Markdown of a sweep onto the other program's database's journal
    journal = other.with_name(other.name + "-journal")
    journal.write_bytes(b"x")
    line = refused(
        capsys,
        "sweep",
        "--preset",
        "demo",
        "--markdown",
        str(journal),
        "--db",
        str(store_with_a_run),
    )
    assert "belongs to the SQLite database" in line


def test_a_file_of_another_kind_is_replaced_only_with_force(store_with_a_run, tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text("print('my code')\n")
    line = refused(capsys, "export", "1", "--csv", str(script), "--db", str(store_with_a_run))
    assert line == (
        f"error: --csv {script} exists and is not a CSV file this app writes; "
        "give a new name, or --force to replace it"
    )
    assert script.read_text() == "print('my code')\n"
    assert (
        cli.main(["export", "1", "--csv", str(script), "--force", "--db", str(store_with_a_run)])
        == 0
    )
    assert script.read_text().startswith("stage,step,epoch,name,value")
    # a CSV file is a CSV file: replaced without asking, keeping its permissions
    earlier = tmp_path / "metrics.csv"
    earlier.write_text("a,b\n1,2\n")
    earlier.chmod(0o640)
    assert cli.main(["export", "1", "--csv", str(earlier), "--db", str(store_with_a_run)]) == 0
    assert earlier.read_text().startswith("stage,step")
    assert oct(earlier.stat().st_mode & 0o777) == oct(0o640)


def test_outputs_are_written_beside_and_renamed_never_truncated_in_place(tmp_path, monkeypatch):
    target = tmp_path / "settings.toml"
    target.write_text("seed = 1\n")
    inode = target.stat().st_ino
    real_fsync = os.fsync

    def disk_full(fd):  # the write fails half-way: the old file must be untouched
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", disk_full)
    with pytest.raises(OutputRefused, match="cannot write it"):
        write_output(target, "seed = 2\n" * 1000, "toml", "--save-config")
    assert target.read_text() == "seed = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # no temporary left
    monkeypatch.setattr(outputs.os, "fsync", real_fsync)
    write_output(target, "seed = 2\n", "toml", "--save-config")
    assert target.read_text() == "seed = 2\n"
    assert target.stat().st_ino != inode  # a new file renamed into place


def test_the_checks_themselves(tmp_path):
    db = tmp_path / "runs.sqlite"
    with pytest.raises(OutputRefused, match="empty path"):
        check_output("", "csv", "--csv")
    models = tmp_path / "runs-models" / "1"
    models.mkdir(parents=True)
    with pytest.raises(OutputRefused, match="model folder"):
        check_output(models / "model.csv", "csv", "--csv", store=db)
    empty = tmp_path / "empty.dat"
    empty.touch()
    assert check_output(empty, "csv", "--csv") == empty  # nothing to lose
    png = tmp_path / "curves.png"
    png.write_bytes(b"not a png")
    with pytest.raises(OutputRefused, match="not a PNG image"):
        check_output(png, "png", "Export")
    assert check_output("/dev/stdout", "csv", "--csv") == outputs.Path("/dev/stdout")


def test_the_windows_exports_refuse_the_store(qtbot, db, tmp_path):
    from transfer_explorer.gui.main_window import MainWindow

    result = finished_store(db)
    window = MainWindow(db=db)
    qtbot.addWidget(window)
    window.show()
    try:
        before = digest(db)
        with pytest.raises(OutputRefused, match="run database in use"):
            window.history.export_csv(result.run_id, str(db))  # (a slot: the banner shows it)
        window.export_png(result.run_id, str(db))
        assert "run database in use" in window.banner.text()
        assert digest(db) == before
        csv_path = tmp_path / "metrics.csv"
        window.history.export_csv(result.run_id, str(csv_path))
        assert csv_path.read_text().startswith("stage,step")
        png_path = tmp_path / "curves.png"
        window.export_png(result.run_id, str(png_path))
        assert png_path.read_bytes().startswith(outputs.PNG_MAGIC)
    finally:
        window.runs.shutdown()
        window.close()
