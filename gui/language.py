"""The window's language: Qt's translators for the window, gettext for the engine's words.

:func:`switch` installs the ``.qm`` of the app (``resources/i18n``) and Qt's own (standard
buttons, file dialogs), and points the engine's gettext at the same language, in that order,
so when Qt sends every widget ``QEvent.LanguageChange`` the engine already speaks the new
language. Widgets set their words in ``retranslate()`` and call it again on that event.
:func:`ensure_hangul_font` makes Hangul render on a machine without a CJK font.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from transfer_explorer.engine import i18n
from transfer_explorer.engine.fonts import FAMILY, hangul_font_file

LANGUAGES = i18n.LANGUAGES  # code → the language's own name ("English", "한국어")

_installed: list[QTranslator] = []  # kept alive: Qt does not own installed translators


def system_language() -> str:
    """The supported language the desktop asks for (English when it asks for another)."""
    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else i18n.system_language()


def current() -> str:
    return i18n.language()


def installed() -> bool:
    """Whether a translator of ours is in (the window shows a language other than English)."""
    return bool(_installed)


def switch(code: str) -> str:
    """Show the app in ``code`` from now on, open windows included; returns ``code``."""
    app = QCoreApplication.instance()
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    i18n.set_language(code)
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if code != i18n.DEFAULT:
        ours = QTranslator(app)
        folder = str(resources.files("transfer_explorer.resources") / "i18n")
        if not ours.load(f"transfer_explorer_{code}", folder):
            raise RuntimeError(f"the {LANGUAGES[code]} translation is missing from {folder}")
        qt_own = QTranslator(app)  # Qt's dialogs and standard buttons; absent is fine
        if qt_own.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
            _installed.append(qt_own)
        _installed.append(ours)
    for translator in _installed:
        app.installTranslator(translator)  # each sends LanguageChange to every widget
    if not _installed:  # back to English: removing them sent it already, unless none were in
        QCoreApplication.sendEvent(app, _language_change())
    QLocale.setDefault(QLocale(code))
    return code


def _language_change():
    from PySide6.QtCore import QEvent

    return QEvent(QEvent.Type.LanguageChange)


def hangul_families() -> list[str]:
    """Installed font families that can write Korean."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.Korean)


def ensure_hangul_font(app: QGuiApplication) -> str | None:
    """Make Hangul render: when no installed font writes Korean, load the shipped NanumGothic
    and put it after the app's font as a fallback. Returns the family that draws Hangul
    (None: none found, Hangul shows as boxes)."""
    families = hangul_families()
    if not families:
        path = hangul_font_file()
        if path is None or QFontDatabase.addApplicationFont(str(path)) < 0:
            return None
        families = [FAMILY]
    family = FAMILY if FAMILY in families else families[0]
    font = QFont(app.font())
    if family not in font.families():
        font.setFamilies([*font.families(), family])
        app.setFont(font)
    return family
