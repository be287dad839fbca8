"""The menu bar and the keyboard shortcuts: File, Run, View (one shortcut per tab), Help.

Space (pause / resume) is no QAction shortcut: a shortcut would take the space bar from text
fields and buttons, so the window handles it where no widget used the key (keyPressEvent).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

RUN_KEY = QKeySequence("Ctrl+R")
STOP_KEY = QKeySequence(Qt.Key_Escape)
PAUSE_KEY_TEXT = "Space"
MAX_TAB_SHORTCUTS = 9


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.NativeText)


class Menus:
    """The window's actions; ``sync`` mirrors the Run / Pause / Stop buttons' state."""

    def __init__(self, window):
        self.window = window
        bar = window.menuBar()
        file = bar.addMenu("&File")
        self.open_store = self._action(
            file, "&Open run store…", window.open_store_dialog, QKeySequence.Open
        )
        self.new_store = self._action(
            file, "&New run store…", window.new_store_dialog, QKeySequence.New
        )
        self.recent = file.addMenu("Open &recent")
        self.recent.aboutToShow.connect(self.fill_recent)
        file.addSeparator()
        self.open_data = self._action(
            file, "Open &data file…", lambda: window.open_local(pairs=True), "Ctrl+Shift+O"
        )
        self.open_data.setStatusTip(
            "A CSV/TSV/JSONL file of sentence pairs becomes the "
            "downstream dataset (or drop the file on the window)"
        )
        file.addSeparator()
        self.quit = self._action(file, "&Quit", window.close, "Ctrl+Q")
        self.quit.setMenuRole(QAction.QuitRole)

        run = bar.addMenu("&Run")
        self.run = self._action(run, "&Run", lambda: window.start_run(), RUN_KEY)
        # the key is shown after a tab; no shortcut is registered (see the module's note)
        self.pause = self._action(run, f"&Pause\t{PAUSE_KEY_TEXT}", window.runs.toggle_pause)
        self.stop = self._action(run, "&Stop", window.stop_run, STOP_KEY)

        view = bar.addMenu("&View")
        self.tabs = []
        for index in range(min(window.tabs.count(), MAX_TAB_SHORTCUTS)):
            title = window.tabs.tabText(index)
            action = self._action(
                view,
                f"&{index + 1} {title}",
                lambda _=False, i=index: window.tabs.setCurrentIndex(i),
                f"Ctrl+{index + 1}",
            )
            window.tabs.setTabToolTip(index, f"{title} ({key_text(action.shortcut())})")
            self.tabs.append(action)

        help_menu = bar.addMenu("&Help")
        self.about = self._action(help_menu, "&About Transfer Explorer", window.show_about)
        self.about.setMenuRole(QAction.AboutRole)
        self.menus = {"file": file, "run": run, "view": view, "help": help_menu}

        panel = window.panel
        panel.run_button.setToolTip(f"Run ({key_text(RUN_KEY)})")
        panel.pause_button.setToolTip(f"Pause / resume ({PAUSE_KEY_TEXT})")
        panel.stop_button.setToolTip(f"Stop ({key_text(STOP_KEY)})")
        self.sync()

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda *_: slot())
        menu.addAction(action)
        return action

    def sync(self) -> None:
        """Ctrl+R, Space and Esc do what the buttons would: nothing when they are greyed."""
        panel = self.window.panel
        self.run.setEnabled(panel.run_button.isEnabled())
        self.pause.setEnabled(panel.pause_button.isEnabled())
        self.stop.setEnabled(panel.stop_button.isEnabled())
        self.pause.setText(f"&{panel.pause_button.text()}\t{PAUSE_KEY_TEXT}")

    def fill_recent(self) -> None:
        """Up to five stores opened lately; one that is gone is shown, greyed."""
        menu = self.recent
        menu.clear()
        settings = self.window.settings
        stores = settings.recent_stores() if settings is not None else []
        current = Path(self.window.db_path).absolute()
        for path in stores:
            exists = path.is_file()
            action = menu.addAction(str(path) if exists else f"{path} (not found)")
            action.setEnabled(exists)  # during a run: opening it says why it cannot
            if path == current:
                action.setCheckable(True)
                action.setChecked(True)
            action.triggered.connect(lambda _=False, p=path: self.window.open_store(p))
        if not stores:
            menu.addAction("No recent run stores").setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction("Clear the list", self._clear_recent)

    def _clear_recent(self) -> None:
        self.window.settings.clear_recent_stores()
