"""Cooperative pause / resume / stop for a running experiment (thread-safe)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from transfer_explorer.engine.i18n import _

T = TypeVar("T")


class RunCancelled(Exception):
    """Raised inside the engine at the next step boundary after :meth:`RunControl.stop`."""


class RunControl:
    """Flags another thread sets; the engine honours them between steps.

    ``checkpoint()`` is the only call the engine makes: it returns at once when running,
    blocks while paused, and raises :class:`RunCancelled` once stopped (also while paused).
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused run so it can notice the stop

    def pause(self) -> None:
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def checkpoint(self) -> None:
        """Called by the engine between steps."""
        if not self._running.is_set():
            self._running.wait()
        if self._stop.is_set():
            raise RunCancelled(_("stopped by the user"))


# ---- stop points for long steps that are not handed a control --------------------------------
# Reading a file, training a tokenizer or encoding a large split happen deep inside helpers
# that know nothing of runs. The run sets its control for its own thread, and those steps call
# check_stop() every so often, so a stop (or a closed window) is honoured within a second.
_current = threading.local()


@contextlib.contextmanager
def active(control: RunControl):
    """Make ``control`` the one that :func:`check_stop` obeys in this thread."""
    previous = getattr(_current, "control", None)
    _current.control = control
    try:
        yield control
    finally:
        _current.control = previous


def check_stop() -> None:
    """Raise :class:`RunCancelled` when this thread's run was stopped (else return at once)."""
    control = getattr(_current, "control", None)
    if control is not None:
        control.checkpoint()


def stoppable(items: Iterable[T], every: int = 1000) -> Iterator[T]:
    """``items``, with a stop point every ``every`` items (e.g. texts fed to a tokenizer).

    The control is taken now, in the run's thread: the consumer may pull the items from
    threads of its own (the `tokenizers` trainer does)."""
    control = getattr(_current, "control", None)

    def items_with_stops() -> Iterator[T]:
        for i, item in enumerate(items):
            if control is not None and i % every == 0:
                control.checkpoint()
            yield item

    return items_with_stops()


def call_stoppable(
    function: Callable[..., T], *args, poll: float = 0.1, name: str = "stoppable call", **kwargs
) -> T:
    """``function(*args, **kwargs)`` for one long call into native code that has no stop
    points of its own but releases the GIL (the `tokenizers` trainer does): it runs in a
    helper thread while this thread waits in slices of ``poll`` seconds, honouring its run's
    pause and stop between them — and, on the main thread, letting Python's signal handlers
    run (they only run between bytecodes, never inside the native call), so Ctrl-C and
    SIGTERM are obeyed too.

    On a stop :class:`RunCancelled` is raised at once; the helper, a daemon thread, finishes
    in the background and its result is dropped (bound the call's input so that is short).
    """
    control = getattr(_current, "control", None)
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            outcome["error"] = exc

    helper = threading.Thread(target=work, name=name, daemon=True)
    helper.start()
    while helper.is_alive():
        helper.join(poll)
        if control is not None:
            control.checkpoint()
    if control is not None:  # a stop that came while the call ran, however short it was
        control.checkpoint()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# ---- notes from helpers that are not handed the run's log ------------------------------------
def reporting(log: Callable[[str], None]):
    """Within the block, :func:`report` in this thread hands its messages to ``log`` (e.g.
    ``lambda message: emit(Log(message))``)."""
    return _setting("log", log)


def report(message: str) -> None:
    """Tell this thread's run ``message`` (nothing happens where no log was set)."""
    log = getattr(_current, "log", None)
    if log is not None:
        log(message)


@contextlib.contextmanager
def _setting(name: str, value):
    previous = getattr(_current, name, None)
    setattr(_current, name, value)
    try:
        yield value
    finally:
        setattr(_current, name, previous)


# ---- the end of a run is written whole, whatever signals come ---------------------------------
# What a terminal (Ctrl-C), a service manager or `timeout` (SIGTERM) and a closed terminal
# (SIGHUP) send to end a program: each one stops a run cleanly.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_lock = threading.Lock()
_critical = 0  # depth of uninterrupted() blocks
_pending = False  # a second signal arrived inside one: raised when it ends


@contextlib.contextmanager
def uninterrupted():
    """A block that a second signal may not cut short (writing down how a run ended)."""
    global _critical, _pending
    with _lock:
        _critical += 1
    try:
        yield
    finally:
        with _lock:
            _critical -= 1
            raise_now = (
                _pending
                and _critical == 0
                and threading.current_thread() is threading.main_thread()
            )
            if raise_now:
                _pending = False
        if raise_now:
            raise KeyboardInterrupt


def defer_interrupt() -> bool:
    """For a signal handler about to interrupt at once: True when an :func:`uninterrupted`
    block is running — the interrupt is then raised when it ends, not now."""
    global _pending
    with _lock:
        if _critical:
            _pending = True
            return True
    return False
