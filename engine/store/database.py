"""The SQLite store of runs, metrics, predictions and cached upstreams (sqlite-utils, WAL).

Open one :class:`Store` per thread: the worker thread that records a run opens its own,
the GUI thread that reads opens another. WAL lets them work at the same time.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import sys
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from transfer_explorer.engine.disk.safe_read import read_bytes
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.store import liveness


def _import_sqlite_utils():
    """sqlite-utils, imported without pandas when nothing has imported pandas yet.

    sqlite-utils imports pandas (and through it pyarrow), when installed, only to map pandas
    dtypes to column types; the store writes plain Python values. In the window that import
    was ~65 MB of RSS and ~0.5 s of every start (``datasets`` installs pandas).
    """
    hide = "pandas" not in sys.modules
    if hide:
        # makes `import pandas` raise ImportError (documented for sys.modules; typeshed
        # types its values as ModuleType only)
        sys.modules["pandas"] = None  # type: ignore[assignment]
    try:
        import sqlite_utils
    finally:
        if hide and sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]  # whoever needs pandas later imports it as usual
    return sqlite_utils


sqlite_utils = _import_sqlite_utils()

SCHEMA_VERSION = 5  # 2: sweeps; 3: run ids are never reused (AUTOINCREMENT); 4: cell claims;
# 5: kept records applied exactly once (unsaved_applied)
# Marks a file as ours (PRAGMA application_id): 'TXEX'. Files of schema 1-3 predate it and
# are recognised by their tables instead.
APPLICATION_ID = 0x54584558
OUR_TABLES = {"runs", "metrics", "predictions", "logs", "upstream_cache"}
OUR_RUN_COLUMNS = {"id", "status", "created_at", "config", "metrics", "stages", "pid", "host"}
OPEN_ATTEMPTS = 8
BUSY_TIMEOUT_S = 30.0  # how long a write waits for another program's lock
RUN_STATUSES = ("running", "finished", "stopped", "failed", "interrupted")
_CHECKED: set[str] = set()  # files whose integrity this process has checked


class StoreError(UserError):
    """The run database cannot be written now (locked by another program, disk full, ...)."""


class ForeignDatabase(UserError):
    """A SQLite file that belongs to another program: refused, never changed."""


class DamagedDatabase(UserError):
    """A run database that fails SQLite's integrity check: never written into."""


# what describe_db_error says, by the kind of error (translated where it is said)
DB_ERRORS = {
    "disk_full": N_("the disk is full"),
    "locked": N_("the run database is locked by another program"),
    "db_full": N_("the disk is full (the run database cannot grow)"),
    "readonly": N_("the run database is read-only"),
    "io": N_("the run database cannot be written (disk I/O error)"),
    "damaged": N_("the run database is damaged"),
}


def db_error_kind(exc: BaseException) -> str | None:
    """The key in :data:`DB_ERRORS` of a SQLite or disk error a user can act on."""
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "disk_full"
    if not isinstance(exc, sqlite3.Error):
        return None
    if "locked" in text or "busy" in text:
        return "locked"
    if "full" in text:
        return "db_full"
    if "readonly" in text or "read-only" in text:
        return "readonly"
    if "disk i/o" in text:
        return "io"
    if "malformed" in text or "not a database" in text:
        return "damaged"
    return None


def describe_db_error(exc: BaseException) -> str | None:
    """One line for a SQLite or disk error a user can act on (None: not one of those)."""
    kind = db_error_kind(exc)
    return None if kind is None else _(DB_ERRORS[kind])


