"""GUI tests on a real window (pytest-qt, QT_QPA_PLATFORM=offscreen), real tiny runs."""

import re

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402

RUN_TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot, db, monkeypatch):
    w = MainWindow(db=db)
    qtbot.addWidget(w)
    w.panel.epochs.setValue(2)
    w.show()
    yield w
    w.runs.shutdown()


def choose(combo, value):
    index = combo.findData(value)
    if index < 0:  # DatasetCombo stores dicts
        index = next(
            i
            for i in range(combo.count())
            if isinstance(combo.itemData(i), dict) and combo.itemData(i)["source"] == value
        )
    combo.setCurrentIndex(index)


def run_and_wait(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(window.panel.run_button, Qt.LeftButton)
    return blocker.args[0]


def test_click_through_a_demo_run(qtbot, window, db):
    choose(window.panel.upstream, "sentiment")
    choose(window.panel.method, "finetune")
    assert "output layer is dropped" in window.panel.explanation.text()
    assert window.panel.upstream_data.isEnabled()

    qtbot.mouseClick(window.panel.run_button, Qt.LeftButton)
    assert window.running and not window.panel.run_button.isEnabled()
    qtbot.waitUntil(
        lambda: window.training.point_count("downstream", "loss") > 0, timeout=RUN_TIMEOUT_MS
    )
    assert window.training.point_count("upstream", "loss") > 0  # upstream curve drawn live
    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        pass
    result = blocker.args[0]
    assert result.status == "finished"
    assert window.panel.run_button.isEnabled() and not window.panel.stop_button.isEnabled()
    # the curves hold what the engine sent; the predictions tab shows the dev set
    x, y = window.training.items[("downstream", "loss")].getData()
    assert len(x) == window.training.point_count() and y[-1] < y[0]
    assert window.predictions.model.rowCount() == 200
    assert "best model" in window.predictions.caption.text()
    # the log ends with the head's Spearman and sentence-transformers' spearman_cosine
    cosine = result.metrics["dev"]["cosine_spearman"]
    assert f"spearman_cosine) dev {cosine:.1f}" in window.training.log.toPlainText()

    # playground: type two sentences, a score appears
    window.tabs.setCurrentWidget(window.playground)
    assert window.playground.run_choice.currentData() == result.run_id
    qtbot.keyClicks(window.playground.sentence1, "A man is playing the guitar.")
    qtbot.keyClicks(window.playground.sentence2, "A guy is playing the guitar.")
    qtbot.waitUntil(lambda: "/ 5" in window.playground.score_label.text(), timeout=3000)
    score = float(window.playground.score_label.text().split("/")[0])
    assert 0 <= score <= 5
    window.playground.batch_input.setPlainText("a dog is running\ta puppy is running\nno tab here")
    qtbot.mouseClick(window.playground.score_all, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.playground.model.rowCount() == 1, timeout=5000)
    assert "1 lines without a tab skipped" in window.playground.batch_status.text()

    # history lists the run; a second run; compare overlays both
    assert window.history.model.rowCount() == 1
    assert window.history.model.rows[0][0] == result.run_id
    choose(window.panel.method, "feature")
    second = run_and_wait(qtbot, window)
    assert second.status == "finished" and second.upstream_cached
    assert window.status_cache.text() == "upstream: from cache"
    assert window.history.model.rowCount() == 2
    window.compare.set_checked([result.run_id, second.run_id])
    assert window.compare.model.rowCount() == 2
    legend = window.compare.key_labels
    assert len(window.compare.dev_plot.listDataItems()) == len(legend)
    assert any("sentiment(demo) / finetune" in t for t in legend)
    assert any("sentiment(demo) / feature" in t for t in legend)


def test_pause_resume_and_stop_buttons(qtbot, window, db):
    window.panel.epochs.setValue(200)
    qtbot.mouseClick(window.panel.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.training.point_count() > 0, timeout=RUN_TIMEOUT_MS)
    qtbot.mouseClick(window.panel.pause_button, Qt.LeftButton)
    assert window.runs.paused and window.panel.pause_button.text() == "Resume"
    assert window.status_stage.text().startswith("Paused")
    qtbot.wait(300)
    count = window.training.point_count()
    qtbot.wait(400)
    assert window.training.point_count() <= count + 1  # at most the step in flight
    qtbot.mouseClick(window.panel.pause_button, Qt.LeftButton)
    assert not window.runs.paused and window.panel.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: window.training.point_count() > count + 1, timeout=10_000)
    with qtbot.waitSignal(window.run_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(window.panel.stop_button, Qt.LeftButton)
    assert blocker.args[0].status == "stopped"
    assert window.history.model.rows[0][2].endswith("stopped")
    assert window.panel.run_button.isEnabled()


def test_closing_during_a_run_stops_it_cleanly(qtbot, db):
    window = MainWindow(db=db)
    window.panel.epochs.setValue(200)
    window.show()
    window.start_run()
    qtbot.waitUntil(lambda: window.training.point_count() > 0, timeout=RUN_TIMEOUT_MS)
    window.close()
    assert not window.running
    with Store(db) as store:
        (run,) = store.list_runs()
        assert run["status"] == "stopped" and run["finished_at"]


def test_bad_file_shows_a_message_and_the_app_stays_usable(qtbot, window, db, tmp_path):
    bad = tmp_path / "broken.tsv"
    bad.write_text("sentence1\tsentence2\tscore\nfine\tpair\t2\nbad\tscore\tlots\n")
    window.panel.downstream.add_local(str(bad), {})
    result = run_and_wait(qtbot, window)
    assert result is None  # refused before anything was recorded
    assert window.banner.isVisible()
    assert "broken.tsv, line 3" in window.banner.text() and "not a number" in window.banner.text()
    assert window.history.model.rowCount() == 0
    # fix the choice and run again: the app still works
    choose(window.panel.downstream, "demo")
    assert run_and_wait(qtbot, window).status == "finished"
    assert not window.banner.isVisible()


def test_impossible_settings_are_refused_in_the_window(qtbot, window):
    window.panel.device.set_value("cuda")  # e.g. settings from another machine
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert not window.start_run()
    assert "cuda" in window.banner.text()


def test_engine_failure_is_shown_with_details(qtbot, window, monkeypatch):
    from transfer_explorer.engine.experiment import downstream

    def broken(self):
        raise RuntimeError("simulated engine fault")

    monkeypatch.setattr(downstream.DownstreamStage, "run", broken)
    result = run_and_wait(qtbot, window)
    assert result.status == "failed"
    assert "simulated engine fault" in window.banner.text()
    assert "Traceback" in window.banner.details.toPlainText()
    assert window.history.model.rows[0][2].endswith("failed")


def test_history_reopen_rename_rerun_delete_and_exports(qtbot, window, db, tmp_path):
    # a fixed thread count: by default threads follow the machine's load, and a different
    # count changes float sums in the last bits, so a rerun is equal only with it fixed
    window.panel.threads.setValue(1)
    first = run_and_wait(qtbot, window)
    window.training.reset()
    assert window.training.point_count() == 0
    window.reopen(first.run_id)
    assert window.training.point_count() > 0  # curves redrawn from the store
    assert window.predictions.model.rowCount() == 200

    window.history.rename(first.run_id, "baseline")
    assert window.history.model.rows[0][1] == "baseline"
    window.history.export_csv(first.run_id, str(tmp_path / "m.csv"))
    assert "loss" in (tmp_path / "m.csv").read_text()
    window.export_png(first.run_id, str(tmp_path / "curves.png"))
    assert (tmp_path / "curves.png").stat().st_size > 10_000
    with qtbot.waitSignal(window.history.exported, timeout=60_000):
        window.history.export_model(first.run_id, str(tmp_path / "model"))  # off the GUI thread
    assert (tmp_path / "model" / "model.safetensors").is_file()
    assert "Exported as a transfer-explorer folder" in window.history.export_status.text()
    with qtbot.waitSignal(window.history.export_failed, timeout=60_000):
        window.history.export_model(first.run_id, str(tmp_path / "model"))  # not empty now
    assert "not an empty folder" in window.history.export_status.text()
    assert window.history.buttons["model"].isEnabled()

    with qtbot.waitSignal(window.run_finished, timeout=RUN_TIMEOUT_MS) as blocker:
        window.rerun(first.run_id)
    again = blocker.args[0]
    assert again.status == "finished" and again.config == first.config
    assert again.metrics["dev"] == first.metrics["dev"]  # same seed, same numbers

    window.history.delete(first.run_id)
    assert [r[0] for r in window.history.model.rows] == [again.run_id]
    with Store(db) as store:
        assert [r["id"] for r in store.list_runs()] == [again.run_id]


def test_local_file_column_mapping_dialog(qtbot, tmp_path):
    from transfer_explorer.engine.data.files import read_table
    from transfer_explorer.gui.column_dialog import ColumnMappingDialog

    path = tmp_path / "q.csv"
    path.write_text(
        "id,q1,q2,is_duplicate\n" + "".join(f"{i},a {i},b {i},{i % 2}\n" for i in range(20))
    )
    dialog = ColumnMappingDialog(read_table(path))
    qtbot.addWidget(dialog)
    assert dialog.mapping() == {"label": "is_duplicate"}
    dialog.combos["sentence1"].setCurrentIndex(dialog.combos["sentence1"].findData("q1"))
    dialog._accept()
    assert "sentence2" in dialog.problem.text()  # refuses an incomplete mapping
    dialog.combos["sentence2"].setCurrentIndex(dialog.combos["sentence2"].findData("q2"))
    dialog._accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.mapping() == {"sentence1": "q1", "sentence2": "q2", "label": "is_duplicate"}


def test_data_tab_analyzes_the_chosen_datasets(qtbot, window):
    choose(window.panel.upstream, "word2vec")
    window.tabs.setCurrentWidget(window.data)
    qtbot.waitUntil(lambda: window.data.stats is not None, timeout=30_000)
    stats = window.data.stats
    assert stats["downstream"]["sizes"] == {"train": 600, "dev": 200, "test": 200}
    assert stats["upstream"]["name"] == "demo" and "overlap" in stats
    assert "demo" in window.data.caption.text()


def test_checkpoint_choices_and_a_zero_shot_run(qtbot, window, tmp_path):
    from tests.checkpoints import tiny_bert

    folder = tiny_bert(tmp_path / "bert")
    panel = window.panel
    choose(panel.method, "zero-shot")
    assert panel.method.currentData() != "zero-shot"  # greyed out without pre-trained weights
    choose(panel.upstream, "hf")
    assert panel.upstream_form.isRowVisible(2) and not panel.upstream_form.isRowVisible(1)
    panel.set_checkpoint(str(folder))
    choose(panel.method, "zero-shot")
    assert panel.method.currentData() == "zero-shot"
    assert "nothing is trained" in panel.explanation.text()
    result = run_and_wait(qtbot, window)
    assert result.status == "finished", result.error
    assert window.status_cache.text().startswith("upstream: pre-trained")
    assert window.history.model.rows[0][3] == "hf(bert)"
    window.playground.sentence1.setText("A man is eating.")
    window.playground.sentence2.setText("A guy eats.")
    qtbot.waitUntil(lambda: "/ 5" in window.playground.score_label.text(), timeout=5000)


def test_unrecognised_columns_offer_a_mapping_that_fixes_the_run(
    qtbot, window, tmp_path, monkeypatch
):
    from transfer_explorer.gui.column_dialog import ColumnMappingDialog

    path = tmp_path / "pairs.tsv"
    path.write_text(
        "left\tright\thow_close\n"
        + "".join(f"a man plays guitar {i}\ta guy plays a guitar {i}\t{i % 6}\n" for i in range(60))
    )
    window.panel.downstream.add_local(str(path), {})
    assert run_and_wait(qtbot, window) is None
    assert "no column for sentence1" in window.banner.text()
    assert window.banner.action_button.isVisible()
    assert window.banner.action_button.text() == "Map columns…"

    def answer(dialog):  # what the user picks in the dialog
        for field, column in (
            ("sentence1", "left"),
            ("sentence2", "right"),
            ("score", "how_close"),
        ):
            dialog.combos[field].setCurrentIndex(dialog.combos[field].findData(column))
        return dialog.DialogCode.Accepted

    monkeypatch.setattr(ColumnMappingDialog, "exec", answer)
    qtbot.mouseClick(window.banner.action_button, Qt.LeftButton)
    assert window.panel.downstream.value()["columns"] == {
        "sentence1": "left",
        "sentence2": "right",
        "score": "how_close",
    }
    assert run_and_wait(qtbot, window).status == "finished"


def test_matrix_tab_runs_a_sweep_and_draws_the_map(qtbot, window, tmp_path):
    import tomli_w

    path = tmp_path / "sweep.toml"
    path.write_text(
        tomli_w.dumps(
            {
                "name": "gui sweep",
                "arms": ["none/scratch", "none/feature"],
                "train_fractions": [0.5, 1.0],
                "seeds": [0, 1],
                "base": {"upstream": {"data": "demo"}, "training": {"epochs": 1}},
            }
        )
    )
    matrix = window.matrix
    matrix.open_file(str(path))
    assert matrix.choice.currentText() == "file: gui sweep"
    # before it runs: its plan (every cell, the empty map)
    assert [r[5] for r in matrix.cells.rows] == ["not run"] * 8
    assert matrix.grid.rowCount() == 2 and matrix.grid.item(0, 0).text() == "–"
    assert matrix.status.text().startswith("8 cells: 2 arms × 2 shares")
    with qtbot.waitSignal(matrix.running_changed, timeout=5000):
        assert matrix.start()
    assert matrix.running  # at once, not when the thread gets going
    assert not window.panel.run_button.isEnabled()  # one thing trains at a time
    assert not matrix.choice.isEnabled()  # the view stays on the running sweep
    # while it runs: the time it has left, from its cells' planned work
    qtbot.waitUntil(lambda: matrix.status.text().endswith(" left"), timeout=RUN_TIMEOUT_MS)
    assert re.fullmatch(
        r"Sweep \d+: 8 cells, 1 worker\(s\) · (about .+|a few seconds) left", matrix.status.text()
    )
    # the one right outcome: the sweep's end, shown (not merely its thread ending)
    with qtbot.waitSignal(
        matrix.running_changed, timeout=RUN_TIMEOUT_MS, check_params_cb=lambda running: not running
    ):
        pass
    assert "finished" in matrix.status.text()
    assert matrix.cells.rowCount() == 8 and {r[5] for r in matrix.cells.rows} == {"finished"}
    assert matrix.grid.rowCount() == 2 and matrix.grid.columnCount() == 2
    feature = matrix.grid.item(1, 1)
    assert feature.text().startswith("dev ") and "n=2" in feature.text()
    assert "paired t-test over seeds" in feature.toolTip()
    assert matrix.grid.item(0, 0).text().endswith("control")
    for kind, name in (("csv", "m.csv"), ("markdown", "m.md"), ("png", "m.png")):
        matrix.export(kind, str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 100
    assert window.panel.run_button.isEnabled()
    assert window.history.model.rowCount() == 8  # the sweep's runs are in the history
    # running it again resumes: every cell is already done
    with qtbot.waitSignal(
        matrix.running_changed, timeout=30_000, check_params_cb=lambda running: not running
    ):
        matrix.start()
    assert ": 0 cells run, 0 failed;" in matrix.status.text()
    assert {r[5] for r in matrix.cells.rows} == {"done earlier"}
    # another sweep picked and this one again: its results come back from the store
    matrix.choice.setCurrentIndex(0)
    assert matrix.grid.item(0, 0).text() == "–" and matrix.choice.isEnabled()
    matrix.choice.setCurrentIndex(matrix.choice.count() - 1)
    assert "all 8 cells finished" in matrix.status.text()
    assert {r[5] for r in matrix.cells.rows} == {"finished"}
    assert matrix.grid.item(1, 1).text().startswith("dev ")


def test_matrix_tab_shows_the_chosen_presets_plan(qtbot, window):
    matrix = window.matrix
    matrix.choice.setCurrentIndex(matrix.choice.findData("stsb-cpu"))
    assert matrix.cells.rowCount() == 45 and {r[5] for r in matrix.cells.rows} == {"not run"}
    assert (matrix.grid.rowCount(), matrix.grid.columnCount()) == (5, 3)
    assert matrix.grid.horizontalHeaderItem(0).text() == "10% of train"
    assert matrix.status.text().startswith("45 cells: 5 arms × 3 shares")
    low, high = matrix.curve.getViewBox().viewRange()[0]  # log10 of the shares, not 1–10
    assert low < -1 < 0 < high
    assert not any(b.isEnabled() for b in matrix.exports.values())  # nothing to export yet


@pytest.mark.parametrize(
    "text, message",
    [
        ('arms = ["nothing/scratch"]\n', "not upstream/method"),
        ('arms = ["none/scratch"]\nseeds = 3\n', "not a valid sweep"),  # a number, not a list
        ('arms = ["none/scratch"]\n[base.training]\nepochs = "many"\n', "epochs must be"),
    ],
)
def test_bad_sweep_file_is_a_message(qtbot, window, tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    before = window.matrix.choice.count()
    with qtbot.waitSignal(window.matrix.error, timeout=2000):
        window.matrix.open_file(str(path))
    assert message in window.banner.text()
    assert window.matrix.choice.count() == before  # not offered to run


def test_scoring_many_pasted_pairs_keeps_the_window_live_and_can_stop(qtbot, window, db):
    from PySide6.QtCore import QThreadPool

    from tests.conftest import tiny_config
    from transfer_explorer.engine import run

    result = run(tiny_config(training__epochs=1), db=db)
    window.refresh_runs()
    pg = window.playground
    assert pg.run_choice.currentData() == result.run_id
    many = "\n".join(
        f"a man number {i} plays a guitar\ta guy plays guitar {i % 7}" for i in range(30_000)
    )
    pg.batch_input.setPlainText(many)
    qtbot.mouseClick(pg.score_all, Qt.LeftButton)
    assert pg.batch_running() and pg.score_all.text() == "Stop scoring"
    assert not pg.export.isEnabled()
    qtbot.waitUntil(
        lambda: (
            "/ 30,000 pairs" in pg.batch_status.text()
            and not pg.batch_status.text().startswith("scoring… 0 ")
        ),
        timeout=10_000,
    )
    # the GUI thread is free: a typed pair is scored while the batch runs
    pg.sentence1.setText("A man is eating.")
    pg.sentence2.setText("A guy eats.")
    qtbot.waitUntil(lambda: "/ 5" in pg.score_label.text(), timeout=5000)
    assert pg.batch_running()
    qtbot.mouseClick(pg.score_all, Qt.LeftButton)  # now "Stop scoring"
    qtbot.waitUntil(lambda: not pg.batch_running(), timeout=5000)
    assert pg.batch_status.text() == "scoring stopped" and pg.model.rowCount() == 0
    assert pg.score_all.text() == "Score all" and pg.export.isEnabled()

    # a batch that finishes fills the table in input order
    lines = [f"a dog runs {i} times\ta puppy runs {'far ' * (i % 9)}" for i in range(300)]
    pg.batch_input.setPlainText("\n".join(lines))
    qtbot.mouseClick(pg.score_all, Qt.LeftButton)
    qtbot.waitUntil(lambda: pg.model.rowCount() == 300, timeout=20_000)
    assert [row[0] for row in pg.model.rows] == [line.split("\t")[0] for line in lines]
    assert "300 pairs scored in" in pg.batch_status.text()

    # closing the window mid-batch stops the worker and waits for its thread
    pg.batch_input.setPlainText(many)
    qtbot.mouseClick(pg.score_all, Qt.LeftButton)
    qtbot.waitUntil(lambda: "/ 30,000 pairs" in pg.batch_status.text(), timeout=5000)
    window.close()
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def test_garbage_is_collected_on_the_gui_thread_only_while_a_window_is_open(qtbot, db):
    """Qt wrappers collected in a worker thread can deadlock the GUI (seen with a sweep
    thread): while a window is open, cyclic garbage is collected by a GUI-thread timer."""
    import gc
    import threading

    finalized_in = []

    class Cycle:
        def __init__(self):
            self.me = self

        def __del__(self):
            finalized_in.append(threading.current_thread())

    w = MainWindow(db=db)
    qtbot.addWidget(w)
    assert not gc.isenabled()
    garbage = [Cycle() for _ in range(2000)]  # enough allocations to pass gen-0's threshold
    del garbage
    worker = threading.Thread(target=lambda: [dict(a=i) for i in range(200_000)])
    worker.start()  # a busy non-GUI thread allocating meanwhile must not collect them
    worker.join()
    qtbot.waitUntil(lambda: len(finalized_in) == 2000, timeout=5000)
    assert set(finalized_in) == {threading.main_thread()}
    w.close()
    assert gc.isenabled()


def test_tables_sort_in_the_model_and_keep_the_sort_when_rows_change(qtbot):
    from PySide6.QtWidgets import QTableView

    from transfer_explorer.gui.table_model import RowsModel

    model = RowsModel(["name", "score"])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.AscendingOrder)
    rows = [("b", 2.0), ("a", float("nan")), ("C", None), ("d", 10.0), ("e", 3)]
    model.set_rows(rows)
    assert [model.row(i) for i in range(5)] == rows  # unsorted: the order given
    view.sortByColumn(1, Qt.DescendingOrder)
    assert [model.row(i)[0] for i in range(5)] == ["d", "e", "b", "a", "C"]  # blanks last
    assert model.index(0, 1).data() == "10.0" and model.rows == rows  # rows keep their order
    view.selectRow(1)  # "e"
    view.sortByColumn(0, Qt.AscendingOrder)  # text, case-insensitive
    assert [model.row(i)[0] for i in range(5)] == ["a", "b", "C", "d", "e"]
    assert view.selectionModel().selectedRows()[0].data() == "e"  # the selection followed
    model.set_rows([("z", 1.0), ("y", 5.0)])  # new rows come in sorted by the same column
    assert [model.row(i)[0] for i in range(2)] == ["y", "z"]


def test_a_deleted_run_is_never_scored_and_its_id_never_reused(qtbot, window, db):
    """Run ids are never reused, and the Playground forgets a deleted run's model."""
    first = run_and_wait(qtbot, window)
    window.panel.seed.setValue(1)
    newest = run_and_wait(qtbot, window)
    pg = window.playground
    pg.select_run(newest.run_id)
    pg.sentence1.setText("A man is eating.")
    pg.sentence2.setText("A guy eats.")
    qtbot.waitUntil(lambda: "/ 5" in pg.score_label.text(), timeout=5000)
    assert pg.scorer() is not None  # the newest run's model is loaded and cached
    with Store(db) as store:  # a sweep had linked the newest run as one of its cells
        from transfer_explorer.engine.sweep.grid import Sweep

        sweep_id, _ = store.sweep_id("k", "s", {})
        (cell,) = Sweep.from_dict({"arms": ["none/scratch"]}).cells()
        store.link_cell(sweep_id, cell, newest.run_id)
    window.history.delete(newest.run_id)
    assert pg.run_choice.findData(newest.run_id) < 0
    assert newest.run_id not in pg._scorers
    with Store(db) as store:
        assert store.sweep_cells(sweep_id) == []  # its sweep-cell link went with it
    window.panel.seed.setValue(2)
    fresh = run_and_wait(qtbot, window)
    assert fresh.run_id == newest.run_id + 1 and fresh.run_id != first.run_id
    pg.select_run(fresh.run_id)
    assert pg.run_choice.currentData() == fresh.run_id
    assert pg.scorer().folder.name == str(fresh.run_id)  # its own model, not the deleted one


def test_reopen_shows_the_runs_settings_in_the_panel(qtbot, window):
    window.panel.set_config(window.panel.config().replace(name="first try", seed=5))
    first = run_and_wait(qtbot, window)
    window.panel.set_config(window.panel.config().replace(name="", seed=0))
    window.reopen(first.run_id)
    assert window.panel.config().name == "first try" and window.panel.config().seed == 5


def test_the_window_checks_settings_once_per_run(qtbot, window, monkeypatch):
    from transfer_explorer.engine import ExperimentConfig

    calls = []
    original = ExperimentConfig.validate
    monkeypatch.setattr(
        ExperimentConfig, "validate", lambda self: calls.append(1) or original(self)
    )
    assert run_and_wait(qtbot, window).status == "finished"
    assert len(calls) == 1
