"""The Compare, History and Matrix tabs in Korean (pytest-qt, offscreen): their words, table
headers and statuses are translated while the rows keep the engine's English values, and a
Matrix tab showing a stored sweep says its verdicts and paragraph again in the new language
when the language is switched while it is open — and back in English after."""

import re

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QCoreApplication, Qt  # noqa: E402

from transfer_explorer.gui import language  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")

SWEEP = {
    "name": "i18n tables",
    "arms": ["none/scratch", "none/feature"],
    "train_fractions": [1.0],
    "seeds": [0, 1],
    "base": {
        "upstream": {"data": "demo", "max_sentences": 200},
        "training": {"epochs": 1, "log_every": 5},
    },
}


def korean(text) -> bool:
    return bool(HANGUL.search(text or ""))


def switch(code: str) -> None:
    """Change the language; deliver the LanguageChange events Qt posted to the widgets."""
    language.switch(code)
    QCoreApplication.processEvents()


def headers(model) -> list[str]:
    return [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]


def shown(model, row: int, column: int) -> str:
    return model.data(model.index(row, column))


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """A store with a finished four-cell sweep (two arms, two seeds), made once."""
    from transfer_explorer.engine.sweep.execute import run_sweep
    from transfer_explorer.engine.sweep.grid import Sweep

    root = tmp_path_factory.mktemp("i18n_tables")
    db = root / "runs.sqlite"
    with pytest.MonkeyPatch.context() as mp:  # the autouse isolation is per test
        mp.setenv("TRANSFER_EXPLORER_HOME", str(root / "home"))
        run_sweep(Sweep.from_dict(SWEEP), db=db, workers=2)
    return db


@pytest.fixture
def window(qtbot, swept, tmp_path):
    import shutil

    from transfer_explorer.gui.main_window import MainWindow

    db = tmp_path / "runs.sqlite"  # a copy: a test may write into its store
    shutil.copy(swept, db)
    w = MainWindow(db=db)
    qtbot.addWidget(w)
    w.show()
    yield w
    if language.installed():  # a test that failed half-way: English again, the window open
        switch("en")
    QCoreApplication.processEvents()  # the language change reaches every widget before close
    w.runs.shutdown()


def test_history_and_compare_speak_korean_and_keep_english_rows(window):
    history, compare = window.history, window.compare
    assert history.count.text() == "4 runs"
    assert headers(history.model)[2] == "status" and shown(history.model, 0, 2) == "✓ finished"
    switch("ko")
    assert all(korean(b.text()) for b in history.buttons.values())
    assert korean(history.buttons["model"].toolTip())
    assert all(korean(h) for h in headers(history.model)[1:])  # "id" → "ID"
    assert korean(history.count.text()) and "4" in history.count.text()
    assert shown(history.model, 0, 2) == "✓ 완료"
    assert history.model.rows[0][2] == "✓ finished"  # the data stays as stored
    assert history.model.rows[0][4] in ("scratch", "feature")

    assert korean(compare.intro.text())
    assert all(korean(h) for h in headers(compare.model))
    for plot in (compare.dev_plot, compare.loss_plot, compare.bar_plot):
        assert korean(plot.getPlotItem().titleLabel.text)
    assert korean(compare.dev_plot.getPlotItem().getAxis("bottom").labelText)
    assert compare.runs.count() == 4 and korean(compare.runs.item(0).text())  # "시드 1"
    assert len(compare.key_labels) == len(compare.checked_ids()) > 0

    switch("en")
    assert history.count.text() == "4 runs" and history.buttons["reopen"].text() == "Reopen"
    assert headers(history.model)[2] == "status" and shown(history.model, 0, 2) == "✓ finished"
    assert not korean(compare.intro.text()) and not korean(compare.runs.item(0).text())


