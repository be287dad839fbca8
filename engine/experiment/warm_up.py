"""Pay a first run's one-time imports ahead of it.

A fresh process's first run spends ~2 s before its first step importing what no later run
imports again — above all ``torch._dynamo`` (~1.7 s, ~70 MB), which torch loads when the
first optimizer is built. The window calls :func:`warm_up` on a background thread once it is
shown, while a person is still choosing settings, so that the first Run starts training at
once. Everything here is imported lazily at run time too: calling it is never required.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_done = False


def warm_up() -> None:
    """Import what every run needs; once per process (a second caller waits for the first)."""
    global _done
    with _lock:
        if _done:
            return
        import torch

        from transfer_explorer.engine.experiment import runner  # noqa: F401 — the stages, metrics, store

        # building an optimizer is what imports torch._dynamo; a public way to trigger it
        torch.optim.AdamW([torch.zeros(1, requires_grad=True)])
        _done = True


def start_warm_up() -> threading.Thread:
    """:func:`warm_up` on a background thread, started and returned."""
    thread = threading.Thread(target=_warm_up_quietly, name="transfer-explorer-warm-up")
    thread.start()
    return thread


def _warm_up_quietly() -> None:
    try:
        warm_up()
    except Exception:  # noqa: BLE001 — a broken install fails the run itself, with its message
        pass
