"""The Korean translation as a whole: complete, in step with the code, compiled, rendered.

Area tests (errors of the data loaders, the verdict paragraph, the command line, each tab)
are in tests/test_i18n_*.py; this file checks what holds for every message and every widget.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import i18n as tool  # noqa: E402  (tools/i18n.py: extraction, compilation, completeness)

from transfer_explorer.engine import i18n  # noqa: E402

HANGUL = re.compile("[\uac00-\ud7a3]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%n")
# words that stay as they are in Korean: names of datasets, models, tools; units and symbols
ALLOWED = re.compile(
    r"^(STS-B|KorSTS|KorNLI|NSMC|SST-2|SICK|QQP|MRPC|BERT|GPT(-2)?|MiniLM|all-MiniLM-L6-v2|"
    r"word2vec|GloVe|Transfer Explorer|SQLite|CUDA|CPU|GPU|MPS|auto|cpu|cuda|mps|English|"
    r"한국어|transformer|bilstm|tiny|small|base|BiLSTM|Transformer|AdamW|demo|stsb|korsts|"
    r"TOML|CSV|PNG|JSON|ONNX|TensorBoard|Ctrl\+\S+|Esc|Space|STS|Benchmark|SNLI|MultiNLI|"
    r"ID|snli|multi_nli|klue-sts|sst2|nsmc|kornli|sick|qqp|mrpc|KLUE-STS|bert-base-uncased|gpt2|bf16|fp16|fp32|[\w.-]+/[\w.-]+)$"
)
NUMBERISH = re.compile(r"^[\s\d.,:;%×x±+\-–—/()\[\]<>=#→·…|*&°]*$")


def shown_ok(text: str) -> bool:
    """Korean, or a name on the allowlist, a number, a path or nothing."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&", "").strip()  # rich text, mnemonics
    if not text or HANGUL.search(text) or NUMBERISH.match(text):
        return True
    words = [w for w in re.split(r"[\s,;:()]+", text) if w]
    return all(
        ALLOWED.match(w) or NUMBERISH.match(w) or "/" in w or "\\" in w or w.endswith(".sqlite")
        for w in words
    )


# ---- the engine's gettext ------------------------------------------------------------------
@pytest.mark.parametrize(
    "environ, expected",
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:ko:en", "LANG": "fr_FR.UTF-8"}, "ko"),
        ({"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, "en"),  # LC_ALL wins over LANG
        ({"LC_MESSAGES": "ko_KR", "LANG": "en_US"}, "ko"),
        ({}, "en"),
    ],
)
def test_the_system_language_follows_the_posix_variables(environ, expected):
    assert i18n.system_language(environ) == expected


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="en, ko"):
        i18n.set_language("xx")
    assert i18n.language() == "en"


def test_korean_is_used_and_english_comes_back():
    message = "error: {message}"
    assert i18n.set_language("ko") == "ko"
    korean = i18n._(message)
    assert HANGUL.search(korean) and "{message}" in korean
    i18n.set_language("en")
    assert i18n._(message) == message


# ---- the catalogs --------------------------------------------------------------------------
def test_no_message_is_left_unfinished():
    """0 unfinished messages in the .ts, 0 empty or fuzzy entries in the .po."""
    assert tool.unfinished_ts("ko") == []
    assert tool.unfinished_po("ko") == []


def _ts_messages(path: Path) -> dict[tuple[str, str], list[str]]:
    messages = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = translation.findall("numerusform") or [translation]
            messages[(name, message.findtext("source"))] = [f.text or "" for f in forms]
    return messages


def test_the_ts_holds_every_string_of_the_window(tmp_path):
    """A fresh extraction from gui/ finds exactly the committed messages: nothing added to the
    window without going into the translation, nothing stale left in it."""
    fresh = tmp_path / "fresh.ts"
    files = [str(p) for p in tool.python_files(tool.QT_SOURCES)]
    lupdate = tool._qt_tool("pyside6-lupdate")
    subprocess.run(
        [lupdate, *files, "-no-obsolete", "-locations", "none", "-ts", str(fresh)],
        check=True, capture_output=True,
    )  # fmt: skip
    assert set(_ts_messages(fresh)) == set(_ts_messages(tool.ts_path("ko")))


