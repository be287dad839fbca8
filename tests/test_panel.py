"""The panel keeps every setting: what set_config shows, config gives back, and Run uses."""

import json

import pytest

pytest.importorskip("pytestqt")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from transfer_explorer.engine import ConfigError, ExperimentConfig  # noqa: E402
from transfer_explorer.engine.config import (
    AMP_MODES,
    DEVICES,
    HEADS,
    POOLINGS,
    SCHEDULES,
    SIZES,  # noqa: E402
    DownstreamConfig,
    ModelConfig,
    TrainingConfig,
    UpstreamConfig,
)
from transfer_explorer.engine.upstream.registry import tasks  # noqa: E402
from transfer_explorer.engine.upstream.task import CHECKPOINT, WORD_VECTORS  # noqa: E402

positive = st.floats(1e-8, 10.0, allow_nan=False)
small_int = st.integers(1, 5000)
text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20
)


@st.composite
def valid_configs(draw) -> ExperimentConfig:
    """Any settings that pass validation, including ones the chosen task does not use."""
    task = draw(st.sampled_from(tasks()))
    sources = {
        WORD_VECTORS: st.sampled_from([None, "glove-6b-50d", "/data/vectors.txt"]),
        CHECKPOINT: st.sampled_from([None, "demo", "sst2"]),
    }
    upstream = UpstreamConfig(
        task=task.name,
        data=draw(
            sources.get(
                task.corpus, st.sampled_from([None, "demo", "sst2", "nsmc", "/data/corpus.tsv"])
            )
        ),
        model=draw(
            st.sampled_from(["gpt2", "/models/bert"])
            if task.corpus == CHECKPOINT
            else st.sampled_from([None, "gpt2"])
        ),
        pooling=draw(st.sampled_from(task.poolings or POOLINGS)),
        epochs=draw(st.none() | small_int),
        batch_size=draw(small_int),
        lr=draw(positive),
        max_sentences=draw(st.none() | st.integers(10, 10**6)),
        seed=draw(st.integers(0, 2**31 - 1)),
    )
    method = draw(st.sampled_from(task.methods))
    encoders = task.encoders or ("transformer", "bilstm")
    heads = [
        h
        for h in HEADS
        if (h != "cross" or task.cross_encoder)
        and (method != "zero-shot" or h in ("auto", "cosine"))
        and (method != "feature" or h != "cosine")
    ]
    score_range = draw(st.none() | st.tuples(st.floats(-10, 0), st.floats(1, 10)).map(list))
    config = ExperimentConfig(
        upstream=upstream,
        method=method,
        downstream=DownstreamConfig(
            data=draw(st.sampled_from(["demo", "stsb", "korsts", "/data/pairs.csv"])),
            columns=draw(st.sampled_from([{}, {"sentence1": "q1", "sentence2": "q2"}])),
            train_fraction=draw(st.floats(0.001, 1.0)),
            score_range=score_range,
        ),
        model=ModelConfig(
            encoder=draw(st.sampled_from(encoders)),
            size=draw(st.sampled_from(SIZES)),
            vocab_size=draw(st.integers(100, 100_000)),
            max_length=draw(st.integers(4, 4096)),
            head=draw(st.sampled_from(heads)),
        ),
        training=TrainingConfig(
            epochs=draw(small_int),
            batch_size=draw(small_int),
            lr=draw(st.none() | positive),
            head_lr=draw(st.none() | positive),
            encoder_lr_multiplier=draw(positive),
            weight_decay=draw(st.floats(0, 1)),
            grad_clip=draw(st.floats(0, 10)),
            warmup_steps=draw(st.integers(0, 10_000)),
            warmup_ratio=draw(st.none() | st.floats(0, 0.99)),
            amp=draw(st.sampled_from(AMP_MODES)),
            schedule=draw(st.sampled_from(SCHEDULES)),
            patience=draw(st.integers(0, 100)),
            eval_every=draw(st.integers(0, 10_000)),
            log_every=draw(st.integers(1, 1000)),
        ),
        seed=draw(st.integers(0, 2**31 - 1)),
        device=draw(st.sampled_from(DEVICES)),
        threads=draw(st.integers(0, 256)),
        name=draw(text),
        data_root=draw(st.sampled_from([None, "/data/root"])),
    )
    return config.validate()


@pytest.fixture
def panel(qtbot):
    from transfer_explorer.gui.panel import ExperimentPanel

    widget = ExperimentPanel()
    qtbot.addWidget(widget)
    return widget


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(config=valid_configs())
def test_any_valid_settings_round_trip_through_the_panel(panel, config):
    panel.set_config(config)
    assert panel.config() == config


def test_loaded_non_default_settings_are_shown_and_marked(panel):
    config = ExperimentConfig.from_dict(
        {"training": {"patience": 3, "warmup_steps": 100, "schedule": "linear"}, "name": "loaded"}
    )
    panel.set_config(config)
    assert panel.advanced.isExpanded()
    note = panel.advanced_note.text()
    for part in ("patience (evals) 3", "warm-up steps 100", "schedule linear", "run name loaded"):
        assert part in note
    assert panel._labels["training.patience"].font().bold()
    assert not panel._labels["training.epochs"].font().bold()


def test_a_field_that_is_not_a_number_is_a_message(panel):
    from transfer_explorer.gui.fields import FloatField

    field = next(b.widget for b in panel.bindings if b.path == "training.weight_decay")
    assert isinstance(field, FloatField)
    field.setText("a lot")
    with pytest.raises(ConfigError, match="weight decay: 'a lot' is not a number"):
        panel.config()


def test_gui_config_then_run_records_exactly_the_file(qtbot, tmp_path, db, capsys):
    """`transfer-explorer gui --config exp.toml`, Run: the run's settings are the file's."""
    from transfer_explorer.cli import commands as cli
    from transfer_explorer.launcher import start_gui

    config = ExperimentConfig.from_dict(
        {
            "name": "from a file",
            "seed": 3,
            "threads": 1,
            "upstream": {
                "task": "sentiment",
                "data": "demo",
                "epochs": 1,
                "batch_size": 16,
                "lr": 0.002,
                "max_sentences": 300,
            },
            "method": "finetune",
            "model": {"vocab_size": 1500, "max_length": 32},
            "downstream": {"train_fraction": 0.5, "score_range": [0.0, 5.0]},
            "training": {
                "epochs": 2,
                "patience": 2,
                "warmup_steps": 5,
                "schedule": "linear",
                "head_lr": 0.003,
                "weight_decay": 0.05,
                "log_every": 7,
                "encoder_lr_multiplier": 0.5,
                "grad_clip": 0.5,
            },
        }
    ).validate()
    toml = tmp_path / "exp.toml"
    toml.write_text(config.to_toml())
    shot = tmp_path / "window.png"
    assert (
        cli.main(
            [
                "gui",
                "--config",
                str(toml),
                "--run-default",
                "--screenshot",
                str(shot),
                "--db",
                str(db),
            ],
            gui=start_gui,
        )
        == 0
    )
    assert shot.stat().st_size > 10_000
    capsys.readouterr()
    assert cli.main(["show", "1", "--json", "--db", str(db)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "finished" and shown["name"] == "from a file"
    assert shown["config"] == config.to_dict()
