"""Cooperative pause / resume / stop for a running experiment (thread-safe)."""
from __future__ import annotations

import threading


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
            raise RunCancelled("stopped by the user")
