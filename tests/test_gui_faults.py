"""The window when a run's long steps are cut short, or its database fails."""

import random
import sqlite3
import time

import pytest

pytest.importorskip("pytestqt")

from tests.conftest import tiny_config  # noqa: E402
from tests.test_store_faults import damage  # noqa: E402
from transfer_explorer.engine import events as ev  # noqa: E402
from transfer_explorer.engine import run  # noqa: E402
from transfer_explorer.engine.store import database as store
from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402

CLOSE_WITHIN_S = 5.0


def big_corpus(path, lines: int = 400_000) -> None:
    """Text with many distinct words, so training a tokenizer on it takes a while."""
    rng = random.Random(0)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(60_000)
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("text\n")
        for _ in range(lines):
            f.write(" ".join(rng.choice(words) for _ in range(12)) + "\n")


def test_closing_the_window_while_the_tokenizer_trains_stops_at_once(qtbot, db, tmp_path):
    corpus = tmp_path / "corpus.tsv"
    big_corpus(corpus)
    window = MainWindow(db=db)
    window.show()
    stages = []
    window.runs.events.connect(
        lambda batch: stages.extend(e.stage for e in batch if isinstance(e, ev.StageStarted))
    )
    assert window.start_run(
        tiny_config(
            upstream__task="mlm",
            upstream__data=str(corpus),
            method="finetune",
            model__vocab_size=30_000,
        )
    )
    qtbot.waitUntil(lambda: "tokenizer" in stages, timeout=120_000)
    time.sleep(0.5)  # well inside the tokenizer's training
    started = time.monotonic()
    window.close()
    closed_in = time.monotonic() - started
    assert not window.running
    assert closed_in < CLOSE_WITHIN_S, f"closing took {closed_in:.1f} s"
    assert "upstream" not in stages  # it really was cut inside the tokenizer step
    with Store(db) as again:
        (stopped,) = again.list_runs()
        assert stopped["status"] == "stopped" and stopped["finished_at"]


def test_a_damaged_database_opens_read_only_with_the_reason_and_no_run_button(
    qtbot, db, monkeypatch
):
    first = run(tiny_config(), db=db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    damage(db)
    monkeypatch.setattr(store, "_CHECKED", set())
    before = db.read_bytes()
    window = MainWindow(db=db)
    qtbot.addWidget(window)
    window.show()
    assert window.read_only and window.banner.isVisible()
    assert "is damaged" in window.banner.text() and "reading only" in window.banner.text()
    assert not window.panel.run_button.isEnabled()
    assert not window.history.buttons["delete"].isEnabled()
    assert "***" not in window.banner.text()  # SQLite's report, reduced to what is wrong
    assert [r["id"] for r in window.store().list_runs()] == [first.run_id]
    window.close()
    assert db.read_bytes() == before


def test_an_exception_in_a_slot_reaches_the_banner(qtbot, db):
    first = run(tiny_config(), db=db)
    window = MainWindow(db=db)
    qtbot.addWidget(window)
    window.show()
    window._store.db.conn.close()  # the store fails under the window (a file gone, say)
    window.history.reopen_requested.emit(first.run_id)  # what double-clicking a run does
    assert window.banner.isVisible()
    assert "closed database" in window.banner.text()
    assert window.status_stage.text().startswith("Error:")
    window._store = Store(db)  # (so that closing works)
    window.close()


@pytest.mark.parametrize(
    "environ, library, expected",
    [
        ({}, "libxcb-cursor.so.0", "no display to open the window on"),
        ({"DISPLAY": ":0"}, None, "sudo apt install libxcb-cursor0"),
        (
            {"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w"},
            None,
            "sudo apt install libxcb-cursor0",
        ),
        ({"DISPLAY": ":0"}, "libxcb-cursor.so.0", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, None, None),  # Qt's Wayland plugin needs no xcb
        ({"QT_QPA_PLATFORM": "offscreen"}, None, None),
    ],
)
def test_a_missing_display_or_xcb_library_is_one_line_before_qt_starts(environ, library, expected):
    from transfer_explorer.gui.app import display_problem

    problem = display_problem(environ, "linux", lambda name: library)
    assert problem is None if expected is None else expected in problem


def test_no_display_exits_2_with_one_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    proc = subprocess.run(
        [sys.executable, "-m", "transfer_explorer", "gui", "--db", str(tmp_path / "runs.sqlite")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): "
        "start it from a desktop session, or set QT_QPA_PLATFORM=offscreen to render "
        "screenshots"
    ]
