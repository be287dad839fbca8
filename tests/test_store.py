"""The SQLite store: round trip, WAL across threads, interrupted runs."""

import sqlite3
import subprocess
import sys
import threading

from transfer_explorer.engine.events import Prediction
from transfer_explorer.engine.store.database import Store


def test_round_trip_of_runs_metrics_predictions_and_logs(db):
    with Store(db) as store:
        run_id = store.create_run(
            {
                "method": "feature",
                "upstream": {"task": "mlm", "data": "sst2"},
                "downstream": {"data": "stsb", "train_fraction": 0.5},
                "model": {"encoder": "transformer", "size": "tiny"},
                "seed": 3,
            },
            "cpu",
            "named",
        )
        store.add_metrics(
            [
                {
                    "run_id": run_id,
                    "stage": "downstream",
                    "step": s,
                    "epoch": 1,
                    "name": "loss",
                    "value": 1.0 / s,
                }
                for s in (1, 2, 3)
            ]
        )
        store.replace_predictions(
            run_id,
            "downstream",
            "dev",
            3,
            [Prediction("a", "b", 4.0, 3.5), Prediction("c", "d", 1.0, 1.5)],
        )
        store.replace_predictions(run_id, "downstream", "dev", 6, [Prediction("e", "f", 2.0, 2.5)])
        store.add_log(run_id, "info", "hello")
        store.update_run(
            run_id, status="finished", metrics={"dev": {"spearman": 80.0}}, dev_metric=80.0
        )
    with Store(db) as store:
        run = store.get_run(run_id)
        assert run["name"] == "named" and run["upstream"] == "mlm" and run["train_fraction"] == 0.5
        assert run["metrics"] == {"dev": {"spearman": 80.0}} and run["status"] == "finished"
        assert store.curves(run_id)[("downstream", "loss")] == ([1, 2, 3], [1.0, 0.5, 1 / 3])
        preds = store.predictions(run_id)
        assert [(p["sentence1"], p["step"]) for p in preds] == [("e", 6)]  # latest eval only
        assert store.logs(run_id)[0]["message"] == "hello"
        store.rename_run(run_id, "renamed")
        assert store.get_run(run_id)["name"] == "renamed"
        store.delete_run(run_id)
        assert store.list_runs() == [] and store.metrics(run_id) == []


def test_wal_mode_and_a_reader_thread_while_a_writer_thread_writes(db):
    with Store(db) as store:
        assert store.db.journal_mode == "wal"
        run_id = store.create_run({}, "cpu")
    errors = []

    def writer():
        with Store(db) as w:
            for step in range(300):
                w.add_metrics(
                    [
                        {
                            "run_id": run_id,
                            "stage": "downstream",
                            "step": step,
                            "epoch": 1,
                            "name": "loss",
                            "value": float(step),
                        }
                    ]
                )

    def reader():
        try:
            with Store(db) as r:
                for _ in range(100):
                    r.metrics(run_id)
        except Exception as exc:  # pragma: no cover - the assertion reports it
            errors.append(exc)

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store(db) as store:
        assert len(store.metrics(run_id)) == 300


def test_a_run_whose_process_died_is_marked_interrupted(db):
    code = (
        "import os; from transfer_explorer.engine.store.database import Store;"
        f"s = Store({str(db)!r}); s.create_run({{}}, 'cpu'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with Store(db) as store:  # its lock went with it: no pid is asked
        assert store.mark_interrupted() == [1]
        assert store.get_run(1)["status"] == "interrupted"
        assert store.list_runs()[0]["status"] == "interrupted"
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
