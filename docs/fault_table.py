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


def cli(*args, db, wait=True):
    cmd = [sys.executable, "-m", "engine.cli", *args, "--db", str(db)]
    if args and args[0] == "run":
        cmd += ["--quiet", "--threads", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    if not wait:
        return proc
    out, err = proc.communicate(timeout=600)
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

    print("| fault or hostile input | exit | what the user saw | store after |")
    print("|---|---|---|---|")
    for label, code, seen, state in rows:
        print(f"| {label} | {code} | {seen} | {state} |")


if __name__ == "__main__":
    main()
