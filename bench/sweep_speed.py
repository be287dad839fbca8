"""A sweep's wall time, the earlier path against today's, side by side in one run.

The earlier path is TRANSFER_EXPLORER_SPEED=baseline (engine/training/speed.py): the final dev
evaluation computed again, cells dispatched wave by wave in order, AdamW's per-op step.
Today's path takes AdamW's fused step, whose numbers differ in the last bits, so cells are
no longer bit-identical: the agreement that counts is each cell's mean against the table.
Both sweeps start from an empty upstream cache (each trains its upstreams once, as a first
sweep does). Prints both wall times and their ratio, whether every cell's dev/test numbers
agree between the two, and whether every cell's mean lies within one standard deviation of
the reference table (the README's, docs/matrix-stsb.csv). Then where one cell's time goes,
before and after (cProfile, in %).

With ``--other-seeds 3,4,5`` it instead runs today's path, unchanged, with other seeds and
prints the same agreement check: how strict "within one standard deviation" is when only the
random streams change (the upstreams, trained with their own fixed seed, stay the same).

Usage: python bench/sweep_speed.py [--preset stsb-cpu] [--data-root ../shared/data]
           [--workers 2] [--reference docs/matrix-stsb.csv] [--skip-sweep] [--skip-profile]
           [--other-seeds 3,4,5]
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


def run_sweep(
    preset: str, data_root: str, workers: int, db: Path, speed: str, definition: Path | None = None
) -> float:
    """Seconds for one sweep from an empty store and cache (beside ``db``); ``definition``:
    a sweep file to run instead of the preset."""
    env = {**os.environ, "TRANSFER_EXPLORER_SPEED": speed}
    which = [str(definition)] if definition else ["--preset", preset]
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "transfer_explorer.cli",
            "sweep",
            *which,
            "--data-root",
            data_root,
            "--workers",
            str(workers),
            "--db",
            str(db),
            "--cache-dir",
            str(db.parent / "cache"),
            "--quiet",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def with_seeds(preset: str, seeds: list[int], path: Path) -> Path:
    """The preset as a sweep file with other seeds (and the same name otherwise)."""
    import tomli_w

    from transfer_explorer.engine.sweep.grid import Sweep

    definition = Sweep.preset(preset).to_dict()
    definition.update(seeds=seeds, name=f"{definition['name']} (seeds {seeds})")
    path.write_text(tomli_w.dumps(definition), encoding="utf-8")
    return path


def cell_results(db: Path) -> dict[str, tuple[float, float, str, float, int]]:
    """cell key → (dev, test, arm, fraction, seed) of its finished run."""
    from transfer_explorer.engine.store.database import Store

    out = {}
    with Store(db) as store:
        for sweep in store.list_sweeps():
            for row in store.sweep_cells(sweep["id"]):
                if row["status"] == "finished":
                    out[row["cell_key"]] = (
                        row["dev_metric"],
                        row["test_metric"],
                        row["arm"],
                        row["fraction"],
                        row["seed"],
                    )
    return out


def compare(a: dict, b: dict, reference: Path | None) -> None:
    keys = sorted(set(a) & set(b))
    same = sum(a[k][:2] == b[k][:2] for k in keys)
    gap = max((max(abs(a[k][0] - b[k][0]), abs(a[k][1] - b[k][1])) for k in keys), default=0)
    print(
        f"cells finished: earlier {len(a)}, today {len(b)}; identical dev and test in "
        f"{same} of {len(keys)} (largest difference {gap:.2e} points)"
    )
    against_reference(b, reference)


def against_reference(b: dict, reference: Path | None) -> None:
    """Each cell's mean over its seeds against the reference table's: within one sd (the
    issue's criterion), and Welch's t-test of the two sets of seeds (is a difference more
    than seed noise?), Holm-corrected over all the cells' dev and test comparisons."""
    from scipy import stats

    if reference is None or not reference.is_file():
        return
    groups: dict[tuple, list] = {}
    for dev, test, arm, fraction, _ in b.values():
        groups.setdefault((arm, float(fraction)), []).append((dev, test))
    inside = outside = 0
    p_values = []
    with open(reference, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["arm"], float(row["train_fraction"]))
            if key not in groups or len(groups[key]) < 2:
                continue
            dev = statistics.mean(d for d, _ in groups[key])
            test = statistics.mean(t for _, t in groups[key])
            ok = (
                abs(dev - float(row["dev_mean"])) <= float(row["dev_std"]) + 1e-9
                and abs(test - float(row["test_mean"])) <= float(row["test_std"]) + 1e-9
            )
            inside += ok
            outside += not ok
            if not ok:
                print(
                    f"  outside one sd: {key}: dev {dev:.1f} vs {row['dev_mean']} ± "
                    f"{row['dev_std']}, test {test:.1f} vs {row['test_mean']} ± {row['test_std']}"
                )
            for split, values in (
                ("dev", [d for d, _ in groups[key]]),
                ("test", [t for _, t in groups[key]]),
            ):
                p_values.append(
                    stats.ttest_ind_from_stats(
                        statistics.mean(values),
                        statistics.stdev(values),
                        len(values),
                        float(row[f"{split}_mean"]),
                        float(row[f"{split}_std"]),
                        int(row["n"]),
                        equal_var=False,
                    ).pvalue
                )
    print(
        f"against {reference.name}: {inside} of {inside + outside} cells' means within one "
        "standard deviation"
    )
    if p_values:
        ordered = sorted(p_values)
        rejected = 0
        for i, p in enumerate(ordered):  # Holm's step-down: stop at the first that holds
            if p > 0.05 / (len(ordered) - i):
                break
            rejected += 1
        print(
            f"Welch's t-test, {len(p_values)} comparisons (dev and test per cell): "
            f"{sum(p < 0.05 for p in p_values)} at p < 0.05 uncorrected, {rejected} after "
            f"Holm's correction; smallest p {min(p_values):.3f}"
        )


# ---- one cell's profile ------------------------------------------------------------------------
PROFILE_CODE = r"""
import cProfile, json, pstats, sys, time
t0 = time.perf_counter()
from transfer_explorer.engine.experiment.runner import run_experiment
from transfer_explorer.engine.sweep.grid import Sweep
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
fit = cum("engine/training/train.py", "fit")
evals = cum("engine/training/train.py", "run_eval")
optimizer = cum("torch/optim/optimizer.py", "_use_grad")
backward = cum("torch/_tensor.py", "backward")
final = cum("engine/experiment/downstream.py", "final_evaluations")
json.dump({"imports": imported, "total": total, "fit": fit, "eval_in_training": evals,
           "optimizer": optimizer, "backward": backward, "final_evaluations": final},
          open(out, "w"))
"""


def profile_cell(preset: str, data_root: str, arm: str, fraction: float, speed: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        env = {**os.environ, "TRANSFER_EXPLORER_SPEED": speed}
        subprocess.run(
            [
                sys.executable,
                "-c",
                PROFILE_CODE,
                preset,
                data_root,
                arm,
                str(fraction),
                str(Path(tmp) / "p.sqlite"),
                str(out),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        return json.loads(out.read_text())


def print_profile(name: str, p: dict) -> None:
    total = p["total"]
    training = p["fit"] - p["eval_in_training"]
    rows = [
        ("forward + loss", training - p["backward"] - p["optimizer"]),
        ("backward", p["backward"]),
        ("optimizer step", p["optimizer"]),
        ("dev evaluation during training", p["eval_in_training"]),
        ("final dev/test evaluation", p["final_evaluations"]),
        ("everything else (tokenize, build, store)", total - p["fit"] - p["final_evaluations"]),
    ]
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
    p.add_argument(
        "--other-seeds",
        metavar="3,4,5",
        help="only run today's path with these seeds and check the table",
    )
    args = p.parse_args()
    if not (Path(args.data_root) / "stsb").is_dir() and args.preset != "demo":
        print(f"no STS-B under {args.data_root}; use --preset demo or --data-root")
        return
    reference = Path(args.reference) if args.preset == "stsb-cpu" else None
    if args.other_seeds:
        seeds = [int(s) for s in args.other_seeds.split(",")]
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "runs.sqlite"
            seconds = run_sweep(
                args.preset,
                args.data_root,
                args.workers,
                db,
                "",
                with_seeds(args.preset, seeds, Path(tmp) / "sweep.toml"),
            )
            print(
                f"sweep {args.preset} with seeds {seeds}, {args.workers} workers, today's "
                f"path: {seconds:.0f} s"
            )
            against_reference(cell_results(db), reference)
        return
    if not args.skip_profile:
        for name, speed in MODES.items():
            print_profile(
                f"one cell ({args.profile_arm}, {args.profile_fraction:.0%}, seed 0), {name}",
                profile_cell(
                    args.preset, args.data_root, args.profile_arm, args.profile_fraction, speed
                ),
            )
    if args.skip_sweep:
        return
    with tempfile.TemporaryDirectory() as tmp:
        seconds, results = {}, {}
        for name, speed in MODES.items():
            db = Path(tmp) / name / "runs.sqlite"
            db.parent.mkdir()
            seconds[name] = run_sweep(args.preset, args.data_root, args.workers, db, speed)
            results[name] = cell_results(db)
            print(
                f"sweep {args.preset}, {args.workers} workers, {name} path: {seconds[name]:.0f} s",
                flush=True,
            )
        print(f"today / earlier wall time: {seconds['today'] / seconds['earlier']:.2f}")
        compare(results["earlier"], results["today"], reference)


if __name__ == "__main__":
    main()
