"""Sweeps: a grid of experiments (``grid``), run resumably on local processes or Ray
(``execute.run_sweep``), summarised as a matrix with verdicts (``report``), read in words
(``story``), with effective data (``effective_data``) and a time estimate (``estimate``).

The top of the engine: may import a run and everything below it; nothing in the engine
imports a sweep.
"""

from transfer_explorer.engine.sweep.grid import (
    MAX_WORKERS,
    PRESETS,
    Cell,
    Sweep,
    check_sweep,
    load_sweep,
)

__all__ = ["MAX_WORKERS", "PRESETS", "Cell", "Sweep", "check_sweep", "load_sweep"]
