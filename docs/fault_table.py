"""Try each hostile input and fault through the real CLI; print what the user saw and what
the store held afterwards, as a Markdown table.

Usage: python docs/fault_table.py   (a few minutes on a CPU; uses a temporary folder)
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONWARNINGS": "ignore"}


def cli(*args, db, wait=True, timeout=600):
    cmd = [sys.executable, "-m", "transfer_explorer.cli", *args, "--db", str(db)]
    if args and args[0] == "run":
        cmd += ["--quiet", "--threads", "1"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if not wait:
        return proc
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err


def store_state(db: Path | None) -> str:
    if db is None or not str(db) or not Path(db).is_file():
        return "no database written"
    with sqlite3.connect(Path(db).absolute().as_uri() + "?mode=ro", uri=True) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        runs = conn.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()
    text = ", ".join(f"{n} {s}" for s, n in runs) or "no runs"
    return f"{text}; integrity {ok}"


def first_line(err: str) -> str:
    lines = [
        line
        for line in err.splitlines()
        if line.strip() and not line.startswith(("Loading", "Writing"))
    ]
    return (lines[0] if lines else "").replace("|", "\\|")[:150]


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    files = {
        "empty file": ("empty.tsv", b""),
        "header only": ("header.tsv", b"sentence1\tsentence2\tscore\n"),
        "misnamed columns": ("cols.tsv", b"left\tright\tsim\n" + b"a\tb\t1\n" * 20),
        "non-UTF-8 (Latin-1)": (
            "latin.tsv",
            b"sentence1\tsentence2\tscore\n"
            + b"ok\tfine\t1\n" * 5
            + "caf\u00e9\tb\t2\n".encode("latin-1"),
        ),
        "non-numeric score": (
            "nan.tsv",
            b"sentence1\tsentence2\tscore\n" + b"a\tb\t1\n" * 5 + b"c\td\tseven\n",
        ),
        "mixed label types": (
            "mixed.tsv",
            b"sentence1\tsentence2\tlabel\n" + b"a\tb\t1\n" * 5 + b"c\td\tyes\n",
        ),
        "ragged row": (
            "ragged.tsv",
            b"sentence1\tsentence2\tscore\n" + b"a\tb\t1\n" * 5 + b"c\td\t2\textra\n",
        ),
        "stray quote (CSV)": (
            "quote.csv",
            b"sentence1,sentence2,score\n" + b"a,b,1\n" * 5 + b'"c,d,2\ne,f,3\n',
        ),
        "binary file": ("model.tsv", b"PK\x03\x04\x00\x00" * 200),
    }
    korean = "\n".join(
        f"영화가 정말 재미있다 {i}\t그 영화는 재미있었다 {i}\t{i % 6}" for i in range(40)
    )
    files["CP949 Korean file (accepted)"] = (
        "ko.tsv",
        ("sentence1\tsentence2\tscore\n" + korean + "\n").encode("cp949"),
    )
    rows = []
    for label, (name, content) in files.items():
        db = tmp / f"{name}.sqlite"
        path = tmp / name
        path.write_bytes(content)
        code, _, err = cli("run", "--downstream", str(path), "--epochs", "1", db=db)
        seen = first_line(err) if code else "run finished (scores read, Korean kept)"
        rows.append((label, code, seen.replace(str(tmp) + "/", ""), store_state(db)))

    db = tmp / "range.sqlite"
    path = tmp / "range.tsv"
    path.write_text("sentence1\tsentence2\tscore\n" + "a\tb\t1\n" * 20 + "c\td\t7\n")
    code, _, err = cli("run", "--downstream", str(path), "--score-range", "0,5", db=db)
    rows.append(
        (
            "score outside --score-range 0,5",
            code,
            first_line(err).replace(str(tmp) + "/", ""),
            store_state(db),
        )
    )

    for label, args in (
        ("batch size 0", ["--batch-size", "0"]),
        ("learning rate 0", ["--lr", "0"]),
        ("zero epochs", ["--epochs", "0"]),
        ("train fraction 1.5", ["--train-fraction", "1.5"]),
        ("CUDA asked for, none present", ["--device", "cuda"]),
        ("zero-shot without pre-trained weights", ["--method", "zero-shot"]),
        ("unknown checkpoint name (offline)", ["--upstream", "hf", "--model", "no-such/model"]),
    ):
        db = tmp / "settings.sqlite"
        code, _, err = cli("run", *args, db=db)
        rows.append((label, code, first_line(err), store_state(db)))

    # a checkpoint folder without a tokenizer, and one with truncated weights
    sys.path.insert(0, str(ROOT))
    from tests.checkpoints import tiny_bert

    bert = tiny_bert(tmp / "bert")
    no_tok = tmp / "weights-only"
    no_tok.mkdir()
    for f in ("config.json", "model.safetensors"):
        (no_tok / f).write_bytes((bert / f).read_bytes())
    truncated = tmp / "truncated"
    truncated.mkdir()
    for f in bert.iterdir():
        (truncated / f.name).write_bytes(f.read_bytes())
    weights = truncated / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:2000])
    for label, folder in (
        ("checkpoint without tokenizer files", no_tok),
        ("checkpoint with truncated weights", truncated),
    ):
        db = tmp / "ckpt.sqlite"
        code, _, err = cli(
            "run", "--upstream", "hf", "--model", str(folder), "--method", "feature", db=db
        )
        rows.append((label, code, first_line(err).replace(str(tmp) + "/", ""), store_state(db)))

    # killed mid-run
    db = tmp / "kill.sqlite"
    cli("run", "--epochs", "1", db=db)
    victim = cli("run", "--epochs", "500", "--log-every", "1", db=db, wait=False)
    time.sleep(12)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    before = store_state(db)
    code, out, _ = cli("runs", db=db)
    rows.append(
        (
            "SIGKILL during a run",
            -9,
            f"next start: run 2 listed as '{'interrupted' if 'interrupted' in out else '?'}'",
            f"before restart: {before}; after: {store_state(db)}",
        )
    )

    # two processes, one database
    db = tmp / "two.sqlite"
    procs = [cli("run", "--epochs", "3", "--seed", str(i), db=db, wait=False) for i in range(2)]
    codes = [p.wait() for p in procs]
    rows.append(
        ("two processes writing one database", codes, "both runs finished", store_state(db))
    )

    # a tampered cached upstream and a damaged saved model
    db = tmp / "cache.sqlite"
    cli("run", "--upstream", "sentiment", "--method", "finetune", "--epochs", "1", db=db)
    cached = next((tmp / "cache").glob("upstream/*/encoder.safetensors"))
    data = bytearray(cached.read_bytes())
    data[500:508] = b"tampered"
    cached.write_bytes(bytes(data))
    code, out, _ = cli(
        "run", "--upstream", "sentiment", "--method", "finetune", "--epochs", "1", "--json", db=db
    )
    retrained = '"upstream_cached": false' in out
    rows.append(
        (
            "tampered cached upstream weights",
            code,
            "checksum mismatch: upstream retrained" if retrained else "?",
            store_state(db),
        )
    )
    model = tmp / "cache-models" / "2" / "model.safetensors"
    model.write_bytes(model.read_bytes()[:1000])
    code, _, err = cli("score", "2", "a dog runs", "a puppy runs", db=db)
    rows.append(
        (
            "damaged saved model, then `score`",
            code,
            first_line(err).replace(str(tmp) + "/", ""),
            store_state(db),
        )
    )

    rows += round_two(tmp)
    rows += round_three(tmp)

    print("| fault or hostile input | exit | what the user saw | store after |")
    print("|---|---|---|---|")
    for label, code, seen, state in rows:
        print(f"| {label} | {code} | {seen} | {state} |")


def shown(err: str, tmp: Path) -> str:
    return first_line(err).replace(str(tmp) + "/", "")


def round_two(tmp: Path) -> list[tuple]:
    """Faults of the second round: special files, loose names, loose numbers, settings that
    used to be recorded, signals, databases that are not ours or not healthy."""
    rows = []
    good = b"sentence1\tsentence2\tscore\n" + b"a dog runs\ta puppy runs\t4\n" * 30
    folder = tmp / "fifo-set"
    folder.mkdir()
    (folder / "dev.tsv").write_bytes(good)
    os.mkfifo(folder / "train.tsv")
    os.mkfifo(tmp / "pipe.tsv")
    loose = tmp / "loose"
    loose.mkdir()
    for name in ("train-a.tsv", "train-b.tsv", "dev.tsv"):
        (loose / name).write_bytes(good)
    (tmp / "underscore.tsv").write_bytes(good + b"c\td\t4_5\n")
    deep = tmp / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    typed = tmp / "typed.toml"
    typed.write_text("[downstream]\ndata = 5\n")
    (tmp / "binary.tsv").write_bytes(b"\x00\x01PK" * 100)
    cases = [
        ("FIFO as a split file in a dataset folder", ["run", "--downstream", str(folder)]),
        ("FIFO as --downstream", ["run", "--downstream", str(tmp / "pipe.tsv")]),
        ("two files could be the train split", ["run", "--downstream", str(loose)]),
        ("score written 4_5", ["run", "--downstream", str(tmp / "underscore.tsv")]),
        ("--score-range 0,1e308", ["run", "--score-range=0,1e308"]),
        ("--seed -1", ["run", "--seed=-1"]),
        ("--seed 2**63", ["run", "--seed", str(2**63)]),
        ("--weight-decay inf", ["run", "--weight-decay", "inf"]),
        ("--max-length 100000000", ["run", "--max-length", "100000000"]),
        ("TOML with a number where a dataset name goes", ["run", "--config", str(typed)]),
        ("TOML nested 5,000 levels deep", ["run", "--config", str(deep)]),
        ("`show` of run 2**63", ["show", str(2**63)]),
        ("`export --csv` into a missing folder", ["export", "1", "--csv", str(tmp / "no/x.csv")]),
        ("`score --tsv` of a binary file", ["score", "1", "--tsv", str(tmp / "binary.tsv")]),
    ]
    for label, args in cases:
        db = tmp / "round2.sqlite"
        try:
            code, _, err = cli(*args, db=db, timeout=120)
            seen = shown(err, tmp)
        except subprocess.TimeoutExpired:
            code, seen = "hung", "no answer in 120 s"
        rows.append((label, code, seen, store_state(db)))

    # SIGTERM (a desktop session ending, `timeout`, a service manager) during a run
    db = tmp / "term.sqlite"
    victim = cli("run", "--epochs", "500", "--log-every", "1", db=db, wait=False)
    time.sleep(12)
    victim.send_signal(signal.SIGTERM)
    out, err = victim.communicate(timeout=60)
    rows.append(
        ("SIGTERM during a run", victim.returncode, shown(err or out, tmp), store_state(db))
    )

    # the database locked by another program for minutes, in the middle of a run
    db = tmp / "locked.sqlite"
    victim = cli("run", "--epochs", "500", "--log-every", "1", db=db, wait=False)
    time.sleep(12)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE'); time.sleep(600)",
            str(db),
        ]
    )
    _, err = victim.communicate(timeout=600)
    holder.kill()
    holder.wait()
    code, out, _ = cli("runs", db=db)
    rows.append(
        (
            "database locked by another program mid-run",
            victim.returncode,
            shown(err, tmp),
            f"next start: {store_state(db)}",
        )
    )

    # a SQLite file of another program, and a damaged one of ours
    other = tmp / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT)")
    conn.close()
    before = other.read_bytes()
    code, _, err = cli("runs", db=other)
    rows.append(
        (
            "another program's SQLite file with a `runs` table",
            code,
            shown(err, tmp),
            "byte-identical" if other.read_bytes() == before else "CHANGED",
        )
    )
    damaged = tmp / "damaged.sqlite"
    cli("run", "--epochs", "1", db=damaged)
    cli("run", "--epochs", "1", "--seed", "1", db=damaged)
    with sqlite3.connect(damaged) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(damaged, "r+b") as f:
        f.seek((pages - 3) * size)
        f.write(b"\xde\xad" * (size // 2))
    before = damaged.read_bytes()
    code, _, err = cli("runs", db=damaged)
    rows.append(
        (
            "a damaged run database",
            code,
            shown(err, tmp),
            "byte-identical" if damaged.read_bytes() == before else "CHANGED",
        )
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "recover",
            str(damaged),
            str(tmp / "recovered.sqlite"),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
    )
    rows.append(
        (
            "… then `recover` into a new file",
            proc.returncode,
            proc.stdout.strip().splitlines()[-1].replace(str(tmp) + "/", ""),
            store_state(tmp / "recovered.sqlite"),
        )
    )

    # the driver of a 2-worker sweep killed with SIGKILL
    db = tmp / "sweep.sqlite"
    sweep = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "sweep",
            "--preset",
            "demo",
            "--workers",
            "2",
            "--quiet",
            "--db",
            str(db),
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # a few cells done, the workers busy with more
        time.sleep(1)
        try:
            with sqlite3.connect(db) as conn:
                done = conn.execute(
                    "SELECT count(*) FROM runs WHERE status = 'finished'"
                ).fetchone()[0]
            conn.close()
        except sqlite3.Error:
            continue
        if done >= 3:
            break
    workers = [
        int(p.parent.name)
        for p in Path("/proc").glob("[0-9]*/stat")
        if p.read_text().split(") ", 1)[1].split()[1] == str(sweep.pid)
    ]
    os.kill(sweep.pid, signal.SIGKILL)
    sweep.wait()
    time.sleep(ORPHAN_WAIT_S)
    left = [
        pid
        for pid in workers
        if Path(f"/proc/{pid}").exists()
        and not Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    ]
    rows.append(
        (
            "`sweep --workers 2` driver killed with SIGKILL",
            -9,
            f"{len(workers)} workers, {len(left)} still alive {ORPHAN_WAIT_S} s later",
            store_state(db),
        )
    )
    return rows


ORPHAN_WAIT_S = 10


def api(code: str, db: Path, timeout: float = 120) -> tuple[int, str]:
    """A few lines of the Python API in a process of their own: (exit, last line said)."""
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db)],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return proc.returncode, (lines[-1] if lines else "").replace("|", "\\|")[:150]


def round_three(tmp: Path) -> list[tuple]:
    """Faults of the third round (issue 26): outputs onto the store, names that differ only
    in case, liveness that a pid cannot tell, kept records replayed, special files, odd paths
    and environments, symlinked exports, signals, API misuse, control characters, scale."""
    rows = []
    db = tmp / "r3.sqlite"
    cli("run", "--epochs", "1", db=db)

    def case(label, *args, env=None, database=db, timeout=120):
        try:
            if env is None:
                code, _, err = cli(*args, db=database, timeout=timeout)
            else:
                cmd = [sys.executable, "-m", "transfer_explorer.cli", *args] + (
                    ["--db", str(database)] if database is not None else []
                )
                proc = subprocess.run(
                    cmd,
                    cwd=ROOT,
                    env={**ENV, **env},
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
                code, err = proc.returncode, proc.stderr
            seen = shown(err, tmp) or ("finished" if code == 0 else "")
        except subprocess.TimeoutExpired:
            code, seen = "hung", f"no answer in {timeout} s"
        rows.append((label, code, seen, store_state(database)))

    # 1. outputs that would overwrite the store
    case("`export --csv` onto the run store", "export", "1", "--csv", str(db), "--force")
    case("`run --save-config` onto the store's -wal file", "run", "--save-config", str(db) + "-wal")
    (tmp / "mine.py").write_text("print('mine')\n")
    case("`export --csv` onto a file of another kind", "export", "1", "--csv", str(tmp / "mine.py"))
    # 2. columns that differ only in case
    cased = tmp / "cased.tsv"
    cased.write_text("sentence1\tsentence2\tscore\tSCORE\n" + "a\tb\t1\t2\n" * 20)
    case("columns `score` and `SCORE`", "run", "--downstream", str(cased))
    # 3. a dead run whose pid is alive again (pid 1, a restarted container)
    victim = cli("run", "--epochs", "500", "--log-every", "1", db=db, wait=False)
    time.sleep(12)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET pid = 1 WHERE status = 'running'")
    conn.close()
    code, out, _ = cli("runs", db=db)
    rows.append(
        (
            "SIGKILL, then the run's pid reused (pid 1)",
            -9,
            f"next start: {'interrupted' if 'interrupted' in out else 'running'}",
            store_state(db),
        )
    )
    # 4. kept records and four processes opening the store at once
    kept = tmp / "kept.sqlite"
    code, said = api(
        "import sys, sqlite3, subprocess\n"
        "from transfer_explorer.engine.store.database import Store\n"
        "s = Store(sys.argv[1]); r = s.create_run({}, 'cpu')\n"
        "rows = [{'stage': 'd', 'step': i, 'epoch': 0, 'name': 'loss', 'value': 1.0} "
        "for i in range(458)]\n"
        "s.keep_unsaved(r, [('metrics', rows), ('run', {'status': 'failed'})]); s.close()\n"
        "h = sqlite3.connect(sys.argv[1], isolation_level=None); h.execute('BEGIN IMMEDIATE')\n"
        "ps = [subprocess.Popen([sys.executable, '-c', 'import sys; from transfer_explorer."
        "engine.store import Store; Store(sys.argv[1]).close()', sys.argv[1]]) "
        "for _ in range(4)]\n"
        "import time; time.sleep(6); h.execute('COMMIT'); [p.wait() for p in ps]\n"
        "print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM metrics')"
        ".fetchone()[0], 'metric rows of 458 kept')",
        kept,
    )
    rows.append(
        (
            "records kept aside, then 4 processes open the store at once",
            code,
            said,
            store_state(kept),
        )
    )
    # 5. hangs: a FIFO in a model folder, a row at rowid 2**62
    model = tmp / "r3-models" / "1" / "tokenizer.json"
    saved = model.read_bytes()
    model.unlink()
    os.mkfifo(model)
    case("`score` with the model's tokenizer.json a FIFO", "score", "1", "a", "b")
    model.unlink()
    model.write_bytes(saved)
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO logs (rowid, run_id, time, level, message) "
            "VALUES (?, 1, 't', 'info', 'far')",
            [2**62],
        )
    conn.close()
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "recover",
            str(db),
            str(tmp / "far.sqlite"),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows.append(
        (
            "`recover` of a store with a row at rowid 2**62",
            proc.returncode,
            f"done in {time.monotonic() - started:.1f} s",
            store_state(tmp / "far.sqlite"),
        )
    )
    # 6. paths and environment
    (tmp / "xdg").write_text("a file")
    case(
        "XDG_DATA_HOME a regular file (no --db)",
        "runs",
        env={"XDG_DATA_HOME": str(tmp / "xdg"), "TRANSFER_EXPLORER_HOME": ""},
        database=None,
    )
    case("--db ''", "run", "--epochs", "1", database="")
    case("--db under a regular file", "runs", database=tmp / "mine.py" / "runs.sqlite")
    uri = tmp / "file:uri.sqlite?mode=memory"
    case("--db 'file:uri.sqlite?mode=memory'", "run", "--epochs", "1", database=uri)
    rows[-1] = (
        rows[-1][:2]
        + ("finished, recorded in the file of that name" if uri.is_file() else "RUN LOST",)
        + rows[-1][3:]
    )
    (tmp / "blocked-models").write_text("in the way")
    case(
        "a file named like the models folder",
        "run",
        "--epochs",
        "1",
        database=tmp / "blocked.sqlite",
    )
    # 7. export --model onto a dangling symlink
    (tmp / "dangling").symlink_to(tmp / "nowhere")
    case(
        "`export --model` onto a dangling symlink", "export", "1", "--model", str(tmp / "dangling")
    )
    # 8. SIGHUP to a sweep
    sweep_db = tmp / "hup.sqlite"
    hup = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "sweep",
            "--preset",
            "demo",
            "--quiet",
            "--db",
            str(sweep_db),
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(20)
    hup.send_signal(signal.SIGHUP)
    _, err = hup.communicate(timeout=120)
    with sqlite3.connect(sweep_db) as conn:
        status = conn.execute("SELECT status FROM sweeps").fetchone()[0]
    conn.close()
    rows.append(
        (
            "SIGHUP (terminal closed) during a sweep",
            hup.returncode,
            f"sweep recorded '{status}'",
            store_state(sweep_db),
        )
    )
    # 9-10. the Python API
    code, said = api(
        "import sys, transfer_explorer as t\n"
        "from transfer_explorer.engine.sweep.grid import Sweep\n"
        "try:\n    t.sweep(Sweep('s', ['none/scratch'], ['transformer'], ['demo'], "
        "[1.0], [0, 0]), db=sys.argv[1], progress=False)\n"
        "except Exception as e:\n    print(type(e).__name__ + ': ' + str(e))",
        db,
    )
    rows.append(("API: a sweep with a seed twice", code, said, store_state(db)))
    code, said = api(
        "import sys, transfer_explorer as t\n"
        "m = t.open_store(sys.argv[1]).result(1).model\n"
        "try:\n    m.score(1, ['b'])\n"
        "except Exception as e:\n    print(type(e).__name__ + ': ' + str(e))",
        db,
    )
    rows.append(("API: `score()` with a number and a list", code, said, store_state(db)))
    # 11. a run name with a newline and a terminal escape
    cli("rename", "1", "two\nlines\x1b]0;retitled\x07", db=db)
    code, out, _ = cli("runs", db=db)
    rows.append(
        (
            "`runs` with a name holding a newline and an escape",
            code,
            f"{len(out.splitlines()) - 1} rows for "
            f"{len(sqlite3.connect(db).execute('SELECT id FROM runs').fetchall())} runs; "
            + ("escaped" if "\\x1b" in out and "\x1b" not in out else "RAW"),
            store_state(db),
        )
    )
    # 12-13. scale: one enormous word, a header of 200,000 columns
    huge = tmp / "huge.jsonl"
    huge.write_text(
        "\n".join(
            json.dumps(
                {
                    "sentence1": "x" * 1_000_000 if i == 0 else f"s {i}",
                    "sentence2": "a b",
                    "score": i % 5,
                }
            )
            for i in range(40)
        )
        + "\n"
    )
    started = time.monotonic()
    case(
        "JSON Lines with one 1 MB word",
        "run",
        "--downstream",
        str(huge),
        "--epochs",
        "1",
        database=tmp / "huge.sqlite",
        timeout=400,
    )
    rows[-1] = (
        rows[-1][:2] + (f"{rows[-1][2]} in {time.monotonic() - started:.0f} s",) + rows[-1][3:]
    )
    wide = tmp / "wide.tsv"
    wide.write_text(
        "\t".join(f"c{i}" for i in range(200_000))
        + "\n"
        + "\t".join("1" for _ in range(200_000))
        + "\n"
    )
    case(
        "a header of 200,000 unknown columns",
        "run",
        "--downstream",
        str(wide),
        database=tmp / "wide.sqlite",
    )
    return rows


if __name__ == "__main__":
    main()
