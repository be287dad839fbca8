"""The guided lesson's engine: steps as sweeps of one lesson preset, cells shared between
steps, readings generated from the measured numbers, the layers a transfer keeps, and the
`lesson` command."""

import subprocess
import sys

import pytest

from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.lesson import LESSON_DATA, STEPS, step_sweep
from transfer_explorer.engine.lesson.layers import (
    DROPPED,
    KEPT,
    NEW,
    layers_reading,
    run_encoder,
    transfer_layers,
)
from transfer_explorer.engine.lesson.reading import reading
from transfer_explorer.engine.lesson.steps import CONTROL, get_step, tour_arms
from transfer_explorer.engine.models import PairModel, SentimentModel, build_encoder
from transfer_explorer.engine.models.encoders import encoder_spec
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.sweep.execute import run_sweep
from transfer_explorer.engine.sweep.grid import Sweep
from transfer_explorer.engine.sweep.report import summarize
from transfer_explorer.engine.sweep.story import versus

# ---- steps ------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", sorted(LESSON_DATA))
def test_every_step_is_part_of_one_tour_with_shared_cells(data):
    """A cell has the same settings (so the same key) in every step that holds it: the
    control trained for step 1 is the control of every later step."""
    summary = step_sweep(STEPS[-1], data)
    assert summary.arms == tour_arms() and summary.control_arm() == CONTROL
    keys = {(c.arm, c.fraction, c.seed): c.key for c in summary.cells()}
    preset = Sweep.preset(LESSON_DATA[data])
    for step in STEPS[:-1]:
        sweep = step_sweep(step, data)
        assert sweep.arms[0] == CONTROL and sweep.control_arm() == CONTROL
        assert sweep.fractions == preset.fractions and sweep.seeds == preset.seeds
        for cell in sweep.cells():
            assert cell.key == keys[(cell.arm, cell.fraction, cell.seed)], (step.key, cell.arm)
    # the lesson preset's own cells are the tour's too (the Matrix tab's runs count)
    for cell in preset.cells():
        if cell.arm in keys and (cell.arm, cell.fraction, cell.seed) in keys:
            assert cell.key == keys[(cell.arm, cell.fraction, cell.seed)]


def test_steps_by_number_or_name_and_a_clear_error():
    assert get_step(3) is get_step("3") is get_step("feature-or-finetune") is STEPS[2]
    with pytest.raises(Exception, match="unknown lesson step 'eight'; choose 1–7"):
        get_step("eight")
    with pytest.raises(Exception, match="the lesson runs on demo, stsb, korsts, not 'sick'"):
        step_sweep(STEPS[0], "sick")


def test_a_step_links_the_runs_an_earlier_step_trained(db, tmp_path):
    first = step_sweep(get_step("from-nothing"), seeds=[0])
    one = run_sweep(first, db=db, cache=tmp_path / "cache")
    assert one.status == "finished" and one.skipped == 0 and len(one.cells) == 3
    second = step_sweep(get_step("another-task"), seeds=[0])
    two = run_sweep(second, db=db, cache=tmp_path / "cache")
    assert two.status == "finished" and two.skipped == 3  # the control: found, not trained
    control = {r["cell_key"]: r["run_id"] for r in one.cells}
    linked = {r["cell_key"]: r["run_id"] for r in two.cells if r["arm"] == CONTROL}
    assert linked == control
    with Store(db) as store:
        assert len(store.list_runs()) == 6  # 3 controls + 3 sentiment runs, nothing twice
        rows = store.cell_runs([c.key for c in second.cells()])
    matrix = summarize(rows, second.arms, CONTROL)
    assert [c.n for c in matrix.cells] == [1] * 6
    # the reading of step 2 names the arm and says a verdict for each share
    text = reading(get_step("another-task"), matrix)
    assert "sentiment/finetune (an unrelated task)" in text


# ---- readings are generated from the numbers ----------------------------------------------------


def rows(devs: dict[tuple[str, float], list[float]], pairs: dict[float, int]) -> list[dict]:
    """Stored cells as Store.sweep_cells gives them: {(arm, share): [dev per seed]}."""
    out, run = [], 0
    for (arm, fraction), values in devs.items():
        for seed, dev in enumerate(values):
            run += 1
            out.append(
                {
                    "cell_key": f"{arm}-{fraction}-{seed}",
                    "run_id": run,
                    "arm": arm,
                    "encoder": "transformer",
                    "downstream": "demo",
                    "fraction": fraction,
                    "seed": seed,
                    "status": "finished",
                    "dev_metric": dev,
                    "test_metric": dev - 1,
                    "metric_name": "spearman",
                    "metrics": {"train_pairs": pairs[fraction]},
                    "seconds": 1.0,
                }
            )
    return out


