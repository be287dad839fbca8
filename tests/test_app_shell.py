"""The desktop shell around the experiment: what the app remembers between starts (QSettings),
the File and Help menus, keyboard shortcuts, drag and drop, the light/dark theme and the
Linux desktop entry. Real widgets on QT_QPA_PLATFORM=offscreen; settings in a tmp ini file."""

import argparse
import configparser
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl  # noqa: E402
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QSplitter  # noqa: E402

from tests.conftest import tiny_config  # noqa: E402
from transfer_explorer.engine.config import ExperimentConfig  # noqa: E402
from transfer_explorer.engine.disk.paths import default_db  # noqa: E402
from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.gui import theme  # noqa: E402
from transfer_explorer.gui.about import AboutDialog  # noqa: E402
from transfer_explorer.gui.column_dialog import ColumnMappingDialog  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402
from transfer_explorer.gui.plots import PALETTE  # noqa: E402
from transfer_explorer.gui.settings import AppSettings  # noqa: E402

RUN_TIMEOUT_MS = 120_000
PAIRS_TSV = "sentence1\tsentence2\tscore\n" + "".join(
    f"a man plays guitar {i}\ta guy plays a guitar {i}\t{i % 6}\n" for i in range(40)
)


@pytest.fixture
def settings(tmp_path):
    s = AppSettings.open()  # TRANSFER_EXPLORER_SETTINGS from conftest: a tmp ini file
    assert Path(s.file_name()) == tmp_path / "settings.ini"
    return s


@pytest.fixture
def open_window(qtbot):
    """Make windows; each is shown and closed (its run stopped) at the end."""
    made = []

    def make(**kwargs) -> MainWindow:
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.runs.shutdown()


@pytest.fixture
def store_with_a_run(tmp_path):
    from transfer_explorer.engine import run

    db = tmp_path / "other.sqlite"
    result = run(tiny_config(training__epochs=1, name="in the other store"), db=db)
    assert result.status == "finished"
    return db, result.run_id


def choose(combo, value):
    index = next(
        i
        for i in range(combo.count())
        if combo.itemData(i) == value
        or (isinstance(combo.itemData(i), dict) and combo.itemData(i)["source"] == value)
    )
    combo.setCurrentIndex(index)


def accept_next_dialog(qtbot, kind, seen: list):
    """Accept the next modal dialog of ``kind`` once it runs its own event loop."""
    timer = QTimer()
    timer.setInterval(50)

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            timer.stop()
            seen.append(dialog)
            dialog._accept()

    timer.timeout.connect(poll)
    timer.start()
    return timer


# ---- remembered between starts ----------------------------------------------------------------
def test_a_second_window_restores_the_first_ones_session(qtbot, tmp_path, settings, open_window):
    store = tmp_path / "mine.sqlite"
    first = open_window(db=store, settings=settings)
    # the offscreen screen is 800 x 800 and Qt keeps a restored window on it (the width: see
    # the next test); a height below the default 900 shows the geometry came back
    first.resize(first.width(), 700)
    qtbot.waitUntil(lambda: first.height() == 700)
    first.select_tab("training")  # (the Lesson tab is the first one shown)
    log_splitter = first.training.findChildren(QSplitter)[0]
    log_splitter.setSizes([300, 250])
    log_sizes = log_splitter.sizes()
    assert log_sizes[1] > 200  # not the default share (600 : 110)
    first.select_tab("history")
    choose(first.panel.upstream, "sentiment")
    choose(first.panel.method, "feature")
    choose(first.panel.downstream, "sick")
    first.panel.epochs.setValue(7)
    first.panel.lr.setText("0.0003")
    expected = first.panel.config()
    first.close()

    second = open_window(settings=AppSettings.open())  # no --db: the remembered store
    assert second.db_path == store
    assert second.height() == 700
    assert second.tabs.currentWidget() is second.history
    second.select_tab("training")  # a hidden tab's splitter gets its final size when shown
    restored = second.training.findChildren(QSplitter)[0]
    qtbot.waitUntil(lambda: sum(restored.sizes()) == sum(log_sizes))
    assert all(abs(a - b) <= 2 for a, b in zip(restored.sizes(), log_sizes))
    config = second.panel.config()
    assert config.to_dict() == expected.to_dict()
    assert (config.upstream.task, config.method, config.downstream.data) == (
        "sentiment",
        "feature",
        "sick",
    )
    assert config.training.epochs == 7 and config.training.lr == 0.0003
    assert "epochs 7" in second.panel.advanced_note.text()  # shown as changed, in bold
    assert second.windowTitle() == "Transfer Explorer — mine.sqlite"


