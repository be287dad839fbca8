"""A sweep's wall time, the earlier path against today's, side by side in one run.

The earlier path is TRANSFER_EXPLORER_SPEED=baseline (engine/speed.py): the final dev
evaluation computed again, cells dispatched wave by wave in order, AdamW's per-op step.
Today's path takes AdamW's fused step, whose numbers differ in the last bits, so cells are
no longer bit-identical: the agreement that counts is each cell's mean against the table.
Both sweeps start from an empty upstream cache (each trains its upstreams once, as a first
sweep does). Prints both wall times and their ratio, whether every cell's dev/test numbers
agree between the two, and whether every cell's mean lies within one standard deviation of
the reference table (the README's, docs/matrix-stsb.csv). Then where one cell's time goes,
before and after (cProfile, in %).

Usage: python bench/sweep_speed.py [--preset stsb-cpu] [--data-root ../shared/data]
           [--workers 2] [--reference docs/matrix-stsb.csv] [--skip-sweep] [--skip-profile]
Time it on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODES = {"earlier": "baseline", "today": ""}


def run_sweep(preset: str, data_root: str, workers: int, db: Path, speed: str) -> float:
    env = {**os.environ, "TRANSFER_EXPLORER_SPEED": speed}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "transfer_explorer.engine.cli", "sweep", "--preset",
                    preset, "--data-root", data_root, "--workers", str(workers), "--db",
                    str(db), "--quiet"], env=env, check=True, cwd=ROOT)
    return time.perf_counter() - started


def cell_results(db: Path) -> dict[str, tuple[float, float, str, float, int]]:
    """cell key → (dev, test, arm, fraction, seed) of its finished run."""
    from transfer_explorer.engine.store import Store

    out = {}
    with Store(db) as store:
        for sweep in store.list_sweeps():
            for row in store.sweep_cells(sweep["id"]):
                if row["status"] == "finished":
                    out[row["cell_key"]] = (row["dev_metric"], row["test_metric"], row["arm"],
                                            row["fraction"], row["seed"])
    return out


def compare(a: dict, b: dict, reference: Path | None) -> None:
    keys = sorted(set(a) & set(b))
    same = sum(a[k][:2] == b[k][:2] for k in keys)
    gap = max((max(abs(a[k][0] - b[k][0]), abs(a[k][1] - b[k][1])) for k in keys), default=0)
    print(f"cells finished: earlier {len(a)}, today {len(b)}; identical dev and test in "
          f"{same} of {len(keys)} (largest difference {gap:.2e} points)")
    if reference is None or not reference.is_file():
        return
    groups: dict[tuple, list] = {}
    for dev, test, arm, fraction, _ in b.values():
        groups.setdefault((arm, float(fraction)), []).append((dev, test))
    inside = outside = 0
    with open(reference, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["arm"], float(row["train_fraction"]))
            if key not in groups or len(groups[key]) < 2:
                continue
            dev = statistics.mean(d for d, _ in groups[key])
            test = statistics.mean(t for _, t in groups[key])
            ok = (abs(dev - float(row["dev_mean"])) <= float(row["dev_std"]) + 1e-9
                  and abs(test - float(row["test_mean"])) <= float(row["test_std"]) + 1e-9)
            inside += ok
            outside += not ok
            if not ok:
                print(f"  outside one sd: {key}: dev {dev:.1f} vs {row['dev_mean']} ± "
                      f"{row['dev_std']}, test {test:.1f} vs {row['test_mean']} ± {row['test_std']}")
    print(f"against {reference.name}: {inside} of {inside + outside} cells' means within one "
          "standard deviation")


# ---- one cell's profile ------------------------------------------------------------------------
PROFILE_CODE = r"""
import cProfile, json, pstats, sys, time
t0 = time.perf_counter()
from transfer_explorer.engine.runner import run_experiment
from transfer_explorer.engine.sweep import Sweep
imported = time.perf_counter() - t0
preset, root, arm, fraction, db, out = sys.argv[1:7]
cell = next(c for c in Sweep.preset(preset).cells(root, 1)
            if c.arm == arm and c.fraction == float(fraction) and c.seed == 0)
