"""What the app remembers between starts, in QSettings ("Transfer Explorer" / "transfer-explorer").

TRANSFER_EXPLORER_SETTINGS names an ini file to use instead; with only TRANSFER_EXPLORER_HOME
set (a separate data folder: tests, a second profile) the settings live in its settings.ini.
Whatever is read back is checked: a value of the wrong type, bad JSON, settings this version
does not know or a store that is gone are ignored — never fatal.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.disk.paths import HOME_ENV

ORGANIZATION = "Transfer Explorer"
APPLICATION = "transfer-explorer"
SETTINGS_ENV = "TRANSFER_EXPLORER_SETTINGS"
MAX_RECENT = 5


class AppSettings:
    def __init__(self, settings: QSettings):
        self.q = settings

    @classmethod
    def open(cls, environ=os.environ) -> AppSettings:
        path = environ.get(SETTINGS_ENV)
        if not path and environ.get(HOME_ENV):
            path = str(Path(environ[HOME_ENV]).expanduser() / "settings.ini")
        if path:
            return cls(QSettings(path, QSettings.IniFormat))
        return cls(QSettings(ORGANIZATION, APPLICATION))

    def file_name(self) -> str:
        return self.q.fileName()

    def sync(self) -> None:
        self.q.sync()

    # ---- window ----------------------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self.q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def set_geometry(self, state: QByteArray) -> None:
        self.q.setValue("window/geometry", state)

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"window/splitter/{name}")

    def set_splitter(self, name: str, state: QByteArray) -> None:
        self.q.setValue(f"window/splitter/{name}", state)

    def tab(self) -> str | None:
        value = self.q.value("window/tab")
        return value if isinstance(value, str) and value else None

    def set_tab(self, name: str) -> None:
        self.q.setValue("window/tab", name)

    def lesson(self) -> tuple[str | None, str | None]:
        """(the lesson step shown last, its data) — None where nothing is remembered."""
        step, data = self.q.value("lesson/step"), self.q.value("lesson/data")
        return (
            step if isinstance(step, str) and step else None,
            data if isinstance(data, str) and data else None,
        )

    def set_lesson(self, step: str, data: str) -> None:
        self.q.setValue("lesson/step", step)
        self.q.setValue("lesson/data", data)

    def language(self) -> str | None:
        """The language chosen in View → Language ("en", "ko"), None until one is chosen."""
        from transfer_explorer.engine.i18n import LANGUAGES

        value = self.q.value("window/language")
        return value if isinstance(value, str) and value in LANGUAGES else None

    def set_language(self, code: str) -> None:
        self.q.setValue("window/language", code)

    # ---- the experiment panel ----------------------------------------------------------------
    def experiment(self) -> ExperimentConfig | None:
        """The panel's last settings, or None when there are none that this version can use."""
        raw = self.q.value("panel/experiment")
        if not isinstance(raw, str):
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                return None
            config = ExperimentConfig.from_dict(_known(ExperimentConfig(), data))
            config.validate()
        except Exception:  # noqa: BLE001 — bad JSON, a wrong type, a task that is gone
            return None
        return _without_missing_files(config)

    def set_experiment(self, config: ExperimentConfig) -> None:
        self.q.setValue("panel/experiment", json.dumps(config.to_dict()))

    # ---- run stores ---------------------------------------------------------------------------
    def last_store(self) -> Path | None:
        """The store open when the app last ended, if that file is still there."""
        value = self.q.value("store/last")
        if not isinstance(value, str) or not value:
            return None
        path = Path(value)
        return path if path.is_file() else None

    def remembered_store(self) -> str | None:
        """The last store's path as written (whether or not it still exists)."""
        value = self.q.value("store/last")
        return value if isinstance(value, str) and value else None

    def set_last_store(self, path: str | Path) -> None:
        self.q.setValue("store/last", str(Path(path).expanduser().absolute()))

    def recent_stores(self) -> list[Path]:
        """Up to five stores opened lately, the latest first (some may be gone since)."""
        try:
            values = json.loads(self.q.value("store/recent") or "[]")
        except (TypeError, ValueError):
            return []
        if not isinstance(values, list):
            return []
        return [Path(v) for v in values if isinstance(v, str) and v][:MAX_RECENT]

    def add_recent_store(self, path: str | Path) -> None:
        path = Path(path).expanduser().absolute()
        recent = [path] + [p for p in self.recent_stores() if p != path]
        self.q.setValue("store/recent", json.dumps([str(p) for p in recent[:MAX_RECENT]]))

    def clear_recent_stores(self) -> None:
        self.q.remove("store/recent")


def _known(default, data: dict) -> dict:
    """``data`` without the keys ``default``'s dataclass does not have (settings written by
    a newer version), section by section."""
    known = {f.name: getattr(default, f.name) for f in dataclasses.fields(default)}
    kept = {}
    for key, value in data.items():
        if key not in known:
            continue
        section = known[key]
        if dataclasses.is_dataclass(section) and isinstance(value, dict):
            value = _known(section, value)
        kept[key] = value
    return kept


def _without_missing_files(config: ExperimentConfig) -> ExperimentConfig:
    """A local file or folder the settings name that is gone: back to the default."""

    def gone(value) -> bool:
        return isinstance(value, str) and Path(value).is_absolute() and not Path(value).exists()

    if gone(config.downstream.data):
        default = ExperimentConfig().downstream
        config.downstream.data, config.downstream.columns = default.data, default.columns
    if gone(config.upstream.data):
        config.upstream.data = None
    if gone(config.data_root):
        config.data_root = None
    return config