def test_the_po_holds_every_message_of_the_engine():
    from babel.messages.pofile import read_po

    extracted = {m.id for m in tool.extract_engine() if m.id}
    with tool.po_path("ko").open("rb") as f:
        committed = {m.id for m in read_po(f, locale="ko") if m.id}
    assert extracted == committed


def test_the_compiled_files_match_their_sources(tmp_path):
    """The committed .mo and .qm are what their .po and .ts compile to (so a fresh install,
    which compiles nothing, shows today's translation)."""
    assert tool.compiled_mo("ko") == tool.mo_path("ko").read_bytes()
    qm = tmp_path / "ko.qm"
    lrelease = tool._qt_tool("pyside6-lrelease")
    subprocess.run([lrelease, "-silent", str(tool.ts_path("ko")), "-qm", str(qm)], check=True)
    assert qm.read_bytes() == tool.qm_path("ko").read_bytes()


def test_translations_keep_every_placeholder():
    """{path}, {n:,}, %n … appear in the Korean exactly as in the English: a missing one
    would drop a number from the sentence, a misspelt one would raise KeyError."""
    from babel.messages.pofile import read_po

    bad = []
    with tool.po_path("ko").open("rb") as f:
        for m in read_po(f, locale="ko"):
            if not m.id:
                continue
            source = m.id if isinstance(m.id, str) else m.id[0]
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            for text in strings:
                if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                    bad.append((source, text))
    for (_context, source), forms in _ts_messages(tool.ts_path("ko")).items():
        for text in forms:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                bad.append((source, text))
    assert bad == []


def test_the_glossary_terms_are_the_ones_used():
    """The glossary's core terms appear in the catalogs, and their rejected synonyms do not."""
    text = tool.po_path("ko").read_text(encoding="utf-8") + tool.ts_path("ko").read_text(
        encoding="utf-8"
    )
    for term in ("사전 학습", "미세 조정", "처음부터 학습", "특징 기반", "제로샷", "업스트림"):
        assert term in text, term
    for synonym in ("파인튜닝", "파인 튜닝", "프리트레이닝", "스크래치"):
        assert synonym not in text, synonym


# ---- the window ----------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, tmp_path):
    from transfer_explorer.gui.main_window import MainWindow

    win = MainWindow(db=tmp_path / "runs.sqlite")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    from transfer_explorer.gui import language

    language.switch("en")