def sqlite_uri(path: Path, **params: str) -> str:
    """The file as a ``file:`` URI: SQLite would read a path such as ``file:x?mode=memory``
    as a URI of its own (an in-memory database: every run lost) — a path is a path."""
    uri = Path(os.path.abspath(path)).as_uri()
    return uri + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The run database. ``read_only`` opens it for reading only (a damaged file, say)."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path).expanduser()
        self.read_only = read_only
        self._held: dict[str, liveness.Held] = {}  # locks this store holds: run-N, sweep-N …
        if read_only:
            self._open_read_only()
            return
        # Opening can meet SQLITE_BUSY without the busy handler (another process switching
        # the journal mode or recovering the WAL index): retry briefly before giving up.
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._open()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == OPEN_ATTEMPTS - 1:
                    raise UserError(
                        _("{path}: cannot open the run database ({error})").format(
                            path=self.path, error=exc
                        )
                    ) from None
                time.sleep(0.1 * (attempt + 1))
            except sqlite3.DatabaseError as exc:
                if "malformed" in str(exc):
                    raise _damaged(self.path, str(exc)) from None
                raise UserError(
                    _("{path}: cannot open the run database ({error})").format(
                        path=self.path, error=exc
                    )
                ) from None

    def _open(self) -> None:
        if self.path.exists() and not self.path.is_file():
            raise UserError(
                _("{path}: not a regular file; choose a database file with --db").format(
                    path=self.path
                )
            )
        for side in ("-wal", "-shm", "-journal"):  # SQLite would block on a FIFO there
            other = self.path.with_name(self.path.name + side)
            if other.exists() and not other.is_file():
                raise UserError(
                    _(
                        "{path}: not a regular file; SQLite keeps the database's "
                        "{kind} file there — move it away"
                    ).format(path=other, kind=side[1:])
                )
        from transfer_explorer.engine.disk.paths import writable_folder

        writable_folder(self.path.parent, _("the run database's folder"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                _("{path}: cannot make its folder ({error})").format(
                    path=self.path, error=exc.strerror or exc
                )
            ) from None
        conn = sqlite3.connect(sqlite_uri(self.path), uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            self.db = sqlite_utils.Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # nothing is changed (not even the journal mode) before the file is known as ours
            self._identify()
            self._check_integrity()
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._create_schema()
            self._apply_unsaved()  # what a run could not write when the file refused it
        except BaseException:
            conn.close()
            raise

    def _open_read_only(self) -> None:
        if not self.path.is_file():
            raise UserError(_("{path}: no such database file").format(path=self.path))
        conn = sqlite3.connect(sqlite_uri(self.path, mode="ro"), uri=True, timeout=BUSY_TIMEOUT_S)
        conn.execute("PRAGMA query_only = ON")
        self.db = sqlite_utils.Database(conn)
        try:
            self._identify()
        except BaseException:
            conn.close()
            raise

    def _identify(self) -> None:
        """Refuse a SQLite file of another program (even one with a ``runs`` table)."""
        application_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        if application_id == APPLICATION_ID:
            return
        tables = set(self.db.table_names())
        if application_id == 0 and not tables:
            return  # a new (or empty) file: ours to set up
        if (
            application_id == 0
            and OUR_TABLES <= tables
            and OUR_RUN_COLUMNS <= set(self.db["runs"].columns_dict)
        ):
            return  # written by a version before the application id (schema 1-3)
        raise ForeignDatabase(
            _(
                "{path} is not a Transfer Explorer run database (it "
                "belongs to another program); it was left unchanged — choose "
                "another file with --db"
            ).format(path=self.path)
        )

    def _check_integrity(self) -> None:
        """SQLite's quick check, once per file per process: never write into a damaged file."""
        key = str(self.path.resolve())
        if key in _CHECKED or not self.db.table_names():
            return
        problems = [row[0] for row in self.db.execute("PRAGMA quick_check(5)").fetchall()]
        if problems != ["ok"]:
            raise _damaged(self.path, problems[0])
        _CHECKED.add(key)

    @contextlib.contextmanager
    def _write(self):
        """A write transaction that takes the write lock up front (BEGIN IMMEDIATE).

        A deferred transaction that reads and then writes can fail at once with
        'database is locked' when another connection wrote in between; an immediate one
        waits for the lock (busy timeout) instead.
        """
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()

    def close(self) -> None:
        for held in self._held.values():
            held.release()
        self._held.clear()
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- schema -----------------------------------------------------------------------------
    def _create_schema(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        self.db.execute("PRAGMA foreign_keys = OFF")  # while ``runs`` may be rebuilt
        try:
            with self._write():
                if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    self._create_tables()  # (another process may have just done it)
        finally:
            self.db.execute("PRAGMA foreign_keys = ON")

    def _create_tables(self) -> None:
        self.db["runs"].create(
            {
                "id": int,
                "name": str,
                "status": str,
                "created_at": str,
                "finished_at": str,
                "seconds": float,
                "config": str,
                "upstream": str,
                "upstream_data": str,
                "method": str,
                "downstream": str,
                "encoder": str,
                "size": str,
                "seed": int,
                "train_fraction": float,
                "device": str,
                "upstream_key": str,
                "upstream_cached": int,
                "metric_name": str,
                "dev_metric": float,
                "test_metric": float,
                "metrics": str,
                "stages": str,
                "artifacts": str,
                "error": str,
                "traceback": str,
                "pid": int,
                "host": str,
            },
            pk="id",
            if_not_exists=True,
            not_null={"status", "created_at", "config"},
        )
        self.db["metrics"].create(
            {
                "run_id": int,
                "stage": str,
                "step": int,
                "epoch": int,
                "name": str,
                "value": float,
            },
            foreign_keys=[("run_id", "runs", "id")],
            if_not_exists=True,
        )
        self.db["predictions"].create(
            {
                "run_id": int,
                "stage": str,
                "split": str,
                "step": int,
                "pair": int,
                "sentence1": str,
                "sentence2": str,
                "gold": float,
                "pred": float,
            },
            foreign_keys=[("run_id", "runs", "id")],
            if_not_exists=True,
        )
        self.db["logs"].create(
            {
                "run_id": int,
                "time": str,
                "level": str,
                "message": str,
            },
            foreign_keys=[("run_id", "runs", "id")],
            if_not_exists=True,
        )
        self.db["upstream_cache"].create(
            {
                "key": str,
                "task": str,
                "data": str,
                "path": str,
                "created_at": str,
                "config": str,
                "metrics": str,
                "seconds": float,
            },
            pk="key",
            if_not_exists=True,
        )
        self.db["sweeps"].create(
            {
                "id": int,
                "key": str,
                "name": str,
                "definition": str,
                "created_at": str,
                "updated_at": str,
                "status": str,
                "seconds": float,
            },
            pk="id",
            if_not_exists=True,
        )
        self.db["sweep_cells"].create(
            {
                "sweep_id": int,
                "cell_key": str,
                "run_id": int,
                "arm": str,
                "encoder": str,
                "downstream": str,
                "fraction": float,
                "seed": int,
            },
            foreign_keys=[("sweep_id", "sweeps", "id")],
            if_not_exists=True,
        )
        self.db["sweep_claims"].create(
            {  # a cell some process is training now
                "sweep_id": int,
                "cell_key": str,
                "pid": int,
                "host": str,
                "claimed_at": str,
            },
            pk=("sweep_id", "cell_key"),
            if_not_exists=True,
        )
        self.db["unsaved_applied"].create(
            {  # kept records written already: never twice
                "key": str,
                "applied_at": str,
            },
            pk="key",
            if_not_exists=True,
        )
        self.db["sweeps"].create_index(["key"], unique=True, if_not_exists=True)
        self.db["sweep_cells"].create_index(["sweep_id", "cell_key"], if_not_exists=True)
        self.db["metrics"].create_index(["run_id", "stage", "name"], if_not_exists=True)
        self.db["predictions"].create_index(["run_id", "stage", "split"], if_not_exists=True)
        self.db["logs"].create_index(["run_id"], if_not_exists=True)
        self._never_reuse_run_ids()
        self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _never_reuse_run_ids(self) -> None:
        """Rebuild ``runs`` with AUTOINCREMENT (SQLite cannot alter a key in place).

        Plain rowids are reused after the newest run is deleted, and a sweep cell or a cached
        model that named the old run would then point at an unrelated one. Ids continue after
        the highest id any table mentions, so even runs deleted before this upgrade stay
        retired. Runs inside the caller's write transaction; foreign keys are not enforced
        while the table is swapped (PRAGMA foreign_keys cannot change inside one), and the
        other tables refer to ``runs`` by name, so they keep pointing at the new table.
        """
        schema = self.db["runs"].schema
        if "AUTOINCREMENT" in schema.upper():
            return
        # sqlite-utils quotes names with [] or "" depending on its version
        new = re.sub(
            r'^CREATE TABLE\s+(\[runs\]|"runs"|runs)',
            "CREATE TABLE runs_new",
            schema,
            count=1,
            flags=re.IGNORECASE,
        )
        new = re.sub(
            r'(\[id\]|"id"|\bid)\s+INTEGER\s+PRIMARY\s+KEY',
            "id INTEGER PRIMARY KEY AUTOINCREMENT",
            new,
            count=1,
            flags=re.IGNORECASE,
        )
        if (
            "AUTOINCREMENT" not in new or "runs_new" not in new
        ):  # pragma: no cover - a schema we did not write
            raise UserError(_("{path}: unexpected layout of the runs table").format(path=self.path))
        highest = max(
            self.db.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}").fetchone()[0]
            for table, column in (
                ("runs", "id"),
                ("metrics", "run_id"),
                ("predictions", "run_id"),
                ("logs", "run_id"),
                ("sweep_cells", "run_id"),
            )
        )
        conn = self.db.conn
        conn.execute(new)
        conn.execute("INSERT INTO runs_new SELECT * FROM runs")
        conn.execute("DROP TABLE runs")
        conn.execute("ALTER TABLE runs_new RENAME TO runs")
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'runs'")
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('runs', ?)", [highest])

    # ---- runs -------------------------------------------------------------------------------
    def create_run(
        self, config: dict, device: str, name: str = "", columns: dict | None = None
    ) -> int:
        """A new run, ``running``. ``columns`` are what lists show (engine.labels.run_columns);
        without them they are read off the settings as they stand."""
        if columns is None:
            up, down = config.get("upstream", {}), config.get("downstream", {})
            model = config.get("model", {})
            columns = {
                "upstream": up.get("task", ""),
                "upstream_data": up.get("data") or "",
                "method": config.get("method", ""),
                "downstream": down.get("data", ""),
                "encoder": model.get("encoder", ""),
                "size": model.get("size", ""),
                "seed": config.get("seed", 0),
                "train_fraction": down.get("train_fraction", 1.0),
            }
        with self._write():
            table = self.db["runs"].insert(
                {
                    **columns,
                    "name": name,
                    "status": "running",
                    "created_at": now(),
                    "config": json.dumps(config),
                    "device": device,
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                }
            )
            run_id = int(table.last_pk)
            # held before the row is committed: no other process ever sees the run
            # 'running' without its lock (it would take it for a dead one)
            self._hold(f"run-{run_id}")
        return run_id

    def release_run(self, run_id: int) -> None:
        """Let go of a run's lock once its final state is written (or kept aside)."""
        self._release(f"run-{run_id}")

    def update_run(self, run_id: int, **fields: Any) -> None:
        with self._write():
            self.db["runs"].update(run_id, _encode_run(fields))

    def get_run(self, run_id: int) -> dict:
        try:
            row = self.db["runs"].get(run_id)
        except sqlite_utils.db.NotFoundError:
            raise UserError(
                _("no run with id {run} in {path}").format(run=run_id, path=self.path)
            ) from None
        return _decode_run(self._settled([row])[0])

    def result(self, run_id: int):
        """The run as a :class:`~transfer_explorer.engine.store.results.Result` (metrics, NumPy
        curves, its model)."""
        from transfer_explorer.engine.store.results import Result

        return Result.from_store(self, run_id)

    def list_runs(self, status: str | None = None) -> list[dict]:
        rows = self._settled(list(self.db["runs"].rows_where(order_by="id")))
        return [_decode_run(r) for r in rows if status is None or r["status"] == status]

    def rename_run(self, run_id: int, name: str) -> None:
        self.get_run(run_id)
        self.update_run(run_id, name=name)

    def delete_run(self, run_id: int) -> None:
        run = self.get_run(run_id)
        if run["status"] == "running":  # its process still writes into it
            raise UserError(running_message(run))
        with self._write():
            for table in ("metrics", "predictions", "logs", "sweep_cells"):
                self.db[table].delete_where("run_id = ?", [run_id])
            self.db["runs"].delete(run_id)
        if run.get("artifacts"):
            shutil.rmtree(run["artifacts"], ignore_errors=True)

    # ---- liveness: is the process behind a 'running' row still there? -------------------------
    def locks_folder(self) -> Path:
        from transfer_explorer.engine.disk.paths import runs_dir

        return runs_dir(self.path) / liveness.LOCKS_FOLDER

    def _hold(self, name: str) -> None:
        held = liveness.hold(self.locks_folder(), name)
        if held is not None:
            self._held[name] = held

    def _release(self, name: str) -> None:
        held = self._held.pop(name, None)
        if held is not None:
            held.release()

    def holder_alive(self, name: str, pid: int | None, host: str | None) -> bool:
        """Whether the process behind ``name`` (run-N, sweep-N, claim-…) is alive: its lock
        decides; without one (an older version wrote it) a process of this host is looked
        up by pid, and a process of another host is taken to be alive."""
        if name in self._held:
            return True
        alive = liveness.holder_alive(self.locks_folder(), name)
        if alive is not None:
            return alive
        return host != socket.gethostname() or _alive(pid)

    def _settled(self, rows: list[dict]) -> list[dict]:
        """``rows`` with runs whose process is gone labelled 'interrupted' — written down
        when the store is writable, so the CLI, the window and the API agree."""
        dead = [
            r
            for r in rows
            if r["status"] == "running"
            and not self.holder_alive(f"run-{r['id']}", r["pid"], r["host"])
        ]
        if not dead:
            return rows
        if not self.read_only:
            self._label_interrupted([r["id"] for r in dead])
        ids, fields = {r["id"] for r in dead}, {"status": "interrupted", "error": _(INTERRUPTED)}
        return [{**r, **fields} if r["id"] in ids else r for r in rows]

    def _label_interrupted(self, run_ids: list[int]) -> list[int]:
        """Label these runs 'interrupted' if they still say 'running'; the ids relabelled."""
        done = []
        for run_id in run_ids:
            with self._write():
                changed = self.db.execute(
                    "UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? "
                    "WHERE id = ? AND status = 'running'",
                    [now(), _(INTERRUPTED), run_id],
                ).rowcount
            if changed:
                done.append(run_id)
            liveness.forget(self.locks_folder(), f"run-{run_id}")
        return done

    def mark_interrupted(self) -> list[int]:
        """Runs and sweeps left 'running' by a process that no longer exists are labelled
        'interrupted' (after writing what such a process kept aside when its database
        refused it). Returns the runs relabelled."""
        self._apply_unsaved()
        dead = [
            r["id"]
            for r in self.db["runs"].rows_where("status = 'running'")
            if not self.holder_alive(f"run-{r['id']}", r["pid"], r["host"])
        ]
        for sweep in self.db["sweeps"].rows_where("status = 'running'"):
            name = f"sweep-{sweep['id']}"
            if liveness.holder_alive(self.locks_folder(), name) is False:
                with self._write():
                    self.db.execute(
                        "UPDATE sweeps SET status = 'interrupted', updated_at = ? "
                        "WHERE id = ? AND status = 'running'",
                        [now(), sweep["id"]],
                    )
                liveness.forget(self.locks_folder(), name)
        return self._label_interrupted(dead)

    def mark_run_interrupted(self, run_id: int) -> bool:
        """The user's way out for a run that says 'running' when its process is known to be
        gone (a lock the kernel could not tell about: a network file system, a version
        without locks). Refused while its lock is held; False if it was not running."""
        run = self.get_run(run_id)
        if run["status"] != "running":
            return False
        if (
            liveness.holder_alive(self.locks_folder(), f"run-{run_id}")
            or f"run-{run_id}" in self._held
        ):
            raise UserError(
                _(
                    "run {run} is running: process {pid} on {host} holds its lock; stop it there"
                ).format(run=run_id, pid=run["pid"], host=run["host"])
            )
        return bool(self._label_interrupted([run_id]))

    # ---- a run's writes as plain entries: applied now, or saved beside the file for later ---
    def write(
        self, run_id: int, entries: list[tuple[str, Any]], wait_s: float | None = None
    ) -> None:
        """Apply a run's recorded writes in one transaction. Entries are ("metrics", rows),
        ("log", {time, level, message}), ("predictions", {stage, split, step, rows}) and
        ("run", fields) — plain data, so writes that cannot happen now can be kept on disk.
        ``wait_s``: how long to wait for another program's lock (default BUSY_TIMEOUT_S)."""
        if wait_s is not None:
            self.db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
        try:
            self._write_entries(run_id, entries)
        finally:
            if wait_s is not None:
                self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def _write_entries(self, run_id: int, entries: list[tuple[str, Any]]) -> None:
        with self._write():
            self._apply_entries(run_id, entries)

    def _apply_entries(self, run_id: int, entries: list[tuple[str, Any]]) -> None:
        """The writes themselves, inside the caller's transaction."""
        for kind, payload in entries:
            if kind == "metrics":
                self.db["metrics"].insert_all(
                    [{**r, "run_id": run_id} for r in payload], batch_size=500
                )
            elif kind == "log":
                self.db["logs"].insert({**payload, "run_id": run_id})
            elif kind == "predictions":
                self.db["predictions"].delete_where(
                    "run_id = ? AND stage = ? AND split = ?",
                    [run_id, payload["stage"], payload["split"]],
                )
                self.db["predictions"].insert_all(
                    [
                        {
                            **r,
                            "run_id": run_id,
                            "stage": payload["stage"],
                            "split": payload["split"],
                            "step": payload["step"],
                        }
                        for r in payload["rows"]
                    ],
                    batch_size=500,
                )
            elif kind == "run":
                self.db["runs"].update(run_id, _encode_run(payload))

    def unsaved_folder(self) -> Path:
        """Where a run keeps the writes its database refused (locked, disk full)."""
        return self.path.with_name(self.path.name + ".unsaved")

    def keep_unsaved(self, run_id: int, entries: list) -> Path | None:
        """Save writes that could not be made, to be applied at the next open (None: the
        disk refused this too; the run is then labelled 'interrupted' at the next open)."""
        folder = self.unsaved_folder()
        target = folder / f"run-{run_id}.json"
        try:
            folder.mkdir(exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps(entries), encoding="utf-8")
            tmp.replace(target)
            return target
        except OSError:
            return None

    def _apply_unsaved(self) -> list[int]:
        """Write what earlier runs could not (see :meth:`keep_unsaved`); their ids.

        Exactly once, however many processes open the store at the same moment: a file's
        name and content are recorded in ``unsaved_applied`` in the same transaction as its
        writes, and whoever finds that record only removes the file."""
        folder = self.unsaved_folder()
        done = []
        for path in sorted(folder.glob("run-*.json")) if folder.is_dir() else []:
            try:
                run_id = int(path.stem.split("-", 1)[1])
                raw = read_bytes(path, "a run's kept records")
                entries = json.loads(raw.decode("utf-8"))
            except (ValueError, OSError, UserError):
                continue  # not one of ours, or half-written: left for a person to look at
            key = f"{path.name}:{hashlib.sha256(raw).hexdigest()}"
            with self._write():
                if not self.db.execute(
                    "SELECT 1 FROM unsaved_applied WHERE key = ?", [key]
                ).fetchone():
                    if self.db["runs"].count_where("id = ?", [run_id]):
                        self._apply_entries(run_id, entries)
                        done.append(run_id)
                    self.db["unsaved_applied"].insert({"key": key, "applied_at": now()})
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()
        return done

    # ---- metrics, predictions, logs -----------------------------------------------------------
    def add_metrics(self, rows: Iterable[dict]) -> None:
        rows = list(rows)
        if rows:
            with self._write():
                self.db["metrics"].insert_all(rows, batch_size=500)

    def replace_predictions(
        self, run_id: int, stage: str, split: str, step: int, predictions: Iterable
    ) -> None:
        rows = [
            {
                "run_id": run_id,
                "stage": stage,
                "split": split,
                "step": step,
                "pair": i,
                "sentence1": p.sentence1,
                "sentence2": p.sentence2,
                "gold": p.gold,
                "pred": p.pred,
            }
            for i, p in enumerate(predictions)
        ]
        with self._write():
            self.db["predictions"].delete_where(
                "run_id = ? AND stage = ? AND split = ?", [run_id, stage, split]
            )
            if rows:
                self.db["predictions"].insert_all(rows, batch_size=500)

    def add_log(self, run_id: int, level: str, message: str) -> None:
        with self._write():
            self.db["logs"].insert(
                {"run_id": run_id, "time": now(), "level": level, "message": message}
            )

    def metrics(self, run_id: int, stage: str | None = None) -> list[dict]:
        where = "run_id = ?" + (" AND stage = ?" if stage else "")
        args = [run_id] + ([stage] if stage else [])
        return list(self.db["metrics"].rows_where(where, args, order_by="rowid"))

    def curves(self, run_id: int) -> dict[tuple[str, str], tuple[list[int], list[float]]]:
        """{(stage, name): (steps, values)} for drawing a finished run's curves."""
        out: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        for row in self.metrics(run_id):
            steps, values = out.setdefault((row["stage"], row["name"]), ([], []))
            steps.append(row["step"])
            values.append(row["value"])
        return out

    def predictions(self, run_id: int, stage: str = "downstream", split: str = "dev") -> list[dict]:
        return list(
            self.db["predictions"].rows_where(
                "run_id = ? AND stage = ? AND split = ?", [run_id, stage, split], order_by="pair"
            )
        )

    def logs(self, run_id: int) -> list[dict]:
        return list(self.db["logs"].rows_where("run_id = ?", [run_id], order_by="rowid"))

    # ---- sweeps ------------------------------------------------------------------------------
    def sweep_id(self, key: str, name: str, definition: dict) -> tuple[int, bool]:
        """The sweep with this definition key (created if new); True when it already existed."""
        row = next(self.db["sweeps"].rows_where("key = ?", [key]), None)
        if row is not None:
            return int(row["id"]), True
        with self._write():
            table = self.db["sweeps"].insert(
                {
                    "key": key,
                    "name": name,
                    "definition": json.dumps(definition),
                    "created_at": now(),
                    "updated_at": now(),
                    "status": "new",
                    "seconds": 0.0,
                }
            )
        return int(table.last_pk), False

    def update_sweep(self, sweep_id: int, **fields: Any) -> None:
        with self._write():
            self.db["sweeps"].update(sweep_id, {**fields, "updated_at": now()})

    def list_sweeps(self) -> list[dict]:
        return [
            {**r, "definition": json.loads(r["definition"])}
            for r in self.db["sweeps"].rows_where(order_by="id")
        ]

    def link_cell(self, sweep_id: int, cell, run_id: int) -> None:
        with self._write():
            self.db["sweep_cells"].insert(
                {
                    "sweep_id": sweep_id,
                    "cell_key": cell.key,
                    "run_id": run_id,
                    "arm": cell.arm,
                    "encoder": cell.encoder,
                    "downstream": cell.downstream,
                    "fraction": cell.fraction,
                    "seed": cell.seed,
                }
            )

    def claim_cell(self, sweep_id: int, cell_key: str) -> int | None:
        """Claim a cell for this process before training it. Returns None when claimed, else
        the pid of the live process that trains it already (a second copy of the sweep), or
        0 when another copy has finished it since this one started."""
        host, pid = socket.gethostname(), os.getpid()
        with self._write():
            if self.db.execute(
                "SELECT 1 FROM sweep_cells c JOIN runs r ON r.id = c.run_id WHERE "
                "c.sweep_id = ? AND c.cell_key = ? AND r.status = 'finished' LIMIT 1",
                [sweep_id, cell_key],
            ).fetchone():
                return 0
            row = next(
                self.db["sweep_claims"].rows_where(
                    "sweep_id = ? AND cell_key = ?", [sweep_id, cell_key]
                ),
                None,
            )
            name = _claim_name(sweep_id, cell_key)
            if (
                row is not None
                and name not in self._held
                and self.holder_alive(name, row["pid"], row["host"])
            ):
                return int(row["pid"])
            self.db["sweep_claims"].upsert(
                {
                    "sweep_id": sweep_id,
                    "cell_key": cell_key,
                    "pid": pid,
                    "host": host,
                    "claimed_at": now(),
                },
                pk=("sweep_id", "cell_key"),
            )
            self._hold(name)
        return None

    def release_cell(self, sweep_id: int, cell_key: str) -> None:
        with self._write():
            self.db["sweep_claims"].delete_where(
                "sweep_id = ? AND cell_key = ? AND pid = ?", [sweep_id, cell_key, os.getpid()]
            )
        self._release(_claim_name(sweep_id, cell_key))

    def release_cells(self, sweep_id: int) -> None:
        """Every claim this process holds on the sweep (it is ending)."""
        with self._write():
            self.db["sweep_claims"].delete_where(
                "sweep_id = ? AND pid = ?", [sweep_id, os.getpid()]
            )
        prefix = _claim_name(sweep_id, "")[:-16]
        for name in [n for n in self._held if n.startswith(prefix)]:
            self._release(name)

    def hold_sweep(self, sweep_id: int) -> None:
        """This process drives the sweep: while it lives, the sweep's 'running' is true."""
        self._hold(f"sweep-{sweep_id}")

    def release_sweep(self, sweep_id: int) -> None:
        self._release(f"sweep-{sweep_id}")

    # a sweep's cells with their runs' status and metrics (metrics: JSON text, read by _cell_rows)
    _CELLS = (
        "SELECT c.*, r.status, r.dev_metric, r.test_metric, r.metric_name, r.metrics, "
        "r.seconds, r.upstream_cached FROM sweep_cells c JOIN runs r ON r.id = c.run_id "
    )

    @staticmethod
    def _cell_rows(rows) -> list[dict]:
        return [{**r, "metrics": json.loads(r["metrics"]) if r["metrics"] else {}} for r in rows]

    def sweep_cells(self, sweep_id: int) -> list[dict]:
        """Every run of a sweep, newest attempt last, with its status and metrics."""
        return self._cell_rows(
            self.db.query(self._CELLS + "WHERE c.sweep_id = ? ORDER BY c.run_id", [sweep_id])
        )

    def finished_cells(self, sweep_id: int) -> dict[str, int]:
        """cell key -> run id of its finished run (the cells a resumed sweep skips)."""
        return {
            r["cell_key"]: r["run_id"]
            for r in self.sweep_cells(sweep_id)
            if r["status"] == "finished"
        }

    def cell_runs(self, cell_keys: list[str]) -> list[dict]:
        """The finished runs of these cells in any sweep of this store, oldest first, as
        :meth:`sweep_cells` gives them (the Lesson page shows a step from them)."""
        keys = list(dict.fromkeys(cell_keys))
        rows: list[dict] = []
        for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[start : start + 500]
            rows += self.db.query(
                self._CELLS + "WHERE r.status = 'finished' AND c.cell_key IN "
                f"({', '.join('?' * len(chunk))})",
                chunk,
            )
        rows.sort(key=lambda r: r["run_id"])
        return self._cell_rows(rows)

    def finished_elsewhere(self, sweep_id: int, cell_keys: list[str]) -> dict[str, int]:
        """cell key -> the latest finished run of that cell in *another* sweep of this store
        (the same settings give the same result: the lesson's steps share their control)."""
        # oldest first: a later run of the same cell wins
        return {
            r["cell_key"]: r["run_id"]
            for r in self.cell_runs(cell_keys)
            if r["sweep_id"] != sweep_id
        }

    # ---- runs recorded elsewhere (a Ray worker's own database) ---------------------------------
    def export_run(self, run_id: int) -> dict:
        """Everything recorded for a run, as plain data that :meth:`import_run` takes."""
        run = dict(self.db["runs"].get(run_id))
        tables = {
            t: [
                {k: v for k, v in r.items() if k != "run_id"}
                for r in self.db[t].rows_where("run_id = ?", [run_id], order_by="rowid")
            ]
            for t in ("metrics", "predictions", "logs")
        }
        return {"run": run, **tables}

    def import_run(self, payload: dict) -> int:
        """Insert a run exported from another database; returns its id here."""
        run = {k: v for k, v in payload["run"].items() if k != "id"}
        with self._write():
            run_id = int(self.db["runs"].insert(run).last_pk)
            for table in ("metrics", "predictions", "logs"):
                rows = [{**r, "run_id": run_id} for r in payload.get(table, [])]
                if rows:
                    self.db[table].insert_all(rows, batch_size=500)
        return run_id

    # ---- upstream cache index --------------------------------------------------------------
    def record_upstream(
        self, key: str, task: str, data: str, path: str, config: dict, metrics: dict, seconds: float
    ) -> None:
        with self._write():
            self.db["upstream_cache"].upsert(
                {
                    "key": key,
                    "task": task,
                    "data": data,
                    "path": path,
                    "created_at": now(),
                    "config": json.dumps(config),
                    "metrics": json.dumps(metrics),
                    "seconds": seconds,
                },
                pk="key",
            )

    def upstream(self, key: str) -> dict | None:
        """What the cache index knows of an upstream: task, data, when, how long, metrics."""
        row = next(self.db["upstream_cache"].rows_where("key = ?", [key]), None)
        if row is None:
            return None
        return {
            **row,
            "config": json.loads(row["config"] or "{}"),
            "metrics": json.loads(row["metrics"] or "{}"),
        }


def _damaged(path: Path, problem: str) -> DamagedDatabase:
    # quick_check heads its report with "*** in database main ***": the line after says what
    lines = [line for line in problem.splitlines() if line.strip() and not line.startswith("***")]
    problem = lines[0] if lines else problem.strip()
    return DamagedDatabase(
        _(
            "{path} is damaged ({problem}); nothing was written to it. "
            "Copy what can be read into a new file with: transfer-explorer "
            "recover {path} NEW.sqlite"
        ).format(path=path, problem=problem[:80])
    )


def _encode_run(fields: dict) -> dict:
    return {
        k: json.dumps(v) if k in ("metrics", "stages", "config") and not isinstance(v, str) else v
        for k, v in fields.items()
    }


def _decode_run(row: dict) -> dict:
    row = dict(row)
    for key in ("config", "metrics", "stages"):
        row[key] = json.loads(row[key]) if row.get(key) else {}
    return row


INTERRUPTED = N_("the process running it ended before it finished")


def running_message(run: dict) -> str:
    """Why a running run cannot be deleted, and the way out if its process is gone."""
    return _(
        "run {run} is running (process {pid} on {host}); stop it "
        "first — if that process is gone, mark it with: transfer-explorer runs "
        "--mark-interrupted {run}"
    ).format(run=run["id"], pid=run["pid"], host=run["host"])


def _claim_name(sweep_id: int, cell_key: str) -> str:
    return f"claim-{sweep_id}-" + hashlib.sha256(cell_key.encode()).hexdigest()[:16]


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
