"""The main window, the experiment panel, the error banner and the column dialog in Korean
(pytest-qt, offscreen): after ``language.switch("ko")`` their words are Korean, switching an
open English window retranslates it (combo entries keep their data and the choice, the
explanation and the status bar are written again), and switching back restores English."""

import re
from types import SimpleNamespace

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QCoreApplication  # noqa: E402

from transfer_explorer.engine.errors import ConfigError  # noqa: E402
from transfer_explorer.gui import language  # noqa: E402
from transfer_explorer.gui.main_window import TAB_NAMES, MainWindow  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def korean(text: str) -> bool:
    return bool(HANGUL.search(text or ""))


def switch(code: str) -> None:
    """Change the language and deliver the LanguageChange events (and the menus' timer)."""
    language.switch(code)
    for _unused in range(3):
        QCoreApplication.processEvents()


@pytest.fixture
def english_after():
    yield
    language.switch("en")
    QCoreApplication.processEvents()


@pytest.fixture
def window(qtbot, db, english_after):
    w = MainWindow(db=db)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runs.shutdown()


def choose(combo, source):
    """Pick a DatasetCombo entry by its source."""
    for i in range(combo.count()):
        data = combo.itemData(i)
        if isinstance(data, dict) and data["source"] == source:
            combo.setCurrentIndex(i)
            return
    raise AssertionError(f"no entry {source!r}")


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def combo_data(combo) -> list:
    return [combo.itemData(i) for i in range(combo.count())]


def words(w) -> dict[str, object]:
    """What a reader sees of the window's own words (not the tabs' contents)."""
    panel = w.panel
    return {
        "tabs": [w.tabs.tabText(i) for i in range(w.tabs.count())],
        "groups": [
            panel.upstream_group.title(),
            panel.method_group.title(),
            panel.downstream_group.title(),
        ],
        "buttons": [b.text() for b in (panel.run_button, panel.pause_button, panel.stop_button)],
        "form": [panel.task_label.text(), panel.method_label.text(), panel.folder_button.text()],
        "advanced": [panel.advanced.text(), panel.advanced_note.text()],
        "rows": [label.text() for label in panel._labels.values()],
        "upstream": combo_texts(panel.upstream),
        "method": combo_texts(panel.method),
        "downstream": combo_texts(panel.downstream),
        "head": combo_texts(panel.head),
        "explanation": panel.explanation.text(),
        "status": w.status_stage.text(),
        "store": w.status_store.text(),
        "details": w.banner.details_button.text(),
    }


def test_a_window_built_in_korean_speaks_korean(qtbot, db, english_after):
    switch("ko")
    w = MainWindow(db=db)
    qtbot.addWidget(w)
    try:
        seen = words(w)
        for key in ("tabs", "groups", "buttons", "form", "rows", "advanced"):
            assert all(korean(text) for text in seen[key]), (key, seen[key])
        assert seen["tabs"] == [
            "수업",
            "학습",
            "예측",
            "데이터",
            "비교",
            "플레이그라운드",
            "기록",
            "매트릭스",
        ]
        assert "실행" in seen["buttons"][0] and "중지" in seen["buttons"][2]
        assert korean(seen["explanation"]) and korean(seen["status"]) and korean(seen["store"])
        assert all(korean(t) for t in seen["method"])
        assert korean(w.panel.downstream.currentText())  # "demo — 내장, 오프라인"
        # the tab identifiers stay English: --tab and the settings use them
        w.select_tab("matrix")
        assert w.tabs.currentWidget() is w.matrix and TAB_NAMES[-1] == "matrix"
    finally:
        w.runs.shutdown()


def test_switching_retranslates_an_open_window_and_back(window):
    panel = window.panel
    panel.method.set_value("feature")
    choose(panel.downstream, "stsb")
    panel.epochs.setValue(7)  # a changed advanced setting: named in the note
    english = words(window)
    assert not any(korean(str(v)) for v in english.values())
    assert "epochs 7" in english["advanced"][1]
    data = {c: combo_data(c) for c in (panel.upstream, panel.method, panel.downstream)}
    config = panel.config()

    switch("ko")
    seen = words(window)
    for key in ("tabs", "groups", "buttons", "form", "advanced", "method", "head"):
        assert all(korean(t) for t in seen[key] if t not in ("auto",)), (key, seen[key])
    assert korean(seen["explanation"]) and seen["explanation"] != english["explanation"]
    assert korean(seen["status"]) and korean(seen["store"]) and korean(seen["details"])
    assert "에폭 7" in seen["advanced"][1]
    # entries keep their data and the choice; only the words changed
    for combo, before in data.items():
        assert combo_data(combo) == before
    assert panel.method.value() == "feature"
    assert panel.downstream.value()["source"] == "stsb"
    assert panel.config() == config
    # the menus rebuilt from the tab titles; the panel's buttons' tooltips too
    assert window.menus.tabs[0].text().endswith("수업")  # the Lesson
    assert window.menus.tabs[1].text().endswith("학습")  # Training
    assert korean(panel.run_button.toolTip())

    switch("en")
    assert words(window) == english
    assert panel.config() == config


def test_the_status_bar_is_written_again_from_its_state(window):
    window.show_error("boom")
    assert window.status_stage.text() == "Error: boom"
    switch("ko")
    assert window.status_stage.text() == "오류: boom"  # the message itself stays as given
    window._run_finished(SimpleNamespace(run_id=3, status="stopped", seconds=1.25))
    assert korean(window.status_stage.text()) and "3" in window.status_stage.text()
    switch("en")
    assert window.status_stage.text() == "Run 3 stopped (1.2 s)"


def test_pause_button_follows_state_and_language(window):
    panel = window.panel
    panel.set_running(True, paused=True)
    assert panel.pause_button.text() == "Resume"
    switch("ko")
    assert panel.pause_button.text() == "재개"
    panel.set_running(True, paused=False)
    assert panel.pause_button.text() == "일시 정지"
    panel.set_running(False)


def test_a_field_that_is_not_a_number_says_so_in_korean(window):
    field = next(b.widget for b in window.panel.bindings if b.path == "training.weight_decay")
    field.setText("a lot")
    switch("ko")
    with pytest.raises(ConfigError, match="가중치 감쇠: 'a lot'은\\(는\\) 숫자가 아닙니다"):
        window.panel.config()
    switch("en")
    with pytest.raises(ConfigError, match="weight decay: 'a lot' is not a number"):
        window.panel.config()


def test_the_column_dialog_in_korean(qtbot, tmp_path, english_after):
    from transfer_explorer.engine.data.files import read_table
    from transfer_explorer.gui.column_dialog import ColumnMappingDialog

    path = tmp_path / "pairs.tsv"
    path.write_text("a\tb\tscore\nhello\tworld\t1.0\n", encoding="utf-8")
    dialog = ColumnMappingDialog(read_table(str(path)), pairs=True)
    qtbot.addWidget(dialog)
    dialog._accept()  # no sentence columns chosen: a problem is shown
    english = (dialog.windowTitle(), dialog.intro.text(), dialog.problem.text())
    assert english[2] == "choose a column for sentence1, sentence2"
    switch("ko")
    assert all(korean(t) for t in (dialog.windowTitle(), dialog.intro.text()))
    assert dialog.problem.text() == "sentence1, sentence2에 쓸 열을 고르십시오"
    assert dialog.combos["sentence1"].itemText(0) == "— 없음 —"
    switch("en")
    assert (dialog.windowTitle(), dialog.intro.text(), dialog.problem.text()) == english
