"""Where things live: one folder holds the SQLite store, run artifacts and the upstream cache."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "transfer-explorer"
HOME_ENV = "TRANSFER_EXPLORER_HOME"
CACHE_ENV = "TRANSFER_EXPLORER_CACHE"


def default_home() -> Path:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else platformdirs.user_data_path(APP_NAME)


def default_db() -> Path:
    return default_home() / "runs.sqlite"


def runs_dir(db: Path) -> Path:
    """Per-run artifacts (best model, tokenizer) live beside the database file, in a folder
    named after it: two databases in one folder never share run ids' folders."""
    db = Path(db).expanduser().resolve()
    return db.parent / f"{db.stem}-models"


def cache_dir(db: Path) -> Path:
    value = os.environ.get(CACHE_ENV)
    if value:
        return Path(value).expanduser()
    return Path(db).expanduser().resolve().parent / "cache"
