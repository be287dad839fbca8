"""Issue 26, class 6: odd paths and environments get one line before any work — never a
traceback, never a run that trains for minutes and then fails, never a silent other store."""

import os
import pwd
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import tiny_config
from transfer_explorer.cli import commands as cli
from transfer_explorer.engine import UserError, run
from transfer_explorer.engine.disk.paths import default_db
from transfer_explorer.engine.store.database import Store

ROOT = Path(__file__).resolve().parents[1]


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


def test_xdg_data_home_that_is_a_regular_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TRANSFER_EXPLORER_HOME")
    (tmp_path / "xdg").write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert cli.main(["runs"]) == 2
    line = one_line(capsys)
    assert f"{tmp_path / 'xdg'} is a file, not a folder" in line and "XDG_DATA_HOME" in line
    assert cli.main(["run", "--epochs", "1"]) == 2
    assert "is a file, not a folder" in one_line(capsys)


def test_no_home_and_no_passwd_entry(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("TRANSFER_EXPLORER_HOME")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)

    def no_entry(uid):
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)  # a uid the passwd file does not know
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match="cannot tell where your home folder is"):
        default_db()
    assert cli.main(["run", "--epochs", "1"]) == 2
    assert "set HOME or TRANSFER_EXPLORER_HOME, or give --db" in one_line(capsys)
    assert cli.main(["runs", "--db", "~/runs.sqlite"]) == 2
    assert "cannot tell where ~ is" in one_line(capsys)
    assert list(tmp_path.iterdir()) == []  # no folder named '~' in the working directory


def test_db_under_a_regular_file(db, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    inside = tmp_path / "notes.txt" / "runs.sqlite"
    for command in (["runs"], ["run", "--epochs", "1"], ["sweep", "--preset", "demo"]):
        assert cli.main([*command, "--db", str(inside)]) == 2
        assert "is a file, not a folder" in one_line(capsys)
    with pytest.raises(UserError, match="is a file, not a folder"):
        run(tiny_config(), db=inside)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_an_empty_db_is_refused_not_taken_for_the_default(isolated_home, capsys):
    assert cli.main(["run", "--epochs", "1", "--db", ""]) == 2
    assert "--db" in one_line(capsys)
    assert not (isolated_home / "runs.sqlite").exists()  # nothing went to the default store


@pytest.mark.parametrize(
    "name", ["file:runs.sqlite?mode=memory", "a?b#c%20d%.sqlite", "file:x.sqlite"]
)
def test_a_db_path_is_a_path_never_a_uri(tmp_path, name, capsys):
    """SQLite read 'file:…?mode=memory' as a URI: an in-memory database, the run lost."""
    db = tmp_path / name
    assert cli.main(["run", "--epochs", "1", "--quiet", "--threads", "1", "--db", str(db)]) == 0
    capsys.readouterr()
    assert db.is_file()
    with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT status FROM runs").fetchall() == [("finished",)]
    conn.close()
    relative = subprocess.run(  # the same name given relative to the working directory
        [sys.executable, "-m", "transfer_explorer.cli", "runs", "--db", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert relative.returncode == 0, relative.stderr
    assert " finished " in relative.stdout
    with Store(db, read_only=True) as store:
        assert len(store.list_runs()) == 1


@pytest.mark.parametrize("blocker", ["runs-models", "cache"])
def test_a_file_where_the_models_or_cache_folder_goes_is_refused_before_training(
    db, blocker, capsys
):
    (db.parent / blocker).write_text("in the way")
    assert cli.main(["run", "--epochs", "1", "--quiet", "--db", str(db)]) == 2
    assert f"{db.parent / blocker} is a file, not a folder" in one_line(capsys)
    assert not db.exists() or Store(db).list_runs() == []  # nothing trained, nothing recorded
    with pytest.raises(UserError, match="is a file, not a folder"):
        run(tiny_config(), db=db)
