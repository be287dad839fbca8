"""The SQLite store of runs, metrics, predictions and cached upstreams (sqlite-utils, WAL).

Open one :class:`Store` per thread: the worker thread that records a run opens its own,
the GUI thread that reads opens another. WAL lets them work at the same time.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import contextlib

import sqlite_utils

from engine.errors import UserError

SCHEMA_VERSION = 3  # 2: sweeps; 3: run ids are never reused (AUTOINCREMENT)
OPEN_ATTEMPTS = 8
RUN_STATUSES = ("running", "finished", "stopped", "failed", "interrupted")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path).expanduser()
        # Opening can meet SQLITE_BUSY without the busy handler (another process switching
        # the journal mode or recovering the WAL index): retry briefly before giving up.
        for attempt in range(OPEN_ATTEMPTS):
            try:
                self._open()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == OPEN_ATTEMPTS - 1:
                    raise UserError(f"{self.path}: cannot open the run database ({exc})") \
                        from None
                time.sleep(0.1 * (attempt + 1))
            except sqlite3.DatabaseError as exc:
                raise UserError(f"{self.path}: cannot open the run database ({exc})") from None

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(self.path), timeout=30)
        try:
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA busy_timeout = 30000")
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            self.db.execute("PRAGMA foreign_keys = ON")
            self._create_schema()
        except BaseException:
            conn.close()
            raise

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
        self.db.close()

    def __enter__(self) -> "Store":
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
        self.db["runs"].create({
            "id": int, "name": str, "status": str, "created_at": str, "finished_at": str,
            "seconds": float, "config": str, "upstream": str, "upstream_data": str,
            "method": str, "downstream": str, "encoder": str, "size": str, "seed": int,
            "train_fraction": float, "device": str, "upstream_key": str,
            "upstream_cached": int, "metric_name": str, "dev_metric": float,
            "test_metric": float, "metrics": str, "stages": str, "artifacts": str,
            "error": str, "traceback": str, "pid": int, "host": str,
        }, pk="id", if_not_exists=True, not_null={"status", "created_at", "config"})
        self.db["metrics"].create({
            "run_id": int, "stage": str, "step": int, "epoch": int, "name": str,
            "value": float,
        }, foreign_keys=[("run_id", "runs", "id")], if_not_exists=True)
        self.db["predictions"].create({
            "run_id": int, "stage": str, "split": str, "step": int, "pair": int,
            "sentence1": str, "sentence2": str, "gold": float, "pred": float,
        }, foreign_keys=[("run_id", "runs", "id")], if_not_exists=True)
        self.db["logs"].create({
            "run_id": int, "time": str, "level": str, "message": str,
        }, foreign_keys=[("run_id", "runs", "id")], if_not_exists=True)
        self.db["upstream_cache"].create({
            "key": str, "task": str, "data": str, "path": str, "created_at": str,
            "config": str, "metrics": str, "seconds": float,
        }, pk="key", if_not_exists=True)
        self.db["sweeps"].create({
            "id": int, "key": str, "name": str, "definition": str, "created_at": str,
            "updated_at": str, "status": str, "seconds": float,
        }, pk="id", if_not_exists=True)
        self.db["sweep_cells"].create({
            "sweep_id": int, "cell_key": str, "run_id": int, "arm": str, "encoder": str,
            "downstream": str, "fraction": float, "seed": int,
        }, foreign_keys=[("sweep_id", "sweeps", "id")], if_not_exists=True)
        self.db["sweeps"].create_index(["key"], unique=True, if_not_exists=True)
        self.db["sweep_cells"].create_index(["sweep_id", "cell_key"], if_not_exists=True)
        self.db["metrics"].create_index(["run_id", "stage", "name"], if_not_exists=True)
        self.db["predictions"].create_index(["run_id", "stage", "split"], if_not_exists=True)
        self.db["logs"].create_index(["run_id"], if_not_exists=True)
        self._never_reuse_run_ids()
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
        new = re.sub(r'^CREATE TABLE\s+(\[runs\]|"runs"|runs)', "CREATE TABLE runs_new", schema,
                     count=1, flags=re.IGNORECASE)
        new = re.sub(r'(\[id\]|"id"|\bid)\s+INTEGER\s+PRIMARY\s+KEY',
                     "id INTEGER PRIMARY KEY AUTOINCREMENT", new, count=1, flags=re.IGNORECASE)
        if "AUTOINCREMENT" not in new or "runs_new" not in new:  # pragma: no cover - a schema we did not write
            raise UserError(f"{self.path}: unexpected layout of the runs table")
        highest = max(self.db.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
                      .fetchone()[0]
                      for table, column in (("runs", "id"), ("metrics", "run_id"),
                                            ("predictions", "run_id"), ("logs", "run_id"),
                                            ("sweep_cells", "run_id")))
        conn = self.db.conn
        conn.execute(new)
        conn.execute("INSERT INTO runs_new SELECT * FROM runs")
        conn.execute("DROP TABLE runs")
        conn.execute("ALTER TABLE runs_new RENAME TO runs")
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'runs'")
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('runs', ?)", [highest])

    # ---- runs -------------------------------------------------------------------------------
    def create_run(self, config: dict, device: str, name: str = "",
                   columns: dict | None = None) -> int:
        """A new run, ``running``. ``columns`` are what lists show (engine.labels.run_columns);
        without them they are read off the settings as they stand."""
        if columns is None:
            up, down = config.get("upstream", {}), config.get("downstream", {})
            model = config.get("model", {})
            columns = {"upstream": up.get("task", ""), "upstream_data": up.get("data") or "",
                       "method": config.get("method", ""), "downstream": down.get("data", ""),
                       "encoder": model.get("encoder", ""), "size": model.get("size", ""),
                       "seed": config.get("seed", 0),
                       "train_fraction": down.get("train_fraction", 1.0)}
        with self._write():
            table = self.db["runs"].insert({
                **columns, "name": name, "status": "running", "created_at": now(),
                "config": json.dumps(config), "device": device, "pid": os.getpid(),
                "host": socket.gethostname(),
            })
        return int(table.last_pk)

    def update_run(self, run_id: int, **fields: Any) -> None:
        for key in ("metrics", "stages", "config"):
            if key in fields and not isinstance(fields[key], str):
                fields[key] = json.dumps(fields[key])
        with self._write():
            self.db["runs"].update(run_id, fields)

    def get_run(self, run_id: int) -> dict:
        try:
            row = self.db["runs"].get(run_id)
        except sqlite_utils.db.NotFoundError:
            raise UserError(f"no run with id {run_id} in {self.path}") from None
        return _decode_run(row)

    def list_runs(self, status: str | None = None) -> list[dict]:
        where, args = ("status = ?", [status]) if status else (None, [])
        return [_decode_run(r) for r in self.db["runs"].rows_where(where, args, order_by="id")]

    def rename_run(self, run_id: int, name: str) -> None:
        self.get_run(run_id)
        self.update_run(run_id, name=name)

    def delete_run(self, run_id: int) -> None:
        run = self.get_run(run_id)
        with self._write():
            for table in ("metrics", "predictions", "logs", "sweep_cells"):
                self.db[table].delete_where("run_id = ?", [run_id])
            self.db["runs"].delete(run_id)
        if run.get("artifacts"):
            shutil.rmtree(run["artifacts"], ignore_errors=True)

    def mark_interrupted(self) -> list[int]:
        """Runs left 'running' by a process that no longer exists are labelled 'interrupted'."""
        host = socket.gethostname()
        dead = [r["id"] for r in self.db["runs"].rows_where("status = 'running'")
                if r["host"] == host and not _alive(r["pid"])]
        for run_id in dead:
            self.update_run(run_id, status="interrupted", finished_at=now(),
                            error="the process running it ended before it finished")
        return dead

    # ---- metrics, predictions, logs -----------------------------------------------------------
    def add_metrics(self, rows: Iterable[dict]) -> None:
        rows = list(rows)
        if rows:
            with self._write():
                self.db["metrics"].insert_all(rows, batch_size=500)

    def replace_predictions(self, run_id: int, stage: str, split: str, step: int,
                            predictions: Iterable) -> None:
        rows = [{"run_id": run_id, "stage": stage, "split": split, "step": step, "pair": i,
                 "sentence1": p.sentence1, "sentence2": p.sentence2, "gold": p.gold,
                 "pred": p.pred} for i, p in enumerate(predictions)]
        with self._write():
            self.db["predictions"].delete_where("run_id = ? AND stage = ? AND split = ?",
                                                [run_id, stage, split])
            if rows:
                self.db["predictions"].insert_all(rows, batch_size=500)

    def add_log(self, run_id: int, level: str, message: str) -> None:
        with self._write():
            self.db["logs"].insert({"run_id": run_id, "time": now(), "level": level,
                                    "message": message})

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

    def predictions(self, run_id: int, stage: str = "downstream", split: str = "dev"
                    ) -> list[dict]:
        return list(self.db["predictions"].rows_where(
            "run_id = ? AND stage = ? AND split = ?", [run_id, stage, split], order_by="pair"))

    def logs(self, run_id: int) -> list[dict]:
        return list(self.db["logs"].rows_where("run_id = ?", [run_id], order_by="rowid"))

    # ---- sweeps ------------------------------------------------------------------------------
    def sweep_id(self, key: str, name: str, definition: dict) -> tuple[int, bool]:
        """The sweep with this definition key (created if new); True when it already existed."""
        row = next(self.db["sweeps"].rows_where("key = ?", [key]), None)
        if row is not None:
            return int(row["id"]), True
        with self._write():
            table = self.db["sweeps"].insert({
                "key": key, "name": name, "definition": json.dumps(definition),
                "created_at": now(), "updated_at": now(), "status": "new", "seconds": 0.0})
        return int(table.last_pk), False

    def update_sweep(self, sweep_id: int, **fields: Any) -> None:
        with self._write():
            self.db["sweeps"].update(sweep_id, {**fields, "updated_at": now()})

    def list_sweeps(self) -> list[dict]:
        return [{**r, "definition": json.loads(r["definition"])}
                for r in self.db["sweeps"].rows_where(order_by="id")]

    def link_cell(self, sweep_id: int, cell, run_id: int) -> None:
        with self._write():
            self.db["sweep_cells"].insert({
                "sweep_id": sweep_id, "cell_key": cell.key, "run_id": run_id, "arm": cell.arm,
                "encoder": cell.encoder, "downstream": cell.downstream,
                "fraction": cell.fraction, "seed": cell.seed})

    def sweep_cells(self, sweep_id: int) -> list[dict]:
        """Every run of a sweep, newest attempt last, with its status and metrics."""
        rows = self.db.query(
            "SELECT c.*, r.status, r.dev_metric, r.test_metric, r.metric_name, r.metrics, "
            "r.seconds, r.upstream_cached FROM sweep_cells c JOIN runs r ON r.id = c.run_id "
            "WHERE c.sweep_id = ? ORDER BY c.run_id", [sweep_id])
        return [{**r, "metrics": json.loads(r["metrics"]) if r["metrics"] else {}} for r in rows]

    def finished_cells(self, sweep_id: int) -> dict[str, int]:
        """cell key -> run id of its finished run (the cells a resumed sweep skips)."""
        return {r["cell_key"]: r["run_id"] for r in self.sweep_cells(sweep_id)
                if r["status"] == "finished"}

    # ---- runs recorded elsewhere (a Ray worker's own database) ---------------------------------
    def export_run(self, run_id: int) -> dict:
        """Everything recorded for a run, as plain data that :meth:`import_run` takes."""
        run = dict(self.db["runs"].get(run_id))
        tables = {t: [{k: v for k, v in r.items() if k != "run_id"}
                      for r in self.db[t].rows_where("run_id = ?", [run_id], order_by="rowid")]
                  for t in ("metrics", "predictions", "logs")}
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
    def record_upstream(self, key: str, task: str, data: str, path: str, config: dict,
                        metrics: dict, seconds: float) -> None:
        with self._write():
            self.db["upstream_cache"].upsert({
                "key": key, "task": task, "data": data, "path": path, "created_at": now(),
                "config": json.dumps(config), "metrics": json.dumps(metrics),
                "seconds": seconds}, pk="key")

    def upstream(self, key: str) -> dict | None:
        """What the cache index knows of an upstream: task, data, when, how long, metrics."""
        row = next(self.db["upstream_cache"].rows_where("key = ?", [key]), None)
        if row is None:
            return None
        return {**row, "config": json.loads(row["config"] or "{}"),
                "metrics": json.loads(row["metrics"] or "{}")}


def _decode_run(row: dict) -> dict:
    row = dict(row)
    for key in ("config", "metrics", "stages"):
        row[key] = json.loads(row[key]) if row.get(key) else {}
    return row


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
