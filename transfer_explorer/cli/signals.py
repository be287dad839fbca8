"""Ctrl-C, SIGTERM and SIGHUP on the command line: stop cleanly, then at once, never a traceback.

- The first signal asks the engine to stop (``control.stop()``): the run ends at its next
  step and is recorded ``stopped``.
- A second one stops *now*: a KeyboardInterrupt is raised in the main thread (out of a long
  call that has no stop points), and the run is still recorded ``stopped`` on its way out.
  Inside an :func:`uninterrupted` block — where the run's end is being written — it waits
  until the block is done, so a second Ctrl-C can never cost the record it asks for.
- A third one ends the process at once (exit 130); the run is then found ``interrupted``.

SIGHUP is what a closed terminal sends: it stops like Ctrl-C, and what would have been
printed to the terminal that is gone goes nowhere instead of failing the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys

from transfer_explorer.engine.control import (
    STOP_SIGNALS,
    RunControl,
    defer_interrupt,
    uninterrupted,
)
from transfer_explorer.engine.i18n import _

__all__ = [
    "STOP_SIGNALS",
    "stop_on_signals",
    "uninterrupted",
    "exit_quietly_on_signals",
    "ignore_signals_while_exiting",
    "exit_now",
]

EXIT_STOPPED = 130


@contextlib.contextmanager
def stop_on_signals(control: RunControl):
    """Within the block, the stop signals stop ``control`` as described above; the
    previous handlers come back when it ends."""
    previous = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    count = 0

    def on_signal(signum, frame):
        nonlocal count
        count += 1
        if signum == getattr(signal, "SIGHUP", None):
            _detach_from_terminal()
        control.stop()
        if count == 2:
            if not defer_interrupt():
                raise KeyboardInterrupt
        if count >= 3:
            exit_now()

    for number in STOP_SIGNALS:
        signal.signal(number, on_signal)
    try:
        yield control
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def exit_quietly_on_signals() -> None:
    """For a command line process, outside a run: a stop signal (reading data, printing a
    summary, the interpreter's own exit hooks) ends the process at once with exit 130 and
    one word, never a KeyboardInterrupt traceback. Nothing is lost: a run or a sweep
    installs :func:`stop_on_signals` for as long as it lasts."""
    for number in STOP_SIGNALS:
        signal.signal(number, _exit_stopped)


def ignore_signals_while_exiting() -> None:
    """The command is done and the interpreter is about to exit. While it does, it puts
    back the default handlers, and a late Ctrl-C would kill it with a traceback from an
    exit hook, or with a signal instead of the command's exit code: ignored instead (an
    ignored signal stays ignored through the interpreter's exit)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)


def _exit_stopped(signum, frame) -> None:
    if signum == getattr(signal, "SIGHUP", None):
        _detach_from_terminal()
    with contextlib.suppress(Exception):
        sys.stderr.write(_("stopped") + "\n")
    exit_now()


def exit_now(code: int = EXIT_STOPPED) -> None:
    """End the process now (the kernel lets go of its locks; a run it held is found
    'interrupted' by the next opener)."""
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    os._exit(code)


def _detach_from_terminal() -> None:
    """The terminal is gone: writing to it would fail with EIO and fail the run."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            # a terminal is a character device (after a hangup isatty() may already say
            # no); files and pipes keep what is written to them
            with contextlib.suppress(OSError):
                if stat.S_ISCHR(os.fstat(fd).st_mode):
                    os.dup2(devnull, fd)
        os.close(devnull)
