"""Start the Qt application; optionally render the window to a PNG and exit."""

from __future__ import annotations

import ctypes.util
import os
import sys

from transfer_explorer.engine.i18n import _

WARM_UP_DELAY_MS = 300

# Qt platforms that need no display server (screenshots, tests, remote framebuffers)
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs")


def display_problem(
    environ=os.environ, platform: str = sys.platform, find_library=None
) -> str | None:
    """Why Qt could not open a window here, in one line (None: it can, as far as we know).

    Checked before the QApplication exists: without a display, or on an X11 desktop without
    libxcb-cursor0, Qt aborts with a plugin error that does not say what to do."""
    qpa = environ.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("linux") or qpa.startswith(HEADLESS_PLATFORMS):
        return None
    x11, wayland = environ.get("DISPLAY"), environ.get("WAYLAND_DISPLAY")
    if not x11 and not wayland:
        return _(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset): "
            "start it from a desktop session, or set QT_QPA_PLATFORM=offscreen to render "
            "screenshots"
        )
    if x11 and (qpa.startswith("xcb") or not wayland):
        find_library = find_library or ctypes.util.find_library
        if find_library("xcb-cursor") is None:
            return _(
                "Qt needs libxcb-cursor0 to open a window on X11: sudo apt install "
                "libxcb-cursor0 (or set QT_QPA_PLATFORM=offscreen for screenshots)"
            )
    return None


def warm_up_soon() -> None:
    """Start a first run's one-time imports once a just-shown window has painted, while the
    person reads it: Run then starts training at once (engine/experiment/warm_up.py)."""
    from PySide6.QtCore import QTimer

    from transfer_explorer.engine.experiment import warm_up

    QTimer.singleShot(WARM_UP_DELAY_MS, warm_up.start_warm_up)


def choose_language(args, settings) -> str:
    """``--lang``, else the one chosen in View → Language, else the system's."""
    from transfer_explorer.gui import language

    chosen = getattr(args, "lang", None) or getattr(args, "sub_lang", None)
    remembered = settings.language() if settings is not None else None
    return chosen or remembered or language.system_language()


def run_app(args) -> int:
    from transfer_explorer.engine.errors import UserError

    problem = display_problem()
    if problem:
        raise UserError(problem)  # one line and exit 2, before Qt can abort the process
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from transfer_explorer.engine.config import ExperimentConfig
    from transfer_explorer.gui import language, theme
    from transfer_explorer.gui.about import app_icon
    from transfer_explorer.gui.main_window import TAB_NAMES, MainWindow
    from transfer_explorer.gui.settings import APPLICATION, ORGANIZATION, AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Transfer Explorer")
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(APPLICATION)  # the .desktop file: its icon in docks and task bars
    app.setWindowIcon(app_icon())
    theme.apply_theme(app)  # light or dark, before any plot exists: plots take its colours
    if theme.requested_mode() == "system":
        theme.follow_system(app)
    language.ensure_hangul_font(app)  # Hangul on a machine without a CJK font too

    screenshot = getattr(args, "screenshot", None)
    if screenshot is not None:  # where it goes, checked before the window is built
        from transfer_explorer.engine.disk.outputs import check_output

        check_output(screenshot, "png", "--screenshot", getattr(args, "db", None), force=True)
    # a screenshot shows the defaults: it neither restores nor changes the user's session
    settings = None if screenshot else AppSettings.open()
    language.switch(choose_language(args, settings))
    try:
        window = MainWindow(
            db=getattr(args, "db", None),
            cache=getattr(args, "cache_dir", None),
            data_root=getattr(args, "data_root", None),
            settings=settings,
        )
    except UserError as exc:  # e.g. --db names a SQLite file of another program
        if app.platformName() not in ("offscreen", "minimal"):  # someone sees a window
            QMessageBox.critical(None, "Transfer Explorer", str(exc))
        raise  # and one line on the terminal, exit 2
    if getattr(args, "config", None):
        window.panel.set_config(ExperimentConfig.from_toml(args.config))
    window.show()
    warm_up_soon()
    if not screenshot:
        return app.exec()
    if getattr(args, "run_default", False):
        loop = QEventLoop()
        window.run_finished.connect(lambda _: loop.quit())
        if window.start_run():
            loop.exec()
    tab = getattr(args, "tab", None)
    if tab:
        if tab not in TAB_NAMES:
            message = _("unknown tab {tab!r}; choose one of {names}").format(
                tab=tab, names=", ".join(TAB_NAMES)
            )
            print(_("error: {message}").format(message=message), file=sys.stderr)
            return 2
        window.select_tab(tab)
        if tab == "data":
            loop = QEventLoop()
            window.data.done.connect(loop.quit)
            window.analyze_data()
            if window.data.busy():
                loop.exec()
    settle = QEventLoop()  # let layouts and the last redraw happen before grabbing
    QTimer.singleShot(200, settle.quit)
    settle.exec()
    from transfer_explorer.gui.save_file import save_png

    try:
        save_png(window, screenshot, window.db_path)
    except (UserError, OSError) as exc:
        message = " ".join(str(exc).splitlines())
        print(_("error: {message}").format(message=message), file=sys.stderr)
        window.close()
        return 2
    window.close()
    return 0
