"""The engine's speed-ups can be switched off, to measure them against the path they replaced.

``TRANSFER_EXPLORER_SPEED=baseline`` (inherited by sweep workers) restores the earlier path:
the final dev evaluation computed again, and sweep cells dispatched wave by wave in
definition order. The numbers are the same either way; bench/sweep_speed.py times both.
(AdamW's foreach step was tried and taken out: in the window its results changed with the
thread pool's state, so a rerun no longer repeated a run bit for bit.)
"""
from __future__ import annotations

import os

SPEED_ENV = "TRANSFER_EXPLORER_SPEED"


def baseline() -> bool:
    return os.environ.get(SPEED_ENV, "").strip().lower() == "baseline"
