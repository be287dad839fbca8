"""Korean in the run store, saved and exported models, and a run's own words (issue 27):
errors from real bad input, the model card and its curves PNG, a tiny run's log and progress."""

from __future__ import annotations

import re
import sqlite3

import pytest

from tests.conftest import tiny_config
from transfer_explorer.engine import UserError, i18n, run
from transfer_explorer.engine import events as ev
from transfer_explorer.engine.saved import card
from transfer_explorer.engine.saved.export import export_model
from transfer_explorer.engine.store.database import ForeignDatabase, Store

HANGUL = re.compile("[\uac00-\ud7a3]")
CURVES = {
    ("downstream", "loss"): ([1, 5, 10, 15], [1.2, 0.9, 0.7, 0.65]),
    ("downstream", "dev_spearman"): ([5, 10, 15], [31.0, 44.5, 47.25]),
}


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def foreign_file(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('not ours')")
    conn.close()


def test_a_foreign_database_is_refused_in_korean_and_named(tmp_path, korean):
    path = tmp_path / "other.sqlite"
    foreign_file(path)
    with pytest.raises(ForeignDatabase) as caught:
        Store(path)
    message = str(caught.value)
    assert HANGUL.search(message) and str(path) in message and "--db" in message
    assert "실행 저장소" in message  # the glossary's word for the run store


def test_a_foreign_database_is_refused_in_english_by_default(tmp_path):
    path = tmp_path / "other.sqlite"
    foreign_file(path)
    with pytest.raises(ForeignDatabase) as caught:
        Store(path)
    assert str(caught.value) == (
        f"{path} is not a Transfer Explorer run database (it belongs to another program); "
        "it was left unchanged — choose another file with --db"
    )


def test_a_missing_run_and_a_bad_export_target_read_in_korean(tmp_path, korean):
    db = tmp_path / "runs.sqlite"
    with Store(db) as store:
        with pytest.raises(UserError) as missing:
            store.get_run(7)
    assert HANGUL.search(str(missing.value)) and str(db) in str(missing.value)
    target = tmp_path / "taken"
    target.write_text("a file, not a folder")
    row = {"id": 3, "status": "finished", "artifacts": str(tmp_path / "nowhere")}
    with pytest.raises(UserError) as refused:
        export_model(row, {}, target)
    assert HANGUL.search(str(refused.value)) and str(target) in str(refused.value)
    assert str(refused.value).startswith(f"--model {target}: ")  # the flag stays as it is


def test_the_curves_png_draws_korean_with_the_hangul_font(tmp_path, korean, monkeypatch):
    from PIL import Image, ImageFont

    from transfer_explorer.engine.fonts import hangul_font_file

    if hangul_font_file() is None:
        pytest.skip("NanumGothic (koreanize-matplotlib) is not installed")
    fonts = []
    truetype = ImageFont.truetype
    monkeypatch.setattr(
        ImageFont, "truetype", lambda font, *a, **k: fonts.append(font) or truetype(font, *a, **k)
    )
    path = tmp_path / "curves.png"
    assert card.curves_png(CURVES, path)
    assert fonts == [str(hangul_font_file())]
    image = Image.open(path).convert("L")
    assert image.size == (900, 2 * 260)
    title = image.crop((70, 4, 300, 28))  # the first panel's title: 학습 손실
    assert title.getextrema()[0] < 100  # drawn, not blank
    text = card.model_card(
        {"id": 4, "config": {}, "metrics": {"dev": {"spearman": 47.25}}},
        {"upstream": "none", "method": "scratch", "dataset": "demo", "task": "regression"}
        | {"head": "bi", "score_range": [0, 5]},
        "transfer-explorer",
        [],
        "curves.png",
    )
    assert (
        "## 결과" in text and "| 세트 | 지표 | 값 |" in text and "![학습 곡선](curves.png)" in text
    )
    assert "| dev | spearman | 47.25 |" in text  # split and metric names stay identifiers


def test_the_curves_png_keeps_pillows_font_in_english(tmp_path, monkeypatch):
    from PIL import ImageFont

    fonts = []
    truetype = ImageFont.truetype
    monkeypatch.setattr(
        ImageFont, "truetype", lambda font, *a, **k: fonts.append(font) or truetype(font, *a, **k)
    )
    assert card.curves_png(CURVES, tmp_path / "curves.png")
    assert not [f for f in fonts if "NanumGothic" in str(f)]  # pillow's own font, as before


def test_a_tiny_run_logs_and_reports_in_korean(tmp_path, korean):
    events = []
    result = run(
        tiny_config(training__epochs=1, downstream__train_fraction=0.5),
        emit=events.append,
        db=tmp_path / "runs.sqlite",
    )
    assert result.status == "finished", result.error
    logs = [e.message for e in events if isinstance(e, ev.Log)]
    assert any(m.startswith("최고 검증(dev) 점수: 에폭 ") for m in logs), logs
    assert any("개로 학습합니다 (50%)" in m for m in logs), logs
    assert not any(m.startswith(("best dev", "training on", "upstream ")) for m in logs)
    with Store(tmp_path / "runs.sqlite") as store:  # the stored log is what was shown
        stored = [row["message"] for row in store.logs(result.run_id)]
    assert [m for m in stored if HANGUL.search(m)] and set(logs) <= set(stored)


def test_a_tiny_run_logs_in_english_by_default(tmp_path):
    events = []
    result = run(
        tiny_config(training__epochs=1, downstream__train_fraction=0.5),
        emit=events.append,
        db=tmp_path / "runs.sqlite",
    )
    assert result.status == "finished", result.error
    logs = [e.message for e in events if isinstance(e, ev.Log)]
    assert any(m.startswith("best dev at epoch 1 (step ") for m in logs), logs
    assert any(re.fullmatch(r"training on \d+ of \d+ pairs \(50%\)", m) for m in logs), logs
    assert not [m for m in logs if HANGUL.search(m)]


def test_a_stopped_run_says_so_in_korean(tmp_path, korean):
    from transfer_explorer.engine.control import RunControl

    control, events = RunControl(), []

    def emit(event):
        events.append(event)
        if isinstance(event, ev.Step):
            control.stop()

    result = run(tiny_config(), emit=emit, control=control, db=tmp_path / "runs.sqlite")
    assert result.status == "stopped"
    logs = [e.message for e in events if isinstance(e, ev.Log)]
    assert "사용자가 실행을 중지했습니다. 지금까지 기록된 내용은 보존됩니다" in logs, logs