def test_export_message_is_said_again_in_the_new_language(window):
    history = window.history
    history._export_failed(RuntimeError("disk full"))
    assert history.export_status.text() == "Export failed: disk full"
    switch("ko")
    assert history.export_status.text() == "내보내기 실패: disk full"
    switch("en")
    assert history.export_status.text() == "Export failed: disk full"


def test_matrix_rerenders_the_shown_sweep_when_the_language_changes(window):
    matrix = window.matrix
    window.select_tab("matrix")
    # opened in English, on the stored sweep: its map, verdicts and paragraph
    assert matrix.sweep is not None and matrix.sweep.name == "i18n tables"
    story, status = matrix.story.text(), matrix.status.text()
    control, feature = matrix.grid.item(0, 0).text(), matrix.grid.item(1, 0).text()
    tip = matrix.grid.item(1, 0).toolTip()
    assert story and not korean(story)
    assert status.startswith("Sweep ") and "finished" in status
    assert control.startswith("dev ") and control.endswith("control")
    assert "paired t-test over seeds" in tip
    assert matrix.grid.horizontalHeaderItem(0).text() == "100% of train"
    assert headers(matrix.cells)[1] == "arm" and shown(matrix.cells, 0, 5) == "finished"

    switch("ko")  # while the tab is open
    assert korean(matrix.story.text()) and matrix.story.isVisibleTo(matrix)
    assert korean(matrix.status.text())
    assert matrix.grid.item(0, 0).text().endswith("대조군")
    assert matrix.grid.item(1, 0).text().startswith("검증(dev) ")
    assert korean(matrix.grid.item(1, 0).toolTip())
    assert matrix.grid.horizontalHeaderItem(0).text() == "학습 세트의 100%"
    assert all(korean(h) for h in headers(matrix.cells)[1:])
    assert shown(matrix.cells, 0, 5) == "완료" and matrix.cells.rows[0][5] == "finished"
    for button in (matrix.run_button, matrix.stop_button, matrix.open_button):
        assert korean(button.text())
    assert all(korean(b.text()) for b in matrix.exports.values())
    assert korean(matrix.workers.prefix()) and korean(matrix.workers.toolTip())
    assert all(korean(matrix.choice.itemText(i)) for i in range(matrix.choice.count()))
    curve = matrix.curve.getPlotItem()
    assert korean(curve.titleLabel.text) and korean(curve.getAxis("bottom").labelText)
    assert matrix.choice.currentData() and not matrix.choice.currentData().startswith("file:")

    switch("en")  # and back: the same English as before
    assert matrix.story.text() == story
    assert matrix.status.text() == status
    assert (matrix.grid.item(0, 0).text(), matrix.grid.item(1, 0).text()) == (control, feature)
    assert matrix.grid.item(1, 0).toolTip() == tip
    assert matrix.choice.itemText(0).startswith("preset: ")
    assert shown(matrix.cells, 0, 5) == "finished"


def test_matrix_plan_and_running_status_in_korean(window):
    """The plan of a chosen preset (no stored sweep of its definition) and the status line
    of a running sweep, as the tab says them in Korean."""
    from transfer_explorer.engine import events as ev

    matrix = window.matrix
    switch("ko")
    matrix.choice.setCurrentIndex(matrix.choice.findData("stsb-cpu"))
    assert matrix.status.text().startswith("셀 45개: 실험군 5개 × 학습 세트 비율 3개")
    assert {shown(matrix.cells, r, 5) for r in range(matrix.cells.rowCount())} == {"실행 전"}
    assert {r[5] for r in matrix.cells.rows} == {"not run"}
    # what the status line says while a sweep runs (events as the engine sends them)
    matrix._on_events(
        [ev.SweepStarted(7, "stsb-cpu", total=45, skipped=0, executor="local", workers=2)]
    )
    assert matrix.status.text() == "스윕 7: 셀 45개, 워커 2개 · 남은 시간을 추정하는 중…"
    switch("en")
    assert matrix.status.text() == "Sweep 7: 45 cells, 2 worker(s) · estimating the time left…"
