"""Playground: several ticked runs score one pair side by side, and pasted pairs get a column
per run (pytest-qt, QT_QPA_PLATFORM=offscreen, real tiny runs)."""

import csv
import shutil
import threading

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from tests.conftest import tiny_config  # noqa: E402
from transfer_explorer.engine.errors import UserError  # noqa: E402
from transfer_explorer.engine.saved.predict import Scorer  # noqa: E402
from transfer_explorer.engine.store.database import Store  # noqa: E402
from transfer_explorer.gui.main_window import MainWindow  # noqa: E402
from transfer_explorer.gui.scorers import ScorerCache  # noqa: E402

PAIR = ("A man is playing a guitar.", "A guy is playing the guitar.")
PASTED = [
    ("A dog runs in the park.", "A puppy is running on the grass."),
    ("A woman slices an onion.", "A woman is cutting an onion."),
    ("The stock market fell.", "A child is eating an apple."),
]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """Two finished tiny runs (a Transformer and a BiLSTM) in one store, made once."""
    from transfer_explorer.engine import run

    root = tmp_path_factory.mktemp("compare")
    with pytest.MonkeyPatch.context() as mp:  # the autouse isolation is per test
        mp.setenv("TRANSFER_EXPLORER_HOME", str(root / "home"))
        db = root / "runs.sqlite"
        first = run(tiny_config(training__epochs=1), db=db)
        second = run(tiny_config(training__epochs=1, model__encoder="bilstm"), db=db)
    assert first.status == second.status == "finished"
    return db, first, second


@pytest.fixture
def window(qtbot, two_runs):
    w = MainWindow(db=two_runs[0])
    qtbot.addWidget(w)
    w.show()
    w.select_tab("playground")
    yield w
    w.close()


def type_pair(qtbot, pg, pair=PAIR):
    pg.sentence1.setText(pair[0])
    pg.sentence2.setText(pair[1])
    qtbot.waitUntil(
        lambda: len(pg.bars.results) == len(pg.bars.runs) and not pg.pair_running(), timeout=10_000
    )


def test_ticked_runs_score_one_pair_side_by_side(qtbot, window, two_runs):
    _, first, second = two_runs
    pg = window.playground
    # the list holds both runs, newest first; the newest is ticked on the first fill
    assert [pg.run_choice.item(i).data(Qt.UserRole) for i in range(pg.run_choice.count())] == [
        second.run_id,
        first.run_id,
    ]
    assert pg.ticked_runs() == [second.run_id] and pg.run_choice.currentData() == second.run_id
    # ticking a box in the list adds that run, after the ones already ticked
    item = pg.run_choice.item(pg.run_choice.findData(first.run_id))
    item.setCheckState(Qt.Checked)
    assert pg.ticked_runs() == [second.run_id, first.run_id]
    pg.select_run(first.run_id)  # a reopened run: ticked and first, the others stay ticked
    assert pg.ticked_runs() == [first.run_id, second.run_id]
    assert pg.run_choice.currentData() == first.run_id

    threads = []  # the models score in a worker; the bars are drawn on the GUI thread
    set_result = pg.bars.set_result
    pg.bars.set_result = lambda result: (
        threads.append(threading.current_thread()) or set_result(result)
    )
    type_pair(qtbot, pg)
    assert threads and set(threads) == {threading.main_thread()}
    expected = {r.run_id: Scorer(r.artifacts).score([PAIR])[0] for r in (first, second)}
    assert [run_id for run_id, _ in pg.bars.runs] == [first.run_id, second.run_id]
    shares, cosines = pg.bars.heights()
    for n, run_id in enumerate((first.run_id, second.run_id)):
        shown = pg.bars.results[run_id]
        assert not shown.error
        assert shown.score == pytest.approx(expected[run_id].score, abs=1e-5)
        assert shown.cosine == pytest.approx(expected[run_id].cosine, abs=1e-5)
        assert shares[n] == pytest.approx(expected[run_id].score / 5, abs=1e-5)  # scale 0–5
        assert cosines[n] == pytest.approx(expected[run_id].cosine, abs=1e-5)
        assert -1 <= cosines[n] <= 1
    # two solid bars (scores) and two pale ones (cosines), as drawn
    assert list(pg.bars.score_item.opts["height"]) == pytest.approx(shares)
    assert list(pg.bars.cosine_item.opts["height"]) == pytest.approx(cosines)
    ticks = [text for _, text in pg.bars.getAxis("bottom")._tickLevels[0]]
    assert ticks[0].startswith(f"#{first.run_id} none/scratch\ntransformer")
    assert ticks[1].startswith(f"#{second.run_id} none/scratch\nbilstm")
    label = pg.score_label.text()
    assert f"#{first.run_id}  {expected[first.run_id].score:.2f} / 5" in label
    assert f"#{second.run_id}  {expected[second.run_id].score:.2f} / 5" in label
    assert first.run_id in pg._scorers and second.run_id in pg._scorers  # cached

    # unticking leaves one bar; the score reads as before ("x.xx / 5")
    pg.set_ticked([second.run_id])
    qtbot.waitUntil(lambda: not pg.pair_running() and len(pg.bars.results) == 1, timeout=5000)
    assert pg.score_label.text() == f"{expected[second.run_id].score:.2f} / 5"