RESTART = """
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from transfer_explorer.gui.main_window import MainWindow
from transfer_explorer.gui.settings import AppSettings

first = MainWindow(db=sys.argv[1], settings=AppSettings.open())
first.show()
first.setGeometry(130, 90, 1500, 820)
app.processEvents()
first.splitter.setSizes([560, 1500 - 565])
app.processEvents()
before = {"geometry": first.geometry().getRect(), "sizes": first.splitter.sizes()}
first.close()
second = MainWindow(settings=AppSettings.open())
second.show()
app.processEvents()
after = {"geometry": second.geometry().getRect(), "sizes": second.splitter.sizes()}
second.close()
print(json.dumps({"before": before, "after": after, "db": str(second.db_path)}))
"""


def test_geometry_and_the_panel_splitter_come_back_on_a_wide_screen(tmp_path):
    """Two starts in a process whose (offscreen) screen is 1920 x 1200."""
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "wide",
                        "x": 0,
                        "y": 0,
                        "width": 1920,
                        "height": 1200,
                        "logicalDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    done = subprocess.run(
        [sys.executable, "-c", RESTART, str(tmp_path / "runs.sqlite")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    before, after = seen["before"], seen["after"]
    assert before["geometry"] == [130, 90, 1500, 820] and abs(before["sizes"][0] - 560) < 10
    assert after == before
    assert seen["db"] == str(tmp_path / "runs.sqlite")


def test_the_command_line_wins_over_what_was_remembered(qtbot, tmp_path, settings, monkeypatch):
    from transfer_explorer.gui.app import run_app

    remembered = tmp_path / "remembered.sqlite"
    window = MainWindow(db=remembered, settings=settings)
    window.panel.epochs.setValue(7)
    window.close()
    given = tmp_path / "given.sqlite"
    toml = tmp_path / "exp.toml"
    toml.write_text(tiny_config(training__epochs=3).to_toml(), encoding="utf-8")
    # the window as run_app leaves it to the event loop (which would block the test)
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    args = argparse.Namespace(
        db=str(given), config=str(toml), screenshot=None, cache_dir=None, data_root=None
    )
    assert run_app(args) == 0
    (shown,) = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
    qtbot.addWidget(shown)
    assert shown.db_path == given and shown.panel.epochs.value() == 3
    shown.close()
    assert AppSettings.open().last_store() == given  # what was open at the end: next time's


def test_a_store_that_is_gone_and_corrupt_settings_are_ignored(
    qtbot, tmp_path, settings, open_window
):
    q = settings.q
    q.setValue("store/last", str(tmp_path / "gone.sqlite"))
    q.setValue("panel/experiment", "{not json")
    q.setValue("window/geometry", "not a geometry")
    q.setValue("window/splitter/main", 42)
    q.setValue("window/tab", "no such tab")
    q.setValue("store/recent", "[1, 2")
    q.sync()
    window = open_window(settings=settings)
    assert window.db_path == default_db() and not (tmp_path / "gone.sqlite").exists()
    assert "gone.sqlite" in window.training.log.toPlainText()
    assert window.panel.config().to_dict() == ExperimentConfig().to_dict()
    assert window.tabs.currentIndex() == 0 and settings.recent_stores() == [default_db()]

    # settings of a newer version: unknown keys are dropped, the rest is used
    q.setValue(
        "panel/experiment",
        json.dumps(
            {
                "method": "finetune",
                "a_future_setting": 1,
                "upstream": {"task": "sentiment", "a_future_knob": "x"},
                "training": {"epochs": 4},
            }
        ),
    )
    restored = settings.experiment()
    assert (restored.upstream.task, restored.method, restored.training.epochs) == (
        "sentiment",
        "finetune",
        4,
    )
    for bad in ('{"method": "no-such-method"}', '["a list"]', '{"training": {"epochs": "x"}}'):
        q.setValue("panel/experiment", bad)
        assert settings.experiment() is None, bad
    # a local dataset that was deleted since: back to the default data
    q.setValue(
        "panel/experiment",
        json.dumps(
            {"downstream": {"data": str(tmp_path / "deleted.tsv"), "columns": {"score": "s"}}}
        ),
    )
    assert settings.experiment().downstream.data == ExperimentConfig().downstream.data

    # a remembered "store" that is a file of another program: the default opens instead
    not_a_store = tmp_path / "notes.sqlite"
    not_a_store.write_text("just text, not SQLite\n" * 100)
    q.setValue("store/last", str(not_a_store))
    second = open_window(settings=settings)
    assert second.db_path == default_db()
    assert "cannot be opened" in second.status_stage.text()


# ---- the File menu ----------------------------------------------------------------------------
def test_file_open_run_store_switches_the_window_to_its_runs(
    qtbot, tmp_path, settings, open_window, store_with_a_run, monkeypatch
):
    other, run_id = store_with_a_run
    window = open_window(db=tmp_path / "empty.sqlite", settings=settings)
    assert window.history.model.rowCount() == 0
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    with qtbot.waitSignal(window.store_changed):
        window.menus.open_store.trigger()
    assert window.db_path == other and window.windowTitle().endswith("other.sqlite")
    assert [row[0] for row in window.history.model.rows] == [run_id]
    assert window.history.model.rows[0][1] == "in the other store"
    assert window.compare.checked_ids() == [run_id]
    assert window.playground.ticked_runs() == [run_id]
    assert window.status_store.text() == f"store: {other}"

    # a new run goes into the store now open
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        assert window.start_run(tiny_config(training__epochs=1)), window.banner.text()
    with Store(other) as store:
        assert {r["id"] for r in store.list_runs()} == {run_id, blocker.args[0].run_id}
    assert window.history.model.rowCount() == 2

    # New run store…: an empty store; an existing file is never replaced
    fresh = tmp_path / "fresh.sqlite"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(fresh), ""))
    window.menus.new_store.trigger()
    assert window.db_path == fresh and fresh.is_file() and window.history.model.rowCount() == 0
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(other), ""))
    window.menus.new_store.trigger()
    assert window.db_path == fresh and "already exists" in window.banner.text()
    with Store(other) as store:
        assert len(store.list_runs()) == 2


