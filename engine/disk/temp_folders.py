"""Temporary files and folders that are written, then renamed into place — and cleaned up
after a writer that was killed half-way.

A writer holds a lock while its temporary exists: ``fcntl.flock`` on a lock file inside a
temporary folder (:data:`LOCK_NAME`), or on the temporary file itself. The kernel releases an
flock when its process dies, however it dies, so "not locked" reliably means "nobody is
writing this any more". The lock is held through the rename (the lock file moves with its
folder) and removed after it, so there is no moment when a live writer's temporary looks
abandoned.

:func:`clean_stale` removes the temporaries a killed writer left behind: those whose names
the writer's pattern matches, that have not changed for :data:`STALE_SECONDS` (10 minutes)
and whose lock is not held — one without a lock file (an older version's, or one killed in
the instant between creating it and locking it) counts as not held. Writers call it before
they write (an export, a cache save) and readers of the
cache when they look something up, so leftovers go at the next start. Without ``fcntl``
(Windows) no lock can be tested; temporaries are then removed after a day unchanged.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

LOCK_NAME = ".writing.lock"
STALE_SECONDS = 10 * 60  # unchanged this long, and unlocked: a killed writer's
STALE_SECONDS_WITHOUT_LOCKS = 24 * 3600
_MKDTEMP_SUFFIX = "[a-z0-9_]{8}"  # what tempfile.mkdtemp and mkstemp add to a prefix


def _umask() -> int:
    mask = os.umask(0o022)  # read it (the only way), then put it back
    os.umask(mask)
    return mask


UMASK = _umask()


@dataclass
class Temp:
    """A temporary being written: its path and the descriptor holding its lock."""

    path: Path
    fd: int | None

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
            self.fd = None

    def discard(self) -> None:
        """A failed write: remove the temporary, then release the lock."""
        if self.path.is_dir() and not self.path.is_symlink():
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            try:
                self.path.unlink()
            except OSError:
                pass
        self.release()


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new and ours: never contended


def make_temp_dir(parent: Path, prefix: str) -> Temp:
    """A new folder ``parent/<prefix>XXXXXXXX`` with a held lock file inside."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        fd = os.open(
            path / LOCK_NAME,
            os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
            0o600,
        )
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    try:
        _lock(fd)
    except BaseException:
        os.close(fd)
        shutil.rmtree(path, ignore_errors=True)
        raise
    return Temp(path, fd)


def land_dir(temp: Temp, final: Path) -> None:
    """Rename the temporary folder to ``final`` — on Linux onto an empty folder too:
    rename(2) replaces an empty one atomically, and fails (ENOTEMPTY, EEXIST) on a non-empty
    one — then remove its lock file there and release the lock. An ``OSError`` of the rename
    is the caller's to word (and to :meth:`Temp.discard`)."""
    os.replace(temp.path, final)
    try:
        (Path(final) / LOCK_NAME).unlink()
    except OSError:
        pass
    temp.release()


def make_temp_file(parent: Path, prefix: str, suffix: str = ".tmp") -> Temp:
    """A new, locked file ``parent/<prefix>XXXXXXXX<suffix>`` (the usual permissions, not
    mkstemp's owner-only ones); a library then writes it by name — truncating the same file,
    so the lock stays on it — and the caller renames or links it into place."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~UMASK)
        _lock(fd)
    except BaseException:
        os.close(fd)
        os.unlink(name)
        raise
    return Temp(Path(name), fd)


def in_use(path: Path) -> bool:
    """Whether a live writer holds the lock of the temporary ``path`` (a folder: its lock
    file; a file: the file itself). Never opens a FIFO or follows a link to do so."""
    if fcntl is None:
        return False
    target = path / LOCK_NAME if path.is_dir() and not path.is_symlink() else path
    try:
        fd = os.open(
            target,
            os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0),
        )
    except OSError:  # no lock file (an older version's temporary, or killed before it)
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False
    finally:
        os.close(fd)


def is_stale(path: Path, now: float | None = None, min_age: float | None = None) -> bool:
    """Unchanged for long enough, and nobody holds its lock."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    age = (time.time() if now is None else now) - info.st_mtime
    if fcntl is None:
        return age >= (STALE_SECONDS_WITHOUT_LOCKS if min_age is None else min_age)
    if age < (STALE_SECONDS if min_age is None else min_age):
        return False
    return not in_use(path)


def clean_stale(
    folder: Path, pattern: str | re.Pattern, min_age: float | None = None
) -> list[Path]:
    """Remove the stale temporaries in ``folder`` whose names fully match ``pattern``;
    returns what was removed. Best effort: anything that cannot be removed is left."""
    regex = re.compile(pattern) if isinstance(pattern, str) else pattern
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not regex.fullmatch(entry.name):
            continue
        path = Path(entry.path)
        if not is_stale(path, now, min_age):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()  # a file, or a link or FIFO in its place: never opened
            removed.append(path)
        except OSError:
            pass
    return removed


def sibling_pattern(name: str) -> str:
    """The names ``make_temp_dir(parent, f".{name}.")`` gives: ``.NAME.XXXXXXXX``."""
    return rf"\.{re.escape(name)}\.{_MKDTEMP_SUFFIX}"


def prefixed_pattern(prefix_regex: str) -> str:
    """Names of mkdtemp folders made with a prefix matching ``prefix_regex``."""
    return prefix_regex + _MKDTEMP_SUFFIX
