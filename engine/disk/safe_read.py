"""Opening files for reading without ever blocking on a special file.

``open()`` of a named pipe (FIFO) waits for a writer — for ever, when none comes — and a
device or a socket is no model, settings or vector file either. Every file the app reads is
opened here: with ``O_NONBLOCK`` (opening a FIFO returns at once), then checked with
``fstat`` on the open descriptor (so a file swapped for a FIFO after an earlier check is
caught too), and only then read. Anything that is not a regular file is a one-line
:class:`UserError`::

    <path>: a named pipe (FIFO), not a regular file; expected the model's weights

A folder that a library opens files from itself (a Hugging Face checkpoint folder for
``from_pretrained``, a sentence-transformers folder) is checked up front with
:func:`check_folder_files`: every file in it, symbolic links followed (the Hugging Face cache
links its snapshots to blobs), must be a regular file.

No Qt and no torch here; :func:`load_safetensors` imports safetensors when called.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import N_, _

# The kinds of file that are not data, as they are named in messages.
NOT_REGULAR = (
    (stat.S_ISFIFO, N_("a named pipe (FIFO)")),
    (stat.S_ISSOCK, N_("a socket")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISDIR, N_("a folder")),
)
# A refusal: (path, what was found there) -> raises. The default names the kind of file.
Refuse = Callable[[Path, os.stat_result], None]
# How many entries check_folder_files looks at before it trusts the rest (a model folder
# has tens; a user who points at a huge folder by mistake still gets an answer quickly).
MAX_FOLDER_ENTRIES = 20_000


def kind_of(mode: int) -> str | None:
    """'a named pipe (FIFO)', 'a folder', … for what is not a regular file; None for one
    (English, as marked with N_: translate it where it is shown, ``_(kind_of(mode))``)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in NOT_REGULAR if test(mode)), N_("not a regular file"))


def not_regular(path: str | Path, mode: int, what: str = "", error=UserError) -> UserError:
    """The one-line error for ``path`` being a FIFO, device, socket or folder."""
    kind = kind_of(mode) or "a regular file"
    if kind == "not a regular file":
        if what:
            return error(
                _("{path}: not a regular file; expected {what}").format(path=path, what=_(what))
            )
        return error(_("{path}: not a regular file").format(path=path))
    if what:
        return error(
            _("{path}: {kind}, not a regular file; expected {what}").format(
                path=path, kind=_(kind), what=_(what)
            )
        )
    return error(_("{path}: {kind}, not a regular file").format(path=path, kind=_(kind)))


def check_regular(path: str | Path, info: os.stat_result, what: str = "", error=UserError) -> None:
    """Raise :func:`not_regular` unless ``info`` (a stat of ``path``) is a regular file."""
    if not stat.S_ISREG(info.st_mode):
        raise not_regular(path, info.st_mode, what, error)


def open_regular(
    path: str | Path, what: str = "", error=UserError, refuse: Refuse | None = None
) -> BinaryIO:
    """``path`` opened for binary reading, never blocking; a FIFO, device, socket or folder
    is refused with ``error`` (or by ``refuse(path, stat)``, which must raise).

    Other failures (no such file, permission denied) raise the usual ``OSError``, for the
    caller to word: a missing file means different things in different places."""
    refuse = refuse or (lambda p, info: check_regular(p, info, what, error))
    nonblock = getattr(os, "O_NONBLOCK", 0)
    flags = (
        os.O_RDONLY
        | nonblock
        | getattr(os, "O_NOCTTY", 0)
        | getattr(os, "O_CLOEXEC", 0)
        | getattr(os, "O_BINARY", 0)
    )
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        # a socket cannot be opened at all (ENXIO): say what it is rather than 'no device'
        if exc.errno in (errno.ENXIO, errno.EOPNOTSUPP, errno.ENODEV):
            try:
                info = os.stat(path)
            except OSError:
                raise exc from None
            refuse(Path(path), info)
        raise
    try:
        refuse(Path(path), os.fstat(fd))
        if nonblock:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(
    path: str | Path, what: str = "", max_bytes: int | None = None, error=UserError
) -> bytes:
    """The bytes of a regular file; more than ``max_bytes`` is refused with ``error``."""
    with open_regular(path, what, error) as f:
        data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        if what:
            message = _("{path}: larger than {size}; expected {what}")
        else:
            message = _("{path}: larger than {size}")
        raise error(message.format(path=path, size=_size(max_bytes), what=_(what) if what else ""))
    return data


def read_text(
    path: str | Path,
    what: str = "",
    encoding: str = "utf-8",
    max_bytes: int | None = None,
    error=UserError,
) -> str:
    """The text of a regular file; text that is not ``encoding`` is refused with ``error``."""
    data = read_bytes(path, what, max_bytes, error)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if what:
            message = _("{path}: not {encoding} text (byte {byte}); expected {what}")
        else:
            message = _("{path}: not {encoding} text (byte {byte})")
        raise error(
            message.format(
                path=path, encoding=encoding.upper(), byte=exc.start, what=_(what) if what else ""
            )
        ) from None


def read_json(path: str | Path, what: str = "", error=UserError):
    """A JSON file's value. Bad JSON raises ``ValueError`` (json.JSONDecodeError), for the
    caller to word (a damaged cache entry and a damaged model are different stories)."""
    import json

    return json.loads(read_text(path, what, error=error))


def load_safetensors(path: str | Path, what: str = "", error=UserError) -> dict:
    """A safetensors file's tensors (torch), read through :func:`read_bytes`: the library's
    own ``load_file`` opens the path itself, and would wait for ever on a FIFO."""
    from safetensors.torch import load

    return load(read_bytes(path, what, error=error))


def copy_file(source: str | Path, target: str | Path, what: str = "", error=UserError) -> None:
    """``shutil.copy2`` for a regular source only (copy2 raises SpecialFileError on a FIFO,
    and opening a device would read it for ever). ``target`` is a new file."""
    with open_regular(source, what, error) as src:
        with open(target, "xb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    shutil.copystat(source, target)


def check_file(path: str | Path, what: str = "", error=UserError) -> os.stat_result | None:
    """What is at ``path`` (links followed) when it is a regular file; None when nothing is
    (a dangling link counts as nothing); a FIFO, device, socket or folder raises ``error``."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    check_regular(path, info, what, error)
    return info


def check_folder_files(folder: str | Path, what: str = "", error=UserError) -> None:
    """Every file under ``folder`` — what a library such as transformers or
    sentence-transformers may open there — is a regular file; symbolic links are followed
    (a Hugging Face cache snapshot is links to blobs), hidden folders (``.git``, ``.cache``)
    are skipped, and so are dangling links (nothing to open: the library says so)."""
    root = Path(folder)
    seen: set[tuple[int, int]] = set()
    pending = [root]
    count = 0
    while pending:
        current = pending.pop()
        try:
            info = os.stat(current)
            if (info.st_dev, info.st_ino) in seen:  # a link loop, or a folder linked twice
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = list(os.scandir(current))
        except OSError:  # unreadable: the library reports it in its own words
            continue
        for entry in entries:
            count += 1
            if count > MAX_FOLDER_ENTRIES:
                return
            try:
                info = entry.stat()  # follows links
            except OSError:  # dangling link, or a name that cannot be looked at
                continue
            if stat.S_ISDIR(info.st_mode):
                if not entry.name.startswith("."):
                    pending.append(Path(entry.path))
            elif not stat.S_ISREG(info.st_mode):
                raise not_regular(entry.path, info.st_mode, what, error)


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n // 2**20} MiB"
    return _("{n:,} bytes").format(n=n)
