"""Where things live: one folder holds the SQLite store, run artifacts and the upstream cache.

The places a run writes are checked before it trains (:func:`check_store_places`): a file
where a folder should be, a home folder that cannot be found or a folder that refuses files
is one line up front, not a traceback after minutes of training.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import N_, _

APP_NAME = "transfer-explorer"
HOME_ENV = "TRANSFER_EXPLORER_HOME"
CACHE_ENV = "TRANSFER_EXPLORER_CACHE"


def user_path(text: str, what: str) -> Path:
    """A path the user gave (a flag, a variable): ``~`` expanded; an empty one refused.
    ``what`` names it in messages (a flag, or words marked with N_: translated here)."""
    if not str(text).strip():
        raise UserError(_("{what}: give a path (got an empty one)").format(what=_(what)))
    try:
        return Path(text).expanduser()
    except RuntimeError:  # ~ with no HOME and a user without a passwd entry
        raise UserError(
            _(
                "{what} {path}: cannot tell where ~ is (HOME is not set and this "
                "user has no home folder); give the full path"
            ).format(what=_(what), path=text)
        ) from None


def default_home() -> Path:
    """The user data folder ($TRANSFER_EXPLORER_HOME, else the platform's own)."""
    value = os.environ.get(HOME_ENV)
    if value:
        return user_path(value, HOME_ENV)
    try:
        path = platformdirs.user_data_path(APP_NAME)
    except RuntimeError:  # newer platformdirs: no HOME and no passwd entry
        path = Path("~")
    if not path.is_absolute():  # older platformdirs leave ~ unexpanded
        raise UserError(
            _(
                "cannot tell where your home folder is (HOME is not set and this user "
                "has no home folder); set HOME or {variable}, or give --db"
            ).format(variable=HOME_ENV)
        )
    try:
        writable_folder(path, N_("the user data folder"))
    except UserError as exc:
        raise UserError(
            _("{error} (set {variable} or XDG_DATA_HOME to a folder, or give --db)").format(
                error=exc, variable=HOME_ENV
            )
        ) from None
    return path


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
        return user_path(value, CACHE_ENV)
    return Path(db).expanduser().resolve().parent / "cache"


def writable_folder(path: str | Path, what: str) -> Path:
    """A folder the app may create (with its parents) or write into: the nearest part of it
    that exists must be a folder that takes new files. ``what`` as for :func:`user_path`."""
    target = Path(path)
    for folder in (target, *target.parents):
        if folder.exists():
            if not folder.is_dir():
                raise UserError(
                    _("{what} {path}: {folder} is a file, not a folder").format(
                        what=_(what), path=target, folder=folder
                    )
                )
            if not os.access(folder, os.W_OK | os.X_OK):
                raise UserError(
                    _("{what} {path}: {folder} does not take new files (no permission)").format(
                        what=_(what), path=target, folder=folder
                    )
                )
            break
    return target


def check_store_places(db: Path, cache: Path | None = None) -> None:
    """Everything a run will write — the database and its folder, the model folder, the
    cache — can be written, checked before anything trains."""
    db = Path(db)
    if db.exists() and not db.is_file():
        raise UserError(
            _("--db {path}: not a regular file; choose a database file").format(path=db)
        )
    writable_folder(db.parent, N_("the run database's folder"))
    writable_folder(runs_dir(db), N_("the run database's model folder"))
    writable_folder(cache if cache is not None else cache_dir(db), N_("the cache folder"))
    unsaved = db.with_name(db.name + ".unsaved")
    if unsaved.exists() and not unsaved.is_dir():
        raise UserError(
            _(
                "{path} is a file; the run database keeps records there that it "
                "cannot write — move that file away"
            ).format(path=unsaved)
        )
