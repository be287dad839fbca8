"""Files written for the user — CSV, TOML, Markdown, PNG: checked first, then never half-written.

Every file the app writes on request (``export --csv``, ``run --save-config``, a sweep's
``--markdown``/``--csv``, the window's exports) goes through :func:`write_output`:

- It is refused, whatever ``force`` says, when it is a SQLite database (the run store in use,
  ours or any other program's) or one of a database's side files (``-wal``, ``-shm``,
  ``-journal``) or the run store's own folders: writing there destroys every run.
- An existing file is replaced only when it is of the kind written there (a ``.csv`` text
  file for a CSV, a PNG image for a PNG …) or empty; anything else needs ``force``
  (``--force``; in the window, the file dialog's "replace?" question).
- The new content is written beside the target and renamed onto it: a failure (a full disk,
  a kill) leaves the old file as it was, never a truncated one. A stream the user named —
  ``/dev/stdout``, a pipe — is written to directly.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import N_, _

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
SIDE_FILES = ("-wal", "-shm", "-journal")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SNIFF = 1 << 16  # bytes read to tell what an existing file is
_STREAM_NAME = re.compile(r"^/(dev/(stdout|stderr|fd/\d+)|proc/(self|\d+)/fd/\d+)$")


@dataclass(frozen=True)
class Kind:
    name: str  # in messages: "a CSV file" (marked with N_, translated where shown)
    suffixes: tuple[str, ...]
    binary_magic: bytes = b""  # empty: a text format


KINDS = {
    "csv": Kind(N_("a CSV file"), (".csv", ".tsv", ".txt")),
    "toml": Kind(N_("a TOML settings file"), (".toml",)),
    "markdown": Kind(N_("a Markdown file"), (".md", ".markdown", ".txt")),
    "png": Kind(N_("a PNG image"), (".png",), PNG_MAGIC),
}


class OutputRefused(UserError):
    """A file the app was asked to write, refused before anything was written."""


def check_output(
    path: str | Path, kind: str, flag: str, store: str | Path | None = None, force: bool = False
) -> Path:
    """The file to write, after the checks above (raises :class:`OutputRefused`)."""
    text = os.fspath(path)
    if not text.strip():
        raise OutputRefused(_("{flag}: give a file name (got an empty path)").format(flag=flag))
    given = Path(text).expanduser()
    target = Path(os.path.realpath(given))  # a symlink is written through, and checked there
    where = f"{flag} {text}"
    refuse_database_family(target, where, store)
    if is_stream(given):
        return given
    if target.is_dir():
        raise OutputRefused(_("{where}: a folder; give a file name").format(where=where))
    if not target.parent.is_dir():
        raise OutputRefused(
            _("{where}: no such folder {folder}").format(where=where, folder=given.parent)
        )
    if not target.exists():
        return target
    if not target.is_file():
        raise OutputRefused(_("{where}: not a regular file").format(where=where))
    if not force and not _replaceable(target, KINDS[kind]):
        raise OutputRefused(
            _(
                "{where} exists and is not {kind} this app writes; "
                "give a new name, or --force to replace it"
            ).format(where=where, kind=_(KINDS[kind].name))
        )
    return target


def write_output(
    path: str | Path,
    data: str | bytes,
    kind: str,
    flag: str,
    store: str | Path | None = None,
    force: bool = False,
) -> Path:
    """Check ``path`` and write ``data`` into it (text as UTF-8); the path written."""
    target = check_output(path, kind, flag, store, force)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if is_stream(target):
            with open(target, "wb") as stream:
                stream.write(raw)
        else:
            replace_atomically(target, raw)
    except OSError as exc:
        raise OutputRefused(
            _("{flag} {path}: cannot write it ({reason})").format(
                flag=flag, path=path, reason=exc.strerror or exc
            )
        ) from None
    return target


def replace_atomically(target: Path, raw: bytes) -> None:
    """Write ``raw`` to a new file beside ``target`` and rename it onto ``target``: readers
    see the old file or the new one, never a part. An existing file keeps its permissions."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with open(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def is_sqlite_file(path: Path) -> bool:
    """A SQLite database (its header), or a write-ahead log (its magic number)."""
    from transfer_explorer.engine.disk.safe_read import open_regular

    try:
        with open_regular(path) as f:  # (a FIFO is no database, and never blocks here)
            head = f.read(len(SQLITE_MAGIC))
    except (OSError, UserError):
        return False
    return head.startswith(SQLITE_MAGIC) or head[:4] in WAL_MAGICS


def refuse_database_family(target: Path, where: str, store: str | Path | None) -> None:
    """Refuse the run store, its side files and folders, and any SQLite database."""
    if store is not None:
        from transfer_explorer.engine.disk.paths import runs_dir

        db = Path(os.path.realpath(Path(store).expanduser()))
        family = {
            db,
            *(db.with_name(db.name + side) for side in SIDE_FILES),
            db.with_name(db.name + ".unsaved"),
        }
        if target == db:
            raise OutputRefused(
                _(
                    "{where}: that is the run database in use; writing there "
                    "would destroy every run — give another file name"
                ).format(where=where)
            )
        if target in family:
            raise OutputRefused(
                _(
                    "{where}: that belongs to the run database in use ({db}); "
                    "writing there would destroy runs — give another file name"
                ).format(where=where, db=db)
            )
        models = runs_dir(db)
        if target == models or models in target.parents:
            raise OutputRefused(
                _(
                    "{where}: inside the run database's model folder ({folder}); "
                    "choose a place outside it"
                ).format(where=where, folder=models)
            )
    if is_sqlite_file(target):
        raise OutputRefused(
            _(
                "{where} is a SQLite database; writing there would destroy it — "
                "give another file name"
            ).format(where=where)
        )
    for side in SIDE_FILES:
        if target.name.endswith(side):
            main = target.with_name(target.name[: -len(side)])
            if is_sqlite_file(main):
                raise OutputRefused(
                    _(
                        "{where} belongs to the SQLite database {database}; writing "
                        "there would damage it — give another file name"
                    ).format(where=where, database=main)
                )


def is_stream(path: Path) -> bool:
    """A terminal, device or pipe, or a standard stream by name (/dev/stdout, /dev/fd/3):
    written to as it is — that is what was asked."""
    if _STREAM_NAME.match(os.fspath(path)):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _replaceable(target: Path, kind: Kind) -> bool:
    """An empty file, or one of ``kind``: its suffix, and its content (text, or the magic)."""
    from transfer_explorer.engine.disk.safe_read import open_regular

    try:
        with open_regular(target) as f:
            head = f.read(SNIFF)
    except (OSError, UserError):
        return False
    if not head:
        return True
    if target.suffix.lower() not in kind.suffixes:
        return False
    if kind.binary_magic:
        return head.startswith(kind.binary_magic)
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a character cut at the end of the sniff is fine
        return exc.start >= len(head) - 4
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
