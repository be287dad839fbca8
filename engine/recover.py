"""Copy what can still be read from a damaged run database into a new one.

The idea of SQLite's ``.recover``, for our own tables: rows are read in rowid order, a chunk
at a time; a chunk that cannot be read is retried row by row, and rows on damaged pages
are skipped and counted. The damaged file is only ever opened read-only.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.store import Store

TABLES = ("runs", "metrics", "predictions", "logs", "upstream_cache", "sweeps", "sweep_cells")
CHUNK = 500


def recover(damaged: str | Path, target: str | Path) -> dict[str, tuple[int, int]]:
    """{table: (rows copied, rows lost)}; ``target`` must not exist yet."""
    damaged, target = Path(damaged), Path(target)
    if not damaged.is_file():
        raise UserError(f"{damaged}: no such database file")
    if target.exists():
        raise UserError(f"{target} exists already; name a new file to copy into")
    source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True)
    report = {}
    try:
        with Store(target) as out:
            for table in TABLES:
                report[table] = _copy_table(source, out, table)
    finally:
        source.close()
    return report


def _copy_table(source: sqlite3.Connection, out: Store, table: str) -> tuple[int, int]:
    try:
        columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
        highest = source.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        return 0, 0  # the table's own description is lost
    wanted = [c for c in columns if c in out.db[table].columns_dict]
    select = f"SELECT rowid, {', '.join(wanted)} FROM {table}"
    copied = lost = 0
    last = 0
    while last < highest:
        try:
            rows = source.execute(f"{select} WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
                                  [last, last + CHUNK]).fetchall()
        except sqlite3.DatabaseError:
            rows = []
            for rowid in range(last + 1, last + CHUNK + 1):
                try:
                    rows += source.execute(f"{select} WHERE rowid = ?", [rowid]).fetchall()
                except sqlite3.DatabaseError:
                    lost += 1
        if rows:
            with out._write():
                out.db[table].insert_all([dict(zip(wanted, row[1:])) for row in rows],
                                         batch_size=CHUNK, replace=True)
            copied += len(rows)
        last += CHUNK
    return copied, lost
