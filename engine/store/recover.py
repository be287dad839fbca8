"""Copy what can still be read from a damaged run database into a new one.

The idea of SQLite's ``.recover``, for our own tables: rows are read in rowid order, a chunk
at a time; a chunk that cannot be read is retried row by row, and a damaged stretch is
stepped over. The damaged file is only ever opened read-only.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from transfer_explorer.engine.disk.outputs import refuse_database_family
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.store.database import Store, sqlite_uri

TABLES = ("runs", "metrics", "predictions", "logs", "upstream_cache", "sweeps", "sweep_cells")
CHUNK = 500
MIN_ROWID, MAX_ROWID = -(2**63), 2**63 - 1


def recover(damaged: str | Path, target: str | Path) -> dict[str, tuple[int, int]]:
    """{table: (rows copied, rows lost)} — lost is -1 where the damage hides how many;
    ``target`` must not exist yet."""
    damaged, target = Path(damaged), Path(target)
    if not damaged.is_file():
        raise UserError(_("{path}: no such database file").format(path=damaged))
    if target.exists() or target.is_symlink():
        raise UserError(
            _("{path} exists already; name a new file to copy into").format(path=target)
        )
    refuse_database_family(Path(os.path.realpath(target)), str(target), damaged)
    source = sqlite3.connect(sqlite_uri(damaged, mode="ro"), uri=True)
    report = {}
    try:
        with Store(target) as out:
            for table in TABLES:
                report[table] = _copy_table(source, out, table)
    finally:
        source.close()
    return report


def _copy_table(source: sqlite3.Connection, out: Store, table: str) -> tuple[int, int]:
    """(rows copied, rows lost) of one table. Rows are walked by the rowids that exist
    (``rowid > last ORDER BY rowid``), so a table whose rowids run to 2**62 costs its rows,
    not its rowids; a damaged stretch is stepped over (see :func:`_next_readable`)."""
    try:
        columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return 0, 0  # the table's own description is lost
    wanted = [c for c in columns if c in out.db[table].columns_dict]
    if not wanted:
        return 0, 0
    read = _reader(source, table, wanted)
    copied, last = 0, None
    while True:
        try:
            rows = read(last, CHUNK)
        except sqlite3.DatabaseError:
            rows = _readable_rows(read, last)
        if not rows:
            if last is None:  # (a table whose first page is damaged)
                last = _next_readable(read, None)
                if last is None:
                    break
                continue
            following = _next_readable(read, last)
            if following is None:
                break
            last = following
            continue
        with out._write():
            out.db[table].insert_all(
                [dict(zip(wanted, row[1:])) for row in rows], batch_size=CHUNK, replace=True
            )
        copied += len(rows)
        last = rows[-1][0]
    return copied, _lost(source, table, copied)


def _reader(source: sqlite3.Connection, table: str, wanted: list[str]):
    """read(after, n): up to n rows with a rowid above ``after`` (None: from the first)."""
    select = f"SELECT rowid, {', '.join(wanted)} FROM {table}"

    def read(after: int | None, n: int) -> list[tuple]:
        if after is None:
            return source.execute(f"{select} ORDER BY rowid LIMIT ?", [n]).fetchall()
        return source.execute(
            f"{select} WHERE rowid > ? ORDER BY rowid LIMIT ?", [after, n]
        ).fetchall()

    return read


def _readable_rows(read, last: int | None) -> list[tuple]:
    """The rows after ``last`` one at a time, up to the first that cannot be read."""
    rows: list[tuple] = []
    while len(rows) < CHUNK:
        try:
            found = read(rows[-1][0] if rows else last, 1)
        except sqlite3.DatabaseError:
            break
        if not found:
            break
        rows += found
    return rows


def _next_readable(read, last: int | None) -> int | None:
    """A rowid to go on from past a damaged stretch after ``last``: probes at growing
    distances find a place where reading works again, and halving the last gap finds the
    nearest such place — at most ~130 reads to cross anything up to 2**63. None: nothing
    readable follows."""
    start = MIN_ROWID if last is None else last

    def works(after: int) -> bool | None:  # True: rows follow; None: nothing follows
        try:
            return True if read(after, 1) else None
        except sqlite3.DatabaseError:
            return False

    step, failed = 1, start
    while True:
        probe = start + step
        if probe >= MAX_ROWID:
            return None
        answer = works(probe)
        if answer is None:
            return None
        if answer:
            break
        failed, step = probe, step * 2
    low, high = failed, probe  # reading fails after low, works after high
    while high - low > 1:
        middle = (low + high) // 2
        if works(middle):
            high = middle
        else:
            low = middle
    return high


def _lost(source: sqlite3.Connection, table: str, copied: int) -> int:
    """Rows the table holds that were not copied, when SQLite can still count them; -1
    when the damage makes the count fail too (rows were lost, how many cannot be told)."""
    try:
        total = source.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        return -1
    return max(0, total - copied)
