"""The Training, Predictions, Data and Playground tabs in Korean (pytest-qt, offscreen): every
word they show is translated, switching the language while a tab is open retranslates it
(plots, keys and state-dependent lines included), and the Playground scores a Korean pair
with a real tiny trained model."""

import re

import pytest

pytest.importorskip("pytestqt")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QLineEdit, QPlainTextEdit  # noqa: E402

from tests.conftest import tiny_config  # noqa: E402
from transfer_explorer.gui import language  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KOREAN_PAIR = ("남자가 기타를 치고 있다.", "한 남성이 기타를 연주한다.")


def switch(code: str) -> None:
    """Change the language; Qt posts LanguageChange to the windows: deliver it now."""
    from PySide6.QtCore import QCoreApplication

    language.switch(code)
    QCoreApplication.processEvents()


def korean(text: str) -> bool:
    return bool(HANGUL.search(text or ""))


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """A finished tiny run, its store and every event it sent, made once."""
    from transfer_explorer.engine import run

    root = tmp_path_factory.mktemp("i18n_tabs")
    events = []
    with pytest.MonkeyPatch.context() as mp:  # the autouse isolation is per test
        mp.setenv("TRANSFER_EXPLORER_HOME", str(root / "home"))
        db = root / "runs.sqlite"
        result = run(tiny_config(training__epochs=1), emit=events.append, db=db)
    assert result.status == "finished"
    return db, result, events


@pytest.fixture
def english_after():
    yield
    language.switch("en")


def plot_words(plot: pg.PlotWidget) -> list[str]:
    """A plot's title, axis labels and the names in its key."""
    item = plot.getPlotItem()
    words = [item.titleLabel.text] + [item.getAxis(s).labelText for s in ("left", "bottom")]
    if item.legend is not None:
        words += [label.text for _sample, label in item.legend.items]
    return [w for w in words if w]


def widget_words(tab) -> list[str]:
    """Texts, titles, placeholders and tool tips of the tab's own widgets."""
    words = []
    for widget in [tab, *tab.findChildren(QLabel), *tab.findChildren(QAbstractButton)]:
        words += [widget.text()] if hasattr(widget, "text") else []
        words.append(widget.toolTip())
    for box in tab.findChildren(QGroupBox):
        words.append(box.title())
    for edit in tab.findChildren(QLineEdit) + tab.findChildren(QPlainTextEdit):
        words.append(edit.placeholderText())
    return [w for w in words if w and w.strip() not in ("–", "")]


def headers(model) -> list[str]:
    return [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]


# ---- Training --------------------------------------------------------------------------------
def test_training_tab_switches_to_korean_while_open(qtbot, tiny_run, english_after):
    from transfer_explorer.gui.tabs.training import TrainingTab

    _db, result, events = tiny_run
    tab = TrainingTab()
    qtbot.addWidget(tab)
    tab.reset("no upstream stage in this run")
    tab.show_events(events)
    english = {key: plot_words(plot) for key, plot in tab.plots.items()}
    assert english["down_loss"][:2] == ["Downstream · training loss", "loss"]
    assert "train loss" in english["down_loss"]  # the curve's key
    status = tab.stage_label.text()
    assert status.startswith(f"Run {result.run_id} finished in")

    switch("ko")
    for key, plot in tab.plots.items():
        words = plot_words(plot)
        assert words and all(korean(w) for w in words if w not in ("%", "×100")), (key, words)
    assert plot_words(tab.plots["down_loss"]) == [
        "다운스트림 · 학습 손실",
        "손실",
        "스텝",
        "학습 손실",
    ]
    assert korean(tab.stage_label.text()) and str(result.run_id) in tab.stage_label.text()
    assert korean(tab.log.placeholderText())
    # an empty plot's grey note follows too: the one the window gave stays as it was given
    assert (
        tab.placeholders["up_loss"].item.textItem.toPlainText() == "no upstream stage in this run"
    )
    tab.load_curves({})
    assert tab.placeholders["down_dev"].item.textItem.toPlainText() == "기록된 점이 없습니다"
    # lines written from now on are Korean; the stage line as the events go
    tab.show_events(events)
    log = tab.log.toPlainText()
    assert "에폭" in log and "완료" in log
    switch("en")
    assert tab.plots["down_loss"].getPlotItem().titleLabel.text == "Downstream · training loss"
    assert tab.stage_label.text() == status
    assert tab.placeholders["down_dev"].item.textItem.toPlainText() == ""  # points drawn


# ---- Predictions -----------------------------------------------------------------------------
def test_predictions_tab_switches_to_korean_while_open(qtbot, tiny_run, english_after):
    from transfer_explorer.gui.tabs.predictions import PredictionsTab

    tab = PredictionsTab()
    qtbot.addWidget(tab)
    assert tab.caption.text().startswith("Predictions on the dev set")
    tab.show_events(tiny_run[2])
    english_caption = tab.caption.text()
    assert english_caption.startswith("Dev, best model: ")
    assert headers(tab.model) == ["sentence 1", "sentence 2", "gold", "predicted", "error"]

    switch("ko")
    assert tab.caption.text().startswith("검증(dev), 최고 모델: ")
    assert all(korean(h) for h in headers(tab.model)), headers(tab.model)
    assert all(korean(w) for w in plot_words(tab.plot)), plot_words(tab.plot)
    assert tab.model.rowCount() > 0  # the rows stay
    switch("en")
    assert tab.caption.text() == english_caption
    assert headers(tab.model)[0] == "sentence 1"


