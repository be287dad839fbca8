"""The engine's speed-ups can be switched off, to measure them against the path they replaced.

``TRANSFER_EXPLORER_SPEED=baseline`` (inherited by sweep workers) restores the earlier path:
the optimizer's per-tensor loop, the final dev evaluation computed again, and sweep cells
dispatched wave by wave in definition order. The numbers are the same either way (the
speed-ups are bit-identical on CPU); bench/sweep_speed.py times both.
"""
from __future__ import annotations

import os

SPEED_ENV = "TRANSFER_EXPLORER_SPEED"


def baseline() -> bool:
    return os.environ.get(SPEED_ENV, "").strip().lower() == "baseline"
