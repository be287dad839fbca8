"""Python's cyclic garbage collection on the GUI thread only, while a window is open.

The collector runs in whichever thread happens to allocate when a threshold trips. If that
is the training thread and the garbage holds Qt wrappers (a closed dialog, a slot's closure),
their C++ destructors run there and can deadlock against the GUI thread — seen here with a
sweep thread and the wrappers of a closed window. pyqtgraph's GarbageCollector turns the
automatic collector off and collects on a GUI-thread timer instead.
"""

from __future__ import annotations

import gc

from pyqtgraph.util.garbage_collector import GarbageCollector

_collector: GarbageCollector | None = None
_holders = 0


def hold() -> None:
    """A window opened: collect on the GUI thread from now on."""
    global _collector, _holders
    _holders += 1
    if _collector is None:
        # what exists now (modules, the window) lives as long as the app: freezing it keeps
        # a full collection on the GUI thread from re-scanning it every time (~100 ms here)
        gc.freeze()
        _collector = GarbageCollector(interval=1.0)


def release() -> None:
    """A window closed (its threads have ended): the last one gives automatic GC back."""
    global _collector, _holders
    _holders = max(0, _holders - 1)
    if _holders == 0 and _collector is not None:
        _collector.timer.stop()
        _collector = None
        gc.unfreeze()
        gc.enable()
