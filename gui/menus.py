"""The menu bar and the keyboard shortcuts: File, Run, View (one shortcut per tab, and the
language), Help. Words are set in ``retranslate``, again whenever the language changes.

Space (pause / resume) is no QAction shortcut: a shortcut would take the space bar from text
fields and buttons, so the window handles it where no widget used the key (keyPressEvent).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from transfer_explorer.gui import language

RUN_KEY = QKeySequence("Ctrl+R")
STOP_KEY = QKeySequence(Qt.Key_Escape)
PAUSE_KEY_TEXT = "Space"
MAX_TAB_SHORTCUTS = 9


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.NativeText)


class Menus(QObject):
    """The window's actions; ``sync`` mirrors the Run / Pause / Stop buttons' state."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        bar = window.menuBar()
        file = bar.addMenu("")
        self.open_store = self._action(file, window.open_store_dialog, QKeySequence.Open)
        self.new_store = self._action(file, window.new_store_dialog, QKeySequence.New)
        self.recent = file.addMenu("")
        self.recent.aboutToShow.connect(self.fill_recent)
        file.addSeparator()
        self.open_data = self._action(file, lambda: window.open_local(pairs=True), "Ctrl+Shift+O")
        file.addSeparator()
        self.quit = self._action(file, window.close, "Ctrl+Q")
        self.quit.setMenuRole(QAction.QuitRole)

        run = bar.addMenu("")
        self.run = self._action(run, lambda: window.start_run(), RUN_KEY)
        # the key is shown after a tab; no shortcut is registered (see the module's note)
        self.pause = self._action(run, window.runs.toggle_pause)
        self.stop = self._action(run, window.stop_run, STOP_KEY)

        view = bar.addMenu("")
        self.tabs = []
        for index in range(min(window.tabs.count(), MAX_TAB_SHORTCUTS)):
            action = self._action(
                view,
                lambda _=False, i=index: window.tabs.setCurrentIndex(i),
                f"Ctrl+{index + 1}",
            )
            self.tabs.append(action)
        view.addSeparator()
        self.language_menu = view.addMenu("")
        self.languages = QActionGroup(self)
        for code, name in language.LANGUAGES.items():  # each name in its own language
            action = self.language_menu.addAction(name)
            action.setCheckable(True)
            action.setData(code)
            action.setChecked(code == language.current())
            self.languages.addAction(action)
        self.languages.triggered.connect(lambda action: self.choose_language(action.data()))

        help_menu = bar.addMenu("")
        self.about = self._action(help_menu, window.show_about)
        self.about.setMenuRole(QAction.AboutRole)
        self.menus = {"file": file, "run": run, "view": view, "help": help_menu}
        self.retranslate()
        window.installEventFilter(self)  # the window's LanguageChange: words again (below)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            # filters run before the window's own handler, which retitles the tabs the View
            # menu repeats: retranslate once that is done
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self.retranslate)
        return False

    def retranslate(self) -> None:
        menus, window = self.menus, self.window
        menus["file"].setTitle(self.tr("&File"))
        self.open_store.setText(self.tr("&Open run store…"))
        self.new_store.setText(self.tr("&New run store…"))
        self.recent.setTitle(self.tr("Open &recent"))
        self.open_data.setText(self.tr("Open &data file…"))
        self.open_data.setStatusTip(
            self.tr(
                "A CSV/TSV/JSONL file of sentence pairs becomes the downstream dataset (or drop the file on the window)"  # noqa: E501
            )
        )
        self.quit.setText(self.tr("&Quit"))
        menus["run"].setTitle(self.tr("&Run"))
        self.run.setText(self.tr("&Run"))
        self.stop.setText(self.tr("&Stop"))
        menus["view"].setTitle(self.tr("&View"))
        for index, action in enumerate(self.tabs):
            title = window.tabs.tabText(index)
            action.setText(f"&{index + 1} {title}")
            window.tabs.setTabToolTip(index, f"{title} ({key_text(action.shortcut())})")
        self.language_menu.setTitle(self.tr("&Language"))
        menus["help"].setTitle(self.tr("&Help"))
        self.about.setText(self.tr("&About Transfer Explorer"))
        panel = window.panel
        panel.run_button.setToolTip(self.tr("Run ({key})").format(key=key_text(RUN_KEY)))
        panel.pause_button.setToolTip(self.tr("Pause / resume ({key})").format(key=PAUSE_KEY_TEXT))
        panel.stop_button.setToolTip(self.tr("Stop ({key})").format(key=key_text(STOP_KEY)))
        self.sync()

    def choose_language(self, code: str) -> None:
        """Switch the whole app at once (no restart), and start in it next time."""
        if code != language.current():
            language.switch(code)
        for action in self.languages.actions():
            action.setChecked(action.data() == code)
        if self.window.settings is not None:
            self.window.settings.set_language(code)

    def _action(self, menu, slot, shortcut=None) -> QAction:
        action = QAction(self.window)
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
            action = menu.addAction(
                str(path) if exists else self.tr("{path} (not found)").format(path=path)
            )
            action.setEnabled(exists)  # during a run: opening it says why it cannot
            if path == current:
                action.setCheckable(True)
                action.setChecked(True)
            action.triggered.connect(lambda _=False, p=path: self.window.open_store(p))
        if not stores:
            menu.addAction(self.tr("No recent run stores")).setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction(self.tr("Clear the list"), self._clear_recent)

    def _clear_recent(self) -> None:
        self.window.settings.clear_recent_stores()
