"""Try each hostile input and fault through the real CLI; print what the user saw and what
the store held afterwards, as a Markdown table.

Usage: python docs/fault_table.py   (a few minutes on a CPU; uses a temporary folder)
"""
from __future__ import annotations

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
    cmd = [sys.executable, "-m", "transfer_explorer.engine.cli", *args, "--db", str(db)]
    if args and args[0] == "run":
        cmd += ["--quiet", "--threads", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if not wait:
        return proc
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err


def store_state(db: Path) -> str:
    if not db.exists():
        return "no database written"
    with sqlite3.connect(db) as conn:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        runs = conn.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()
    text = ", ".join(f"{n} {s}" for s, n in runs) or "no runs"
    return f"{text}; integrity {ok}"


def first_line(err: str) -> str:
    lines = [l for l in err.splitlines() if l.strip() and not l.startswith(("Loading", "Writing"))]
    return (lines[0] if lines else "").replace("|", "\\|")[:150]


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    files = {
        "empty file": ("empty.tsv", b""),
        "header only": ("header.tsv", b"sentence1\tsentence2\tscore\n"),
        "misnamed columns": ("cols.tsv", b"left\tright\tsim\n" + b"a\tb\t1\n" * 20),
        "non-UTF-8 (Latin-1)": ("latin.tsv", b"sentence1\tsentence2\tscore\n" + b"ok\tfine\t1\n" * 5
                                + "caf\u00e9\tb\t2\n".encode("latin-1")),
        "non-numeric score": ("nan.tsv", b"sentence1\tsentence2\tscore\n" + b"a\tb\t1\n" * 5
                              + b"c\td\tseven\n"),
        "mixed label types": ("mixed.tsv", b"sentence1\tsentence2\tlabel\n" + b"a\tb\t1\n" * 5
                              + b"c\td\tyes\n"),
        "ragged row": ("ragged.tsv", b"sentence1\tsentence2\tscore\n" + b"a\tb\t1\n" * 5
                       + b"c\td\t2\textra\n"),
        "stray quote (CSV)": ("quote.csv", b"sentence1,sentence2,score\n" + b"a,b,1\n" * 5
                              + b'"c,d,2\ne,f,3\n'),
        "binary file": ("model.tsv", b"PK\x03\x04\x00\x00" * 200),
    }
    korean = "\n".join(f"영화가 정말 재미있다 {i}\t그 영화는 재미있었다 {i}\t{i % 6}" for i in range(40))
    files["CP949 Korean file (accepted)"] = ("ko.tsv", ("sentence1\tsentence2\tscore\n" + korean
                                                        + "\n").encode("cp949"))
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
    rows.append(("score outside --score-range 0,5", code, first_line(err).replace(str(tmp) + "/", ""),
                 store_state(db)))

    for label, args in (("batch size 0", ["--batch-size", "0"]), ("learning rate 0", ["--lr", "0"]),
                        ("zero epochs", ["--epochs", "0"]),
                        ("train fraction 1.5", ["--train-fraction", "1.5"]),
                        ("CUDA asked for, none present", ["--device", "cuda"]),
                        ("zero-shot without pre-trained weights", ["--method", "zero-shot"]),
                        ("unknown checkpoint name (offline)",
                         ["--upstream", "hf", "--model", "no-such/model"])):
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
    for label, folder in (("checkpoint without tokenizer files", no_tok),
                          ("checkpoint with truncated weights", truncated)):
        db = tmp / "ckpt.sqlite"
        code, _, err = cli("run", "--upstream", "hf", "--model", str(folder), "--method",
                           "feature", db=db)
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
    rows.append(("SIGKILL during a run", -9, f"next start: run 2 listed as "
                 f"'{'interrupted' if 'interrupted' in out else '?'}'",
                 f"before restart: {before}; after: {store_state(db)}"))

    # two processes, one database
    db = tmp / "two.sqlite"
    procs = [cli("run", "--epochs", "3", "--seed", str(i), db=db, wait=False) for i in range(2)]
    codes = [p.wait() for p in procs]
    rows.append(("two processes writing one database", codes, "both runs finished",
                 store_state(db)))

    # a tampered cached upstream and a damaged saved model
    db = tmp / "cache.sqlite"
    cli("run", "--upstream", "sentiment", "--method", "finetune", "--epochs", "1", db=db)
    cached = next((tmp / "cache").glob("upstream/*/encoder.safetensors"))
    data = bytearray(cached.read_bytes())
    data[500:508] = b"tampered"
    cached.write_bytes(bytes(data))
    code, out, _ = cli("run", "--upstream", "sentiment", "--method", "finetune", "--epochs", "1",
                       "--json", db=db)
    retrained = '"upstream_cached": false' in out
    rows.append(("tampered cached upstream weights", code,
                 "checksum mismatch: upstream retrained" if retrained else "?", store_state(db)))
    model = tmp / "cache-models" / "2" / "model.safetensors"
    model.write_bytes(model.read_bytes()[:1000])
    code, _, err = cli("score", "2", "a dog runs", "a puppy runs", db=db)
    rows.append(("damaged saved model, then `score`", code,
                 first_line(err).replace(str(tmp) + "/", ""), store_state(db)))

    rows += round_two(tmp)

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
    rows.append(("SIGTERM during a run", victim.returncode, shown(err or out, tmp),
                 store_state(db)))

    # the database locked by another program for minutes, in the middle of a run
    db = tmp / "locked.sqlite"
    victim = cli("run", "--epochs", "500", "--log-every", "1", db=db, wait=False)
    time.sleep(12)
    holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time\n"
                               "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                               "c.execute('BEGIN EXCLUSIVE'); time.sleep(600)", str(db)])
    _, err = victim.communicate(timeout=600)
    holder.kill()
    holder.wait()
    code, out, _ = cli("runs", db=db)
    rows.append(("database locked by another program mid-run", victim.returncode,
                 shown(err, tmp), f"next start: {store_state(db)}"))

    # a SQLite file of another program, and a damaged one of ours
    other = tmp / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT)")
    conn.close()
    before = other.read_bytes()
    code, _, err = cli("runs", db=other)
    rows.append(("another program's SQLite file with a `runs` table", code, shown(err, tmp),
                 "byte-identical" if other.read_bytes() == before else "CHANGED"))
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
    rows.append(("a damaged run database", code, shown(err, tmp),
                 "byte-identical" if damaged.read_bytes() == before else "CHANGED"))
    proc = subprocess.run([sys.executable, "-m", "transfer_explorer.engine.cli", "recover", str(damaged),
                           str(tmp / "recovered.sqlite")], cwd=ROOT, env=ENV,
                          capture_output=True, text=True)
    rows.append(("… then `recover` into a new file", proc.returncode,
                 proc.stdout.strip().splitlines()[-1].replace(str(tmp) + "/", ""),
                 store_state(tmp / "recovered.sqlite")))

    # the driver of a 2-worker sweep killed with SIGKILL
    db = tmp / "sweep.sqlite"
    sweep = subprocess.Popen([sys.executable, "-m", "transfer_explorer.engine.cli", "sweep",
                              "--preset", "demo",
                              "--workers", "2", "--quiet", "--db", str(db)], cwd=ROOT, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(40)
    workers = [int(p.parent.name) for p in Path("/proc").glob("[0-9]*/stat")
               if p.read_text().split(") ", 1)[1].split()[1] == str(sweep.pid)]
    os.kill(sweep.pid, signal.SIGKILL)
    sweep.wait()
    time.sleep(ORPHAN_WAIT_S)
    left = [pid for pid in workers if Path(f"/proc/{pid}").exists()
            and not Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")]
    rows.append(("`sweep --workers 2` driver killed with SIGKILL", -9,
                 f"{len(workers)} workers, {len(left)} still alive {ORPHAN_WAIT_S} s later",
                 store_state(db)))
    return rows


ORPHAN_WAIT_S = 10


if __name__ == "__main__":
    main()
