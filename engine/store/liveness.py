"""Is the process working on a run (a sweep, a claimed cell) still alive? Its lock says.

While a process works on something it holds an advisory lock (``flock``) on a small file
named after it. The kernel drops the lock when the process ends, however it ends (SIGKILL,
a power cut, a container that is torn down), so a lock that can be taken means its holder is
gone. A pid cannot say as much: pids are reused, and a process in a container is often pid 1
under the same host name after every restart.

Locks are per open file: a second open of the same file — in another thread of the holder's
own process too — sees it held. Where locks cannot be made (no ``fcntl``, a folder that
refuses files) nothing is held and :func:`holder_alive` answers None: the caller falls back
on the pid, and says so.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from types import ModuleType

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, the pid check stays
    fcntl = None

LOCKS_FOLDER = ".locks"
_BUSY = (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)


def lock_path(folder: Path, name: str) -> Path:
    return Path(folder) / f"{name}.lock"


class Held:
    """A lock this process holds; :meth:`release` lets it go and removes its file."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd  # None once released

    def release(self) -> None:
        if self._fd is None:
            return
        # unlinked while still held: a checker that opens the name from now on finds no
        # file, and one that opened it before can only take the lock once it is released,
        # when the holder's final state is written already
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)  # closing drops the lock
        self._fd = None

    def __enter__(self) -> Held:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def hold(folder: Path, name: str) -> Held | None:
    """Take the lock ``name`` in ``folder`` for as long as this process works on it; None
    when it cannot be taken (no flock here, or the folder refuses files)."""
    if fcntl is None:
        return None
    path = lock_path(folder, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)  # held by someone else already: not ours to claim
        return None
    with contextlib.suppress(OSError):  # who holds it, for a person looking at the folder
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    return Held(path, fd)


def holder_alive(folder: Path, name: str) -> bool | None:
    """True while some process holds the lock; False once its holder is gone; None when
    there is no lock to ask (written by a version without locks, or none could be made)."""
    if fcntl is None:
        return None
    path = lock_path(folder, name)
    try:
        # read-only is enough for flock, so a store on read-only media can still be asked
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # a symlink, a folder, no permission: not a lock we can read
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in _BUSY:
            return True
        return None
    finally:
        os.close(fd)  # (drops the lock if it was taken just now)
    return False


def forget(folder: Path, name: str) -> None:
    """Remove a lock file whose holder is gone (after its state was relabelled)."""
    if holder_alive(folder, name) is False:
        with contextlib.suppress(OSError):
            lock_path(folder, name).unlink()