run_experiment(cell.config, db=db)  # the tokenizer (and any upstream) into the cache first
profile = cProfile.Profile()
t1 = time.perf_counter()
profile.enable()
run_experiment(cell.config, db=db)
profile.disable()
total = time.perf_counter() - t1
stats = pstats.Stats(profile).stats
def cum(*parts):
    return sum(v[3] for k, v in stats.items() if all(p in f"{k[0]}:{k[2]}" for p in parts))
fit = cum("engine/train.py", "fit")
evals = cum("engine/train.py", "run_eval")
optimizer = cum("torch/optim/optimizer.py", "_use_grad")
backward = cum("torch/_tensor.py", "backward")
final = cum("engine/downstream.py", "final_evaluations")
json.dump({"imports": imported, "total": total, "fit": fit, "eval_in_training": evals,
           "optimizer": optimizer, "backward": backward, "final_evaluations": final},
          open(out, "w"))
"""


def profile_cell(preset: str, data_root: str, arm: str, fraction: float, speed: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        env = {**os.environ, "TRANSFER_EXPLORER_SPEED": speed}
        subprocess.run([sys.executable, "-c", PROFILE_CODE, preset, data_root, arm,
                        str(fraction), str(Path(tmp) / "p.sqlite"), str(out)],
                       env=env, check=True, cwd=ROOT)
        return json.loads(out.read_text())


def print_profile(name: str, p: dict) -> None:
    total = p["total"]
    training = p["fit"] - p["eval_in_training"]
    rows = [("forward + loss", training - p["backward"] - p["optimizer"]),
            ("backward", p["backward"]), ("optimizer step", p["optimizer"]),
            ("dev evaluation during training", p["eval_in_training"]),
            ("final dev/test evaluation", p["final_evaluations"]),
            ("everything else (tokenize, build, store)", total - p["fit"]
             - p["final_evaluations"])]
    print(f"{name}: {total:.1f} s in the run (+ {p['imports']:.1f} s of imports per process)")
    for label, seconds in rows:
        print(f"  {label:<44} {seconds:6.1f} s  {100 * seconds / total:5.1f} %")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", default="stsb-cpu")
    p.add_argument("--data-root", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--reference", default=str(ROOT / "docs" / "matrix-stsb.csv"))
    p.add_argument("--profile-arm", default="none/scratch")
    p.add_argument("--profile-fraction", type=float, default=0.3)
    p.add_argument("--skip-sweep", action="store_true")
    p.add_argument("--skip-profile", action="store_true")
    args = p.parse_args()
    if not (Path(args.data_root) / "stsb").is_dir() and args.preset != "demo":
        print(f"no STS-B under {args.data_root}; use --preset demo or --data-root")
        return
    if not args.skip_profile:
        for name, speed in MODES.items():
            print_profile(f"one cell ({args.profile_arm}, {args.profile_fraction:.0%}, seed 0), "
                          f"{name}", profile_cell(args.preset, args.data_root, args.profile_arm,
                                                  args.profile_fraction, speed))
    if args.skip_sweep:
        return
    with tempfile.TemporaryDirectory() as tmp:
        seconds, results = {}, {}
        for name, speed in MODES.items():
            db = Path(tmp) / name / "runs.sqlite"
            db.parent.mkdir()
            seconds[name] = run_sweep(args.preset, args.data_root, args.workers, db, speed)
            results[name] = cell_results(db)
            print(f"sweep {args.preset}, {args.workers} workers, {name} path: "
                  f"{seconds[name]:.0f} s", flush=True)
        print(f"today / earlier wall time: {seconds['today'] / seconds['earlier']:.2f}")
        reference = Path(args.reference) if args.preset == "stsb-cpu" else None
        compare(results["earlier"], results["today"], reference)


if __name__ == "__main__":
    main()
