"""How long the command line takes to answer --help and a mistake (torch is never loaded for them).

Goal: well under a second each. Usage: python bench/cli_startup.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = {
    "--help": ["--help"],
    "run --help": ["run", "--help"],
    "a settings mistake (--seed -1)": ["run", "--seed=-1"],
    "a data mistake (no such file)": ["run", "--downstream", "no-such-file.tsv"],
    "a flag that does not exist": ["run", "--no-such-flag", "3"],
}


def seconds(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "transfer_explorer.cli", *args], cwd=ROOT, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"| command | median of {args.repeats} |\n|---|---|")
    for name, argv in CASES.items():
        times = [seconds(argv) for _ in range(args.repeats)]
        print(
            f"| `transfer-explorer {' '.join(argv)}` ({name}) | {statistics.median(times):.2f} s |"
        )


if __name__ == "__main__":
    main()