PAIRS = {0.1: 40, 0.3: 120, 1.0: 400}


def matrix_of(step, devs):
    return summarize(rows(devs, PAIRS), step_sweep(step).arms, CONTROL)


def test_the_reading_of_a_step_changes_when_its_numbers_do():
    step = get_step("language-models")
    control = {
        (CONTROL, 0.1): [30, 34, 26],
        (CONTROL, 0.3): [50, 52, 48],
        (CONTROL, 1.0): [75, 76, 74],
    }
    helps = matrix_of(
        step,
        {
            **control,
            ("mlm/finetune", 0.1): [55, 60, 52],
            ("mlm/finetune", 0.3): [62, 66, 60],
            ("mlm/finetune", 1.0): [76, 75, 76],
            ("causal-lm/finetune", 0.1): [40, 41, 35],
            ("causal-lm/finetune", 0.3): [50, 55, 49],
            ("causal-lm/finetune", 1.0): [74, 75, 75],
        },
    )
    level = matrix_of(
        step,
        {
            **control,
            ("mlm/finetune", 0.1): [29, 36, 25],
            ("mlm/finetune", 0.3): [49, 54, 47],
            ("mlm/finetune", 1.0): [74, 77, 73],
            ("causal-lm/finetune", 0.1): [31, 33, 27],
            ("causal-lm/finetune", 0.3): [51, 51, 49],
            ("causal-lm/finetune", 1.0): [76, 75, 73],
        },
    )
    one, other = reading(step, helps), reading(step, level)
    assert one != other
    # each says what its numbers say: the gain (+25.7 at 10%) and what it is worth …
    assert "mlm/finetune (BERT-style) helps at 10% (+25.7)" in one
    assert "mlm/finetune is ahead of causal-lm/finetune at 10% (+17.0)" in one
    assert "Most worth: mlm/finetune with 40 labelled pairs scores 55.7" in one
    # … or that the differences are within the spread between seeds, worth nothing
    assert "mlm/finetune (BERT-style) is within noise at every size" in other
    assert "Most worth" not in other


def test_step_one_reads_the_control_against_its_own_data_size():
    step = get_step("from-nothing")
    clear = reading(
        step, matrix_of(step, {(CONTROL, 0.1): [30, 34, 26], (CONTROL, 1.0): [75, 76, 74]})
    )
    assert "40 labelled pairs give 30.0 ± 4.0 and 400 give 75.0 ± 1.0" in clear
    assert "worth +45.0 points, well beyond the spread between seeds" in clear
    noisy = reading(
        step, matrix_of(step, {(CONTROL, 0.1): [30, 60, 20], (CONTROL, 1.0): [45, 20, 60]})
    )
    assert "within the spread between seeds (p = " in noisy and "more seeds would tell" in noisy
    worse = reading(
        step, matrix_of(step, {(CONTROL, 0.1): [60, 61, 59], (CONTROL, 1.0): [30, 31, 29]})
    )
    assert "Fewer labels scored higher (-30.0 points" in worse
    one_seed = reading(step, matrix_of(step, {(CONTROL, 0.1): [30], (CONTROL, 1.0): [75]}))
    assert "One seed per share cannot tell a gain from noise." in one_seed
    assert reading(step, matrix_of(step, {})) == ""


def test_one_arm_behind_another_is_said_with_both_names():
    """A comparison where the first arm only trails used to read 'behind it at …' with no
    subject."""
    first = matrix_of(
        get_step("related-task"),
        {
            (CONTROL, 0.1): [30, 31, 29],
            ("nli/finetune", 0.1): [30, 31, 29],
            ("sentiment/finetune", 0.1): [40, 42, 39],
        },
    )
    nli = [c for c in first.cells if c.arm == "nli/finetune"]
    sentiment = [c for c in first.cells if c.arm == "sentiment/finetune"]
    assert versus("nli/finetune", "sentiment/finetune", nli, sentiment) == (
        "nli/finetune is behind sentiment/finetune at 10% (-10.3)."
    )


