"""Issue 26, class 11: a name with a newline or a terminal escape is printed escaped in every
table and log line (one run, one row; nothing retitles or clears the terminal); what is
stored is unchanged."""

import pytest

from tests.conftest import tiny_config
from transfer_explorer.cli import commands as cli
from transfer_explorer.engine import run
from transfer_explorer.engine.labels import shown
from transfer_explorer.engine.store.database import Store

HOSTILE = "two\nlines\x1b]0;retitled\x07\x1b[2J\u202eevil"


def no_controls(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\r\u202e") and "\x00" not in text


def test_shown_escapes_controls_and_keeps_text():
    assert shown(HOSTILE) == "two\\nlines\\x1b]0;retitled\\x07\\x1b[2J\\u202eevil"
    assert shown("한국어 café ok") == "한국어 café ok"
    assert shown("tab\there\x9b") == "tab\\there\\x9b"


@pytest.fixture
def hostile_run(db):
    result = run(tiny_config(training__epochs=1, name=HOSTILE), db=db)
    return db, result.run_id


def test_runs_prints_one_row_per_run_with_the_name_escaped(hostile_run, capsys):
    db, run_id = hostile_run
    run(tiny_config(training__epochs=1, name="plain"), db=db)
    assert cli.main(["runs", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 3  # the header and one row for each of the two runs
    assert no_controls(out)
    assert lines[1].endswith(shown(HOSTILE))
    with Store(db) as store:
        assert store.get_run(run_id)["name"] == HOSTILE  # stored as given


def test_show_rename_and_logs_escape_too(hostile_run, capsys):
    db, run_id = hostile_run
    assert cli.main(["show", str(run_id), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert no_controls(out) and shown(HOSTILE) in out
    assert cli.main(["rename", str(run_id), "new\x1b[2Jname", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out == f"run {run_id} renamed to 'new\\x1b[2Jname'\n"


def test_scored_sentences_and_error_lines_escape_too(hostile_run, tmp_path, capsys):
    db, run_id = hostile_run
    assert cli.main(["score", str(run_id), "a\x1b[2J", "b\nc", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and no_controls(out)
    assert out.rstrip("\n").endswith("a\\x1b[2J\tb\\nc")
    missing = tmp_path / "gone\x1b]0;x\x07.tsv"
    assert cli.main(["run", "--downstream", str(missing), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and no_controls(err)
    assert "gone\\x1b]0;x\\x07.tsv" in err