def test_open_recent_lists_the_last_five_stores(qtbot, tmp_path, settings, open_window):
    window = open_window(db=tmp_path / "s0.sqlite", settings=settings)
    for n in range(1, 7):
        assert window.open_store(tmp_path / f"s{n}.sqlite", create=True)
    assert settings.recent_stores() == [tmp_path / f"s{n}.sqlite" for n in (6, 5, 4, 3, 2)]
    (tmp_path / "s4.sqlite").unlink()
    window.menus.fill_recent()
    actions = [a for a in window.menus.recent.actions() if not a.isSeparator()]
    texts = [a.text() for a in actions]
    assert texts[:5] == [
        str(tmp_path / "s6.sqlite"),
        str(tmp_path / "s5.sqlite"),
        f"{tmp_path / 's4.sqlite'} (not found)",
        str(tmp_path / "s3.sqlite"),
        str(tmp_path / "s2.sqlite"),
    ]
    assert actions[0].isChecked() and not actions[2].isEnabled()
    actions[3].trigger()  # s3
    assert window.db_path == tmp_path / "s3.sqlite"
    assert settings.recent_stores()[0] == tmp_path / "s3.sqlite"
    actions[-1].trigger()  # Clear the list
    window.menus.fill_recent()
    assert [a.text() for a in window.menus.recent.actions()] == ["No recent run stores"]


