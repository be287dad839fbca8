"""Shared fixtures. Every test gets its own SQLite file and cache; nothing downloads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

# The real datasets: TRANSFER_EXPLORER_DATA when set (read here, before the fixtures below
# hide it from the app), else ../shared/data beside the project.
SHARED_DATA = Path(
    os.environ.get("TRANSFER_EXPLORER_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)
_skipped_for_data: list[str] = []


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Keep the user's real data folder and app settings (QSettings) untouched: the default
    home and the settings file point into tmp."""
    monkeypatch.setenv("TRANSFER_EXPLORER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TRANSFER_EXPLORER_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.delenv("TRANSFER_EXPLORER_THEME", raising=False)
    monkeypatch.delenv("TRANSFER_EXPLORER_CACHE", raising=False)
    monkeypatch.delenv("TRANSFER_EXPLORER_DATA", raising=False)
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """Messages in English whatever the machine's locale (a test that wants Korean sets it);
    the process-wide language is back to English after each test."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    from transfer_explorer.engine import i18n

    window_language = sys.modules.get("transfer_explorer.gui.language")
    if window_language is not None and window_language.installed():
        window_language.switch(i18n.DEFAULT)  # Qt's translators out, and the engine's
    if i18n.language() != i18n.DEFAULT:
        i18n.set_language(i18n.DEFAULT)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "runs.sqlite"


def tiny_config(**changes):
    """A demo experiment small enough to train in about a second on a CPU."""
    from transfer_explorer.engine import ExperimentConfig
    from transfer_explorer.engine.config import TrainingConfig, UpstreamConfig

    config = ExperimentConfig(
        training=TrainingConfig(epochs=2, log_every=5), upstream=UpstreamConfig(), threads=1
    )
    for key, value in changes.items():
        section, _, field = key.rpartition("__")
        setattr(getattr(config, section) if section else config, field, value)
    return config


@pytest.fixture
def shared_data(request) -> Path:
    if not (SHARED_DATA / "stsb" / "train.tsv").is_file():
        _skipped_for_data.append(request.node.nodeid)
        pytest.skip(f"real datasets not found in {SHARED_DATA} (set TRANSFER_EXPLORER_DATA)")
    return SHARED_DATA


def pytest_terminal_summary(terminalreporter) -> None:
    """Say it plainly when the integration tests on real data did not run."""
    if _skipped_for_data:
        terminalreporter.write_line(
            f"NOTE: {len(_skipped_for_data)} integration tests on real datasets were skipped: "
            f"no datasets in {SHARED_DATA}; point TRANSFER_EXPLORER_DATA at a folder with "
            "stsb/, sst2/, korsts/, nsmc/, mrpc/ to run them",
            yellow=True,
        )
