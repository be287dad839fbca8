import pytest

from tests.conftest import tiny_config
from transfer_explorer.engine import ConfigError, ExperimentConfig


@pytest.mark.parametrize(
    "change, message",
    [
        ({"training__batch_size": 0}, "batch size"),
        ({"training__lr": 0.0}, "learning rate"),
        ({"training__lr": -1e-3}, "learning rate"),
        ({"training__epochs": 0}, "epochs"),
        ({"downstream__train_fraction": 0.0}, "train fraction"),
        ({"downstream__train_fraction": 1.5}, "train fraction"),
        ({"method": "distill"}, "method"),
        ({"upstream__task": "gpt7"}, "upstream task"),
        ({"upstream__task": "mlm", "model__encoder": "bilstm"}, "mlm"),
        ({"device": "tpu"}, "device"),
    ],
)
def test_impossible_settings_are_refused_with_the_setting_named(change, message):
    with pytest.raises(ConfigError, match=message):
        tiny_config(**change).validate()


def test_toml_round_trip_keeps_every_setting(tmp_path):
    config = tiny_config(
        upstream__task="sentiment",
        upstream__data="sst2",
        method="finetune",
        training__encoder_lr_multiplier=0.3,
        downstream__train_fraction=0.1,
        seed=7,
    )
    config.downstream.columns = {"sentence1": "q1"}
    path = tmp_path / "exp.toml"
    path.write_text(config.to_toml())
    loaded = ExperimentConfig.from_toml(path)
    assert loaded == config


def test_unknown_keys_in_toml_are_reported(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[training]\nepoch = 3\n")
    with pytest.raises(ConfigError, match="unknown setting 'training.epoch'"):
        ExperimentConfig.from_toml(path)


def test_broken_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[training\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        ExperimentConfig.from_toml(path)