def drag_and_drop(window, path: Path) -> bool:
    """Drag a file over the window and, if the window takes it, drop it there."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(window, drop)
    return drop.isAccepted()


def test_a_dropped_tsv_becomes_the_downstream_data(
    qtbot, tmp_path, open_window, monkeypatch, store_with_a_run
):
    window = open_window(db=tmp_path / "runs.sqlite")
    tsv = tmp_path / "my pairs.tsv"
    tsv.write_text(PAIRS_TSV, encoding="utf-8")
    seen = []
    timer = accept_next_dialog(qtbot, ColumnMappingDialog, seen)
    assert drag_and_drop(window, tsv)
    qtbot.waitUntil(lambda: window.panel.downstream.value()["source"] == str(tsv), timeout=5000)
    timer.stop()
    assert len(seen) == 1  # the column mapping was shown (and accepted as detected)
    config = window.panel.config()
    assert config.downstream.data == str(tsv)
    assert config.downstream.columns == {
        "sentence1": "sentence1",
        "sentence2": "sentence2",
        "score": "score",
    }
    assert window.panel.downstream.currentText() == "my pairs.tsv — local file"

    photo = tmp_path / "photo.png"  # not a dataset: refused while dragged over
    photo.write_bytes(b"\x89PNG")
    assert not drag_and_drop(window, photo)

    db, run_id = store_with_a_run  # a dropped run store is opened
    with qtbot.waitSignal(window.store_changed):
        assert drag_and_drop(window, db)
    assert [row[0] for row in window.history.model.rows] == [run_id]

    # File → Open data file… goes the same way
    csv_file = tmp_path / "pairs.csv"
    csv_file.write_text(PAIRS_TSV.replace("\t", ","), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(csv_file), ""))
    timer = accept_next_dialog(qtbot, ColumnMappingDialog, seen)
    window.menus.open_data.trigger()
    timer.stop()
    assert window.panel.config().downstream.data == str(csv_file) and len(seen) == 2


# ---- keys, About, Quit --------------------------------------------------------------------------
def test_shortcuts_run_pause_stop_and_switch_tabs(qtbot, tmp_path, open_window):
    window = open_window(db=tmp_path / "runs.sqlite")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.panel.run_button.toolTip() == "Run (Ctrl+R)"
    assert window.panel.pause_button.toolTip() == "Pause / resume (Space)"
    assert window.panel.stop_button.toolTip() == "Stop (Esc)"
    assert window.tabs.count() == 8 and len(window.menus.tabs) == 8
    assert window.tabs.currentWidget() is window.lesson  # the first tab on a first start
    qtbot.keyClick(window, Qt.Key_4, Qt.ControlModifier)
    assert window.tabs.currentWidget() is window.data
    qtbot.keyClick(window, Qt.Key_8, Qt.ControlModifier)
    assert window.tabs.currentWidget() is window.matrix
    assert window.tabs.tabToolTip(7) == "Matrix (Ctrl+8)"
    assert window.tabs.tabToolTip(0) == "Lesson (Ctrl+1)"
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)
    assert window.tabs.currentWidget() is window.training

    qtbot.keyClick(window, Qt.Key_Space)  # nothing runs: nothing to pause
    assert not window.running and not window.menus.stop.isEnabled()
    window.panel.epochs.setValue(200)
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier)
    assert window.running and not window.menus.run.isEnabled()
    qtbot.waitUntil(lambda: window.training.point_count() > 0, timeout=RUN_TIMEOUT_MS)

    line = window.playground.sentence1  # a text field keeps its space bar
    qtbot.keyClick(line, Qt.Key_Space)
    assert line.text() == " " and not window.runs.paused
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key_Space)  # unused by the tab bar: the window's
    assert window.runs.paused and window.panel.pause_button.text() == "Resume"
    assert window.menus.pause.text().startswith("&Resume")
    qtbot.keyClick(window, Qt.Key_Space)
    assert not window.runs.paused

    # no other store while a run writes into this one
    assert not window.open_store(tmp_path / "elsewhere.sqlite", create=True)
    assert "stop it before opening another run store" in window.banner.text()
    assert window.db_path == tmp_path / "runs.sqlite"

    with qtbot.waitSignal(window.run_finished, timeout=30_000) as blocker:
        qtbot.keyClick(window, Qt.Key_Escape)
    assert blocker.args[0].status == "stopped"
    assert window.menus.run.isEnabled() and not window.menus.stop.isEnabled()


def test_about_names_the_versions_and_the_device(qtbot, tmp_path, open_window):
    import PySide6
    import torch
    from PySide6.QtCore import qVersion

    window = open_window(db=tmp_path / "runs.sqlite")
    window.menus.about.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    for expected in (
        f"PyTorch: {torch.__version__}",
        f"transformers: {metadata.version('transformers')}",
        f"Qt: {qVersion()} (PySide6 {PySide6.__version__})",
        f"Transfer Explorer: {metadata.version('transfer-explorer')}",
        f"Run store: {tmp_path / 'runs.sqlite'}",
    ):
        assert expected in text
    device = next(line for line in text.splitlines() if line.startswith("Device: "))
    assert (
        ("CUDA: " + torch.cuda.get_device_name(0)) in device
        if torch.cuda.is_available()
        else device.startswith("Device: CPU")
    )
    assert torch.__version__ in dialog.details.text()  # what the dialog shows, not only holds
    dialog.accept()


def test_quit_closes_the_window_and_remembers(qtbot, tmp_path, settings, open_window):
    window = open_window(db=tmp_path / "runs.sqlite", settings=settings)
    assert window.menus.quit.shortcut().toString() == "Ctrl+Q"
    window.select_tab("compare")
    window.menus.quit.trigger()
    assert not window.isVisible()
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(settings.file_name())
    assert ini["window"]["tab"] == "compare"
    assert ini["store"]["last"] == str(tmp_path / "runs.sqlite")


# ---- light and dark ------------------------------------------------------------------------------
def _contrast(a: str, b: str) -> float:
    def luminance(color: str) -> float:
        channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def qapp_theme(qapp):
    yield qapp
    theme.apply_theme(qapp, "system")  # the platform's palette again for the next tests


def test_plots_follow_a_forced_or_switched_dark_and_light_theme(
    qtbot, tmp_path, open_window, qapp_theme, monkeypatch
):
    assert theme.requested_mode({"TRANSFER_EXPLORER_THEME": "Dark"}) == "dark"
    assert theme.requested_mode({"TRANSFER_EXPLORER_THEME": "purple"}) == "system"
    assert theme.apply_theme(qapp_theme, "dark") == "dark"
    window = open_window(db=tmp_path / "runs.sqlite")
    plot = window.training.plots["down_loss"]
    background = plot.backgroundBrush().color().name()
    axis = plot.getPlotItem().getAxis("left").textPen().color().name()
    assert QApplication.palette().color(QPalette.Window).lightness() < 80
    assert plot.backgroundBrush().color().lightness() < 60
    assert _contrast(axis, background) >= 7
    for color in PALETTE:  # every curve colour reads on the dark and on the light plot
        assert _contrast(color, background) >= 3, color

    # the desktop switches to light while the window is open: the plots follow
    slot = theme.follow_system(qapp_theme)
    monkeypatch.setattr(theme, "system_scheme", lambda: "light")
    try:
        QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    finally:
        QApplication.styleHints().colorSchemeChanged.disconnect(slot)
    qtbot.waitUntil(lambda: plot.backgroundBrush().color().name() == "#ffffff")  # posted
    light = plot.backgroundBrush().color().name()
    title = window.training.plots["up_dev"].getPlotItem().titleLabel
    drawn = pg.mkColor(title.opts["color"]).name()
    assert f"color:{drawn}" in title.item.toHtml() and _contrast(drawn, light) >= 7
    assert _contrast(plot.getPlotItem().getAxis("left").textPen().color().name(), light) >= 7
    for color in PALETTE:
        assert _contrast(color, light) >= 3, color


# ---- the desktop entry -------------------------------------------------------------------------
def test_install_desktop_entry_writes_a_valid_entry_and_the_icon(tmp_path):
    script = Path(sys.executable).with_name("transfer-explorer")
    if not script.is_file():
        pytest.skip("the transfer-explorer script is not installed beside this Python")
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run(
        [str(script), "--install-desktop-entry"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    entry = tmp_path / "share" / "applications" / "transfer-explorer.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "transfer-explorer.svg"
    assert done.stdout.splitlines() == [f"wrote {entry}", f"wrote {icon}"]
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(entry, encoding="utf-8")
    keys = parser["Desktop Entry"]
    assert keys["Type"] == "Application" and keys["Name"] == "Transfer Explorer"
    assert keys["Exec"] == str(script.resolve())
    assert keys["Icon"] == "transfer-explorer" and keys["Terminal"] == "false"
    assert "Science" in keys["Categories"].split(";") and keys["Categories"].endswith(";")
    assert icon.read_bytes().startswith(b"<svg") and b"</svg>" in icon.read_bytes()


def test_the_desktop_entry_needs_no_qt_and_quotes_odd_paths(tmp_path):
    code = (
        "import sys\n"
        "from transfer_explorer import launcher\n"
        "sys.argv = ['transfer-explorer', '--install-desktop-entry']\n"
        "try:\n    launcher.main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = [m for m in ('PySide6', 'torch') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr

    from transfer_explorer.desktop import desktop_entry, install, quote_exec_arg

    assert quote_exec_arg("/opt/te/bin/transfer-explorer") == "/opt/te/bin/transfer-explorer"
    assert quote_exec_arg("/home/a b/transfer-explorer") == '"/home/a b/transfer-explorer"'
    # "$" is escaped for the Exec quoting, then the backslash for the string value
    assert quote_exec_arg("/x/$HOME/te") == '"/x/\\\\$HOME/te"'
    assert "Exec=/usr/bin/python3 -m transfer_explorer" in desktop_entry(
        ["/usr/bin/python3", "-m", "transfer_explorer"]
    )
    out, err = [], []

    class Sink:
        def __init__(self, lines):
            self.write = lines.append

    assert install(platform="darwin", out=Sink(out), err=Sink(err)) == 2
    assert "for Linux desktops" in "".join(err) and not out


def test_the_app_warms_up_the_first_run_once_the_window_shows(
    qtbot, tmp_path, settings, monkeypatch
):
    from transfer_explorer.engine.experiment import warm_up
    from transfer_explorer.gui.app import run_app

    shown_when_called = []
    monkeypatch.setattr(
        warm_up,
        "start_warm_up",
        lambda: shown_when_called.append(
            [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            ]
        ),
    )
    monkeypatch.setattr(QApplication, "exec", lambda *_: 0)
    args = argparse.Namespace(
        db=str(tmp_path / "runs.sqlite"),
        config=None,
        screenshot=None,
        cache_dir=None,
        data_root=None,
    )
    assert run_app(args) == 0
    assert shown_when_called == []  # not before the window has had time to paint
    qtbot.waitUntil(lambda: bool(shown_when_called), timeout=5000)
    (visible,) = shown_when_called  # called once, with the window on screen
    (shown,) = visible
    qtbot.addWidget(shown)
    shown.close()