# ---- Data ------------------------------------------------------------------------------------
def test_data_tab_switches_to_korean_while_open(qtbot, english_after):
    from transfer_explorer.engine.config import UpstreamConfig
    from transfer_explorer.gui.tabs.data import DataTab, compute_stats

    upstream = UpstreamConfig(task="sentiment").resolved_data
    stats = compute_stats("demo", {}, upstream, None)  # real demo data, both sides
    tab = DataTab()
    qtbot.addWidget(tab)
    tab.show_stats(stats)
    plots = (tab.sizes, tab.lengths, tab.targets, tab.overlap)
    assert tab.sizes.getPlotItem().titleLabel.text == "Examples per split"
    assert tab.caption.text().startswith("Downstream demo")

    switch("ko")
    for plot in plots:
        words = [w for w in plot_words(plot) if w != "%"]
        assert words and all(korean(w) for w in words), words
    ticks = [text for _x, text in tab.sizes.getAxis("bottom")._tickLevels[0]]
    assert ticks == ["학습", "검증(dev)", "테스트"]
    overlap_ticks = [text for _x, text in tab.overlap.getAxis("bottom")._tickLevels[0]]
    assert all(korean(t) for t in overlap_ticks)
    assert tab.caption.text().startswith("다운스트림 demo")
    assert korean(tab.analyze_button.text())
    if tab.notes.text():
        assert korean(tab.notes.text())
    switch("en")
    assert tab.analyze_button.text() == "Analyze"
    assert tab.sizes.getPlotItem().titleLabel.text == "Examples per split"


# ---- created in Korean -----------------------------------------------------------------------
def test_tabs_made_while_korean_is_on_say_everything_in_korean(qtbot, english_after):
    from transfer_explorer.gui.tabs.data import DataTab
    from transfer_explorer.gui.tabs.playground import PlaygroundTab
    from transfer_explorer.gui.tabs.predictions import PredictionsTab
    from transfer_explorer.gui.tabs.training import TrainingTab

    switch("ko")
    for cls in (TrainingTab, PredictionsTab, DataTab, PlaygroundTab):
        tab = cls()
        qtbot.addWidget(tab)
        words = widget_words(tab)
        for plot in tab.findChildren(pg.PlotWidget):
            words += [w for w in plot_words(plot) if w not in ("%", "×100")]
        assert words, cls.__name__
        assert [w for w in words if not korean(w)] == [], cls.__name__
    assert all(korean(h) for h in headers(tab.model))  # the Playground's table


# ---- Playground ------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, tiny_run):
    from transfer_explorer.gui.main_window import MainWindow

    w = MainWindow(db=tiny_run[0])  # closed here, not by qtbot: English comes back first
    w.resize(1280, 800)
    w.show()
    w.select_tab("playground")
    yield w
    switch("en")  # delivered while the window and its store are still open
    w.close()
    w.deleteLater()


def test_playground_scores_a_korean_pair_in_korean(qtbot, window, tiny_run):
    pgt = window.playground
    _db, result, _events = tiny_run
    switch("ko")
    assert pgt.ticked_runs() == [result.run_id]
    assert pgt.sentence1.placeholderText() == "남자가 기타를 치고 있다."
    assert korean(pgt.batch_box.title()) and korean(pgt.score_all.text())
    assert korean(pgt.bars.getPlotItem().getAxis("left").labelText)
    assert korean(pgt.bars.hint)  # "type two sentences above" in Korean

    pgt.sentence1.setText(KOREAN_PAIR[0])
    pgt.sentence2.setText(KOREAN_PAIR[1])
    qtbot.waitUntil(
        lambda: result.run_id in pgt.bars.results and not pgt.pair_running(), timeout=10_000
    )
    scored = pgt.bars.results[result.run_id]
    assert not scored.error
    assert 0 <= scored.score <= 5 and -1 <= scored.cosine <= 1
    assert pgt.score_label.text() == f"{scored.score:.2f} / 5"
    assert pgt.sentence1.text() == KOREAN_PAIR[0]  # the Hangul kept as typed

    # pasted Korean pairs, one line without a tab: a Korean status, Korean rows
    pgt.batch_input.setPlainText(
        "\t".join(KOREAN_PAIR) + "\n탭이 없는 줄\n고양이가 잔다.\t개가 잔다."
    )
    qtbot.mouseClick(pgt.score_all, Qt.LeftButton)
    qtbot.waitUntil(lambda: not pgt.batch_running(), timeout=20_000)
    status = pgt.batch_status.text()
    assert korean(status) and "2쌍" in status and "1줄" in status, status
    assert pgt.model.rowCount() == 2 and pgt.model.rows[0][:2] == KOREAN_PAIR
    assert headers(pgt.model)[:2] == ["문장 1", "문장 2"]
    tip = pgt.model.data(pgt.model.index(0, 2), Qt.ToolTipRole)
    assert tip.startswith("문장 벡터의 코사인")

    # back to English with the tab open: the status line and the headers follow
    switch("en")
    assert pgt.batch_status.text().startswith("2 pairs scored in")
    assert pgt.batch_status.text().endswith(", 1 lines without a tab skipped")
    assert headers(pgt.model)[:2] == ["sentence 1", "sentence 2"]
    assert pgt.score_label.text() == f"{scored.score:.2f} / 5"
    assert pgt.score_all.text() == "Score all"
