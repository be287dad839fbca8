"""Transfer Explorer: how much does pre-training help a sentence-similarity model?

The package holds the engine (``transfer_explorer.engine``: headless, no Qt), the window
(``transfer_explorer.gui``) and the files they ship (``transfer_explorer.resources``). From
Python — a notebook, a script — use::

    from transfer_explorer import Experiment, run, iter_run, sweep, open_store, load_model

Names are imported on first use, so ``transfer-explorer --help`` does not pay for torch.
"""

from __future__ import annotations

from importlib import import_module

_API = (
    "Experiment",
    "run",
    "iter_run",
    "sweep",
    "open_store",
    "load_model",
    "Model",
    "Result",
    "Curve",
    "RunControl",
)
__all__ = list(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module("transfer_explorer.api"), name)
    raise AttributeError(f"module 'transfer_explorer' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])
