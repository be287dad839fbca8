"""Guards against Qt-binding bugs that would crash the app after hours, not in a quick test."""

import sys

import pytest

pytest.importorskip("PySide6")


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason=(
        "None is immortal from Python 3.12 (PEP 683): its reference count no longer moves, so "
        "a lost reference can neither crash the app nor be seen here"
    ),
)
def test_process_events_keeps_none_alive(qapp):
    """PySide6 6.12.0 dropped one reference to None per processEvents() call; after enough
    calls CPython aborts with 'none_dealloc: deallocating None'. pyproject.toml excludes it."""
    before = sys.getrefcount(None)
    for _ in range(2000):
        qapp.processEvents()
    assert sys.getrefcount(None) - before > -500