def test_pasted_pairs_get_one_score_column_per_run(qtbot, window, two_runs, tmp_path):
    _, first, second = two_runs
    pg = window.playground
    pg.set_ticked([first.run_id, second.run_id])
    pg.batch_input.setPlainText("\n".join(f"{a}\t{b}" for a, b in PASTED))
    qtbot.mouseClick(pg.score_all, Qt.LeftButton)
    qtbot.waitUntil(lambda: not pg.batch_running(), timeout=20_000)
    assert pg.batch_status.text().startswith("3 pairs scored by 2 runs in")
    assert pg.model.headers == [
        "sentence 1",
        "sentence 2",
        f"#{first.run_id} none/scratch",
        f"#{second.run_id} none/scratch",
    ]
    assert pg.model.rowCount() == 3
    for n, run in enumerate((first, second)):
        expected = Scorer(run.artifacts).score(PASTED)
        column = [pg.model.rows[i][2 + n] for i in range(3)]
        assert column == pytest.approx([s.score for s in expected], abs=1e-5)
        tip = pg.model.index(0, 2 + n).data(Qt.ToolTipRole)
        assert tip == f"cosine of the sentence vectors {expected[0].cosine:+.3f}"
    assert [row[:2] for row in pg.model.rows] == PASTED  # input order

    path = tmp_path / "scores.csv"
    pg.export_csv(str(path))
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["sentence1", "sentence2"] + [
        f"{what} #{run.run_id} none/scratch"
        for run in (first, second)
        for what in ("score", "cosine")
    ]
    assert len(rows) == 4 and rows[1][:2] == list(PASTED[0])


def test_a_run_whose_model_is_damaged_is_reported_once_and_the_others_still_score(
    qtbot, window, two_runs, tmp_path
):
    db, first, second = two_runs
    broken = tmp_path / "broken"
    shutil.copytree(second.artifacts, broken)
    (broken / "model.safetensors").write_bytes(b"not a model")
    with Store(db) as store:
        runs = store.list_runs()
    for run in runs:
        if run["id"] == second.run_id:
            run["artifacts"] = str(broken)
    pg = window.playground
    messages = []
    pg.error.connect(messages.append)
    pg.refresh(runs)
    pg.set_ticked([first.run_id, second.run_id])
    type_pair(qtbot, pg)
    assert not pg.bars.results[first.run_id].error  # the good run has its bar
    assert pg.bars.results[second.run_id].error
    assert (
        len(messages) == 1
        and messages[0].startswith(f"run {second.run_id}: cannot load its model (")
        and "damaged" in messages[0]
    )
    assert f"run {second.run_id}: cannot load its model" in window.banner.text()
    type_pair(qtbot, pg, ("A woman is eating.", "Someone eats."))  # typing again: no new banner
    assert len(messages) == 1 and not pg.bars.results[first.run_id].error
    assert pg.score_label.text().startswith(f"#{first.run_id}  ")
    assert pg.score_label.text().endswith(f"#{second.run_id}  –")

    pg.batch_input.setPlainText("\n".join(f"{a}\t{b}" for a, b in PASTED))
    pg.score_batch()
    qtbot.waitUntil(lambda: not pg.batch_running(), timeout=20_000)
    assert pg.model.headers[2:] == [
        f"#{first.run_id} none/scratch",
        f"#{second.run_id} none/scratch (failed)",
    ]
    assert all(isinstance(row[2], float) and row[3] is None for row in pg.model.rows)
    assert "(1 could not score)" in pg.batch_status.text()


def test_a_deleted_run_leaves_the_list_the_bars_and_the_cache(qtbot, window, two_runs):
    from transfer_explorer.engine import run

    db, first, _ = two_runs
    doomed = run(tiny_config(training__epochs=1, seed=3), db=db)
    window.refresh_runs()
    pg = window.playground
    pg.set_ticked([first.run_id, doomed.run_id])
    type_pair(qtbot, pg)
    assert doomed.run_id in pg._scorers
    window.history.delete(doomed.run_id)
    assert pg.run_choice.findData(doomed.run_id) < 0
    assert pg.ticked_runs() == [first.run_id]
    assert doomed.run_id not in pg._scorers
    assert [run_id for run_id, _ in pg.bars.runs] == [first.run_id]
    qtbot.waitUntil(lambda: not pg.pair_running(), timeout=5000)
    assert doomed.run_id not in pg.bars.results and doomed.run_id not in pg._scorers


def test_the_model_cache_evicts_the_least_recently_used_beyond_the_ticked_runs():
    loads = []

    def load(folder):
        if folder == "gone":
            raise FileNotFoundError("no such folder")
        loads.append(folder)
        return object()

    cache = ScorerCache(keep=2, load=load)
    a = cache.get(1, "a")
    cache.get(2, "b")
    assert cache.get(1, "a") is a and loads == ["a", "b"]  # cached, now most recent
    cache.get(3, "c")
    assert cache.loaded() == [1, 3]  # 2 was least recently used
    cache.pin(3)  # three runs ticked: three stay loaded
    cache.get(2, "b")
    assert cache.loaded() == [1, 3, 2]
    cache.pin(1)
    assert cache.loaded() == [3, 2]
    with pytest.raises(UserError, match="run 9: cannot load its model"):
        cache.get(9, "gone")
    with pytest.raises(UserError):  # remembered, not loaded again at every keystroke
        cache.get(9, "gone")
    assert cache.failed(9) and loads.count("gone") == 0
    cache.retry(9)
    assert not cache.failed(9)
    cache.forget(2)
    assert 2 not in cache
    with pytest.raises(UserError, match="deleted"):
        cache.get(2, "b")
