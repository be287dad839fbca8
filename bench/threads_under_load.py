"""A run's speed beside 0, 1 and 2 busy processes, for each thread policy, as a ratio to idle.

A desktop always has something else running (a browser, an IDE, the app's own sweep
workers). OpenMP threads that spin while they wait for each other lose most of their time
when a core is taken; threads that sleep while they wait (OMP_WAIT_POLICY=PASSIVE) do not.
Goal: beside one busy process >= 0.8x the idle speed of the fixed 2 threads, and idle no
slower than it. The app's default (engine/training/threads.py) drops a thread per core that other
programs keep busy.

Usage: python bench/threads_under_load.py [--repeats 2]   (about 10 min on 2 cores; run it on
an otherwise idle machine: the busy processes are the only load it should see)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUSY = "while True: pass"
POLICIES = {  # name -> (extra CLI flags, environment)
    "2 threads, fixed (before: torch's default)": (["--threads", "2"], {}),
    "2 threads, sleeping (OMP_WAIT_POLICY=PASSIVE)": (
        ["--threads", "2"],
        {"OMP_WAIT_POLICY": "PASSIVE"},
    ),
    "1 thread, fixed": (["--threads", "1"], {}),
    "the app's default: threads follow the load": ([], {}),
}


def run_seconds(flags: list[str], env: dict, db: Path) -> float:
    """Downstream training seconds of the demo run (the tokenizer is cached after the first)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "run",
            "--quiet",
            "--json",
            "--db",
            str(db),
            *flags,
        ],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)["timings"]["downstream_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        run_seconds(["--threads", "1"], {}, db)  # warm: tokenizer cached, files in page cache
        table = {}
        for busy in (0, 1, 2):
            hogs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(busy)]
            try:
                for name, (flags, env) in POLICIES.items():
                    table[name, busy] = min(
                        run_seconds(flags, env, db) for _ in range(args.repeats)
                    )
            finally:
                for hog in hogs:
                    hog.kill()
                    hog.wait()
    base = table["2 threads, fixed (before: torch's default)", 0]
    print(
        f"demo run, downstream seconds (best of {args.repeats}); speed as a ratio to the "
        f"fixed 2 threads on an idle machine ({base:.1f} s), {os.cpu_count()} CPUs\n"
    )
    print("| policy | idle | beside 1 busy process | beside 2 busy processes |")
    print("|---|---|---|---|")
    for name in POLICIES:
        cells = [f"{table[name, b]:.1f} s ({base / table[name, b]:.2f}×)" for b in (0, 1, 2)]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