# ---- what a transfer keeps, drops and adds ---------------------------------------------


@pytest.mark.parametrize("encoder", ["transformer", "bilstm"])
def test_the_layers_are_read_off_the_real_models(encoder):
    config = ExperimentConfig.from_dict({"model": {"encoder": encoder, "size": "tiny"}})
    upstream, downstream = transfer_layers(config)
    spec = encoder_spec(encoder, "tiny", config.model.vocab_size, config.model.max_length)
    sentiment = SentimentModel(build_encoder(spec), 2)
    pair = PairModel(build_encoder(spec), 1, regression=True)
    # every weight of each model is in exactly one block
    assert sum(b.weights for b in upstream) == sum(p.numel() for p in sentiment.parameters())
    assert sum(b.weights for b in downstream) == sum(p.numel() for p in pair.parameters())
    kept = [b.key for b in upstream if b.fate == KEPT]
    assert kept and all(k.startswith("encoder.") for k in kept)
    assert kept == [b.key for b in downstream if b.fate == KEPT]
    assert [b.key for b in upstream if b.fate == DROPPED] == ["classifier"]
    assert [b.key for b in downstream if b.fate == NEW] == ["head"]
    encoder_weights = sum(p.numel() for p in sentiment.encoder.parameters())
    assert f"({encoder_weights:,} weights, copied)" in layers_reading(upstream, downstream)
    if encoder == "transformer":  # each layer of the stack is its own block
        assert "encoder.layers.1" in kept


def test_the_layers_of_a_run_use_its_own_vocabulary(db, tmp_path):
    from transfer_explorer.engine import run

    config = ExperimentConfig.from_dict(
        {
            "upstream": {"task": "sentiment", "data": "demo"},
            "method": "finetune",
            "training": {"epochs": 1},
            "threads": 1,
        }
    )
    result = run(config, db=db, cache=tmp_path / "cache")
    with Store(db) as store:
        encoder = run_encoder(store.get_run(result.run_id))
    assert encoder is not None and encoder["vocab_size"] < config.model.vocab_size
    upstream, _down = transfer_layers(config, encoder)
    embedding = next(b for b in upstream if b.key == "encoder.embedding")
    assert embedding.weights == encoder["vocab_size"] * encoder["dim"]
    assert run_encoder({"artifacts": str(tmp_path / "gone")}) is None


# ---- the command -----------------------------------------------------------------------


def test_the_lesson_command_runs_steps_then_shows_them_from_the_store(tmp_path):
    db, cache = tmp_path / "runs.sqlite", tmp_path / "cache"
    command = [
        sys.executable,
        "-m",
        "transfer_explorer.cli",
        "lesson",
        "1",
        "another-task",
        "--seeds",
        "1",
        "--db",
        str(db),
        "--cache-dir",
        str(cache),
        "--quiet",
        "--markdown",
        str(tmp_path / "lesson.md"),
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "## Step 1: Starting from nothing" in first.stdout
    assert "## Step 2: Another task's weights" in first.stdout
    assert "3 runs on demo: 3 trained" in first.stdout  # step 1
    assert "6 runs on demo: 3 trained" in first.stdout  # step 2 found the control
    assert "From random weights, " in first.stdout
    written = (tmp_path / "lesson.md").read_text()
    assert "## Step 2: Another task's weights" in written and "| sentiment/finetune |" in written
    again = subprocess.run(command[:-2], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "6 runs on demo: 0 trained" in again.stdout  # shown from the store
    with Store(db) as store:
        assert len(store.list_runs()) == 6
    bad = subprocess.run(command[:4] + ["9", "--db", str(db)], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown lesson step '9'" in bad.stderr


def test_a_reading_in_korean_carries_the_same_numbers():
    from transfer_explorer.engine.i18n import set_language

    step = get_step("from-nothing")
    matrix = matrix_of(step, {(CONTROL, 0.1): [30, 34, 26], (CONTROL, 1.0): [75, 76, 74]})
    english = reading(step, matrix)
    set_language("ko")
    korean = reading(step, matrix)
    assert korean != english and "레이블된 쌍 40개로 30.0 ± 4.0" in korean
    assert "+45.0점" in korean and _("Starting from nothing") == "아무것도 없이 시작하기"
