"""The engine's speed-ups can be switched off, to measure them against the path they replaced.

``TRANSFER_EXPLORER_SPEED`` (inherited by sweep workers):

- ``baseline`` restores the earlier path: the final dev evaluation computed again, sweep
  cells dispatched wave by wave in definition order, AdamW's per-op step, torch's own
  dropout and attention;
- ``exact`` keeps every speed-up that changes no number, so a run is bit-identical to
  ``baseline`` (the fused step differs in the last bits; the cheap dropout masks and the
  Transformer layer's own training pass change the random streams);
- unset: everything.

bench/sweep_speed.py times ``baseline`` against today's path.
(AdamW's foreach step was tried and taken out: in the window its results changed with the
thread pool's state, so a rerun no longer repeated a run bit for bit.)
"""

from __future__ import annotations

import os

SPEED_ENV = "TRANSFER_EXPLORER_SPEED"


def _mode() -> str:
    return os.environ.get(SPEED_ENV, "").strip().lower()


def baseline() -> bool:
    """The earlier path, every speed-up off."""
    return _mode() == "baseline"


def fused_optimizer() -> bool:
    """AdamW's fused step (numbers equal to the per-op step up to the last bits)."""
    return _mode() not in ("baseline", "exact")


def fast_layers() -> bool:
    """On CPU, dropout masks from packed random bits and the Transformer layer's own training
    pass (engine/models/dropout.py, layer_step.py): other random streams, same distribution."""
    return _mode() not in ("baseline", "exact")
