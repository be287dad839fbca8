"""The SQLite store of runs: the database (``database.Store``), the recorder that writes a
run's events into it, liveness of running runs (``liveness``: a lock per run), recovery of
a damaged file, results read back as plain Python, TensorBoard event files.

Below a run, above saved models (a result loads its model): imports saved, disk and the
engine's top-level modules only.
"""

from transfer_explorer.engine.store.database import (
    DamagedDatabase,
    ForeignDatabase,
    Store,
    StoreError,
)

__all__ = ["Store", "StoreError", "ForeignDatabase", "DamagedDatabase"]