def visible_words(win) -> list[tuple[str, str]]:
    """(where, text) of every word the window shows now: widgets of every tab, tool tips,
    menus and their actions, tab titles, table headers, combo items, plot titles and axes."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTableView,
        QTabWidget,
        QTextEdit,
        QWidget,
    )

    found = {}

    def add(where, text):
        if text:
            found[(where, text)] = None

    def add_widget(widget):
        name = f"{type(widget).__name__} {widget.objectName()}"
        add(f"{name} tip", widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            add(name, widget.text())
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            add(f"{name} placeholder", widget.placeholderText())
        if isinstance(widget, QGroupBox):
            add(name, widget.title())
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                add(f"{name} item", widget.itemText(i))
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(f"{name} tab", widget.tabText(i))
        if isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            for c in range(model.columnCount()):
                add(f"{name} header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))

    for index in range(win.tabs.count()):  # each tab shown in turn: hidden ones are skipped
        win.tabs.setCurrentIndex(index)
        add("tab", win.tabs.tabText(index))
        add("tab tip", win.tabs.tabToolTip(index))
        for widget in win.findChildren(QWidget):
            if widget.isVisibleTo(win):
                add_widget(widget)
    for menu in win.menus.menus.values():
        add("menu", menu.title())
        for action in menu.actions():
            add("action", action.text().split("\t")[0])
            if action.menu():
                for sub in action.menu().actions():
                    add("action", sub.text())
    import pyqtgraph as pg

    for plot in win.findChildren(pg.PlotWidget):
        item = plot.getPlotItem()
        add("plot title", item.titleLabel.text)
        for side in ("left", "bottom"):
            add("plot axis", item.getAxis(side).labelText)
    return list(found)


def test_every_word_of_the_window_is_korean(window, qtbot):
    """With Korean loaded, every text, tool tip, menu action, tab title, header and plot label
    holds Hangul or is a name on the allowlist (STS-B, BERT, numbers, paths …)."""
    from transfer_explorer.gui import language

    language.switch("ko")
    qtbot.wait(10)  # Qt posts LanguageChange to the windows
    english = [(where, text) for where, text in visible_words(window) if not shown_ok(text)]
    assert english == [], english


def test_switching_at_run_time_retranslates_the_open_window(window, qtbot):
    from transfer_explorer.gui import language

    before = dict(visible_words(window))
    assert not any(HANGUL.search(text) for text in before.values())
    window.menus.choose_language("ko")
    qtbot.wait(10)  # the View menu follows the tab titles on the next turn of the loop
    words = visible_words(window)
    assert sum(bool(HANGUL.search(text)) for _where, text in words) > 50
    assert window.tabs.tabText(0) != "Training" and HANGUL.search(window.tabs.tabText(0))
    assert HANGUL.search(window.menus.tabs[0].text())  # the View menu's tab entries too
    language.switch("en")
    qtbot.wait(10)
    assert not [(w, t) for w, t in visible_words(window) if HANGUL.search(t) and "한국어" not in t]


def test_the_language_chosen_is_remembered(qtbot, tmp_path):
    from transfer_explorer.gui.app import choose_language
    from transfer_explorer.gui.main_window import MainWindow
    from transfer_explorer.gui.settings import AppSettings

    settings = AppSettings.open()
    win = MainWindow(db=tmp_path / "runs.sqlite", settings=settings)
    qtbot.addWidget(win)
    win.menus.choose_language("ko")
    settings.sync()
    again = AppSettings.open()
    assert again.language() == "ko"

    class Args:
        lang = None

    assert choose_language(Args(), again) == "ko"
    Args.lang = "en"  # --lang wins over what was remembered
    assert choose_language(Args(), again) == "en"


# ---- Hangul on screen ----------------------------------------------------------------------
def test_hangul_has_a_font_even_without_a_cjk_font_installed(qapp):
    from PySide6.QtGui import QFont, QFontInfo, QFontMetrics

    from transfer_explorer.gui import language

    family = language.ensure_hangul_font(qapp)
    assert family is not None
    font = QFont(family)
    assert QFontInfo(font).family() == family  # the font itself, not a substitute
    assert QFontMetrics(font).inFontUcs4(ord("한")) and QFontMetrics(font).inFontUcs4(ord("국"))
    assert family in qapp.font().families()  # after the app's own font: a fallback


def test_a_korean_screenshot_draws_hangul(tmp_path):
    """`transfer-explorer gui --screenshot` under LANG=ko_KR renders the window in Korean
    (it differs from the English one; the test above shows the font it draws Hangul with)."""
    import os

    shots = {}
    for lang in ("en", "ko"):
        out = tmp_path / f"{lang}.png"
        env = {**os.environ, "LANG": f"{'ko_KR' if lang == 'ko' else 'en_US'}.UTF-8"}
        proc = subprocess.run(
            [sys.executable, "-m", "transfer_explorer", "gui", "--screenshot", str(out),
             "--db", str(tmp_path / "runs.sqlite")],
            env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
        shots[lang] = out.read_bytes()
    assert shots["en"] != shots["ko"]


# ---- the code ------------------------------------------------------------------------------
def test_no_function_that_translates_also_rebinds_the_underscore():
    """`for _ in …` or `a, _ = …` in a function that calls `_()` makes `_` local there: the
    translation call would raise UnboundLocalError on a path tests may never take."""
    import ast

    bad = []
    for folder in ("engine", "gui", "transfer_explorer"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for fn in ast.walk(tree):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                    continue
                params = {a.arg for a in fn.args.args + fn.args.kwonlyargs + fn.args.posonlyargs}
                nodes = [n for b in (fn.body if isinstance(fn.body, list) else [fn.body])
                         for n in ast.walk(b)]  # fmt: skip
                rebinds = "_" in params or any(
                    isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                    for n in nodes
                )
                calls = any(
                    isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                    for n in nodes
                )
                if rebinds and calls:
                    bad.append(f"{path.relative_to(ROOT)}:{fn.lineno}")
    assert bad == []
