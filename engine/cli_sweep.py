"""``transfer-explorer sweep``: run a grid of experiments and print its matrix."""
from __future__ import annotations

import sys

from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.errors import ConfigError

MAX_WORKERS = 256  # processes at a time; more only oversubscribes the machine


def add_parser(sub, store_args) -> None:
    from transfer_explorer.engine.sweep import PRESETS

    sweep = sub.add_parser("sweep", help="run a grid of experiments (resumable) and summarise it",
                           description="Run every cell of a sweep file or preset; a rerun "
                                       "skips finished cells and redoes interrupted ones.")
    sweep.add_argument("file", nargs="?", metavar="FILE.toml", help="sweep definition")
    sweep.add_argument("--preset", help=", ".join(PRESETS))
    sweep.add_argument("--workers", type=int, default=1, help="cells at a time (processes)")
    sweep.add_argument("--executor", choices=("local", "ray"), default="local")
    sweep.add_argument("--ray-address", metavar="ADDR", help="a Ray cluster (default: local)")
    sweep.add_argument("--markdown", metavar="FILE", help="write the matrix as Markdown")
    sweep.add_argument("--csv", metavar="FILE", help="write the matrix as CSV")
    sweep.add_argument("--tensorboard", metavar="DIR", help="write event files for every run")
    sweep.add_argument("--json", action="store_true", help="print one JSON object at the end")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    store_args(sweep, data_root=True)


def cmd_sweep(args) -> int:
    from transfer_explorer.engine.cli import (EXIT_FAILED, EXIT_OK, EXIT_STOPPED, check_paths, print_json,
                            stop_on_ctrl_c)
    from transfer_explorer.engine.cli_progress import SweepProgress
    from transfer_explorer.engine.sweep_report import summarize
    from transfer_explorer.engine.sweep_run import run_sweep

    check_paths(args)
    _check_outputs(args)
    sweep = _load_sweep(args)
    progress = SweepProgress(enabled=not args.quiet)
    try:
        with stop_on_ctrl_c(RunControl()) as control:
            result = run_sweep(sweep, db=args.db, cache=args.cache_dir, data_root=args.data_root,
                               workers=args.workers, executor=args.executor,
                               ray_address=args.ray_address, emit=progress, control=control)
    finally:
        progress.close()
    matrix = summarize(result.cells, sweep.arms, sweep.control_arm(), sweep.name)
    _write_sweep_files(args, result, matrix)
    if args.json:
        print_json(_sweep_json(result, matrix))
    else:
        from transfer_explorer.engine.sweep_report import to_markdown
        from transfer_explorer.engine.sweep_story import story

        print(f"# {sweep.name}\n")
        print(to_markdown(matrix))
        print(story(matrix) + "\n")
        print(f"sweep {result.sweep_id} {result.status} in {result.seconds:.0f} s; "
              f"{result.skipped} cells resumed from an earlier attempt; the upstream cache saved "
              f"{result.upstream_seconds_saved:.0f} s of training")
    busy = [pid for pid in result.claimed.values() if pid]
    if busy:  # on stderr, so it is seen with --json too
        print(f"{len(busy)} cells were being trained by another copy of this sweep (process "
              f"{', '.join(map(str, sorted(set(busy))))}); run it again once that one ends to "
              "see them in the matrix", file=sys.stderr)
    latest = {}
    for row in result.cells:  # the newest attempt of each cell decides
        latest[row["cell_key"]] = row["status"]
    if result.status == "stopped":
        return EXIT_STOPPED
    return EXIT_FAILED if "failed" in latest.values() else EXIT_OK


def _load_sweep(args):
    from transfer_explorer.engine.sweep import PRESETS, load_sweep

    if bool(args.file) == bool(args.preset):
        raise ConfigError(f"give a sweep file or --preset NAME ({', '.join(PRESETS)})")
    return load_sweep(args.file, args.preset, args.data_root)


def _check_outputs(args) -> None:
    """Where the matrix and event files go, checked before hours of training."""
    from transfer_explorer.engine.cli import writable_file, writable_folder

    for flag, path in (("--markdown", args.markdown), ("--csv", args.csv)):
        if path:
            writable_file(path, flag)
    if args.tensorboard:
        writable_folder(args.tensorboard, "--tensorboard")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise ConfigError(f"--workers must be from 1 to {MAX_WORKERS}, got {args.workers}")


def _write_sweep_files(args, result, matrix) -> None:
    from transfer_explorer.engine.cli import write_text
    from transfer_explorer.engine.sweep_report import to_csv, to_markdown

    if args.markdown:
        from transfer_explorer.engine.sweep_story import story

        write_text(args.markdown, to_markdown(matrix) + "\n" + story(matrix) + "\n",
                   "--markdown")
    if args.csv:
        write_text(args.csv, to_csv(matrix), "--csv")
    if args.tensorboard:
        from transfer_explorer.engine.paths import default_db
        from transfer_explorer.engine.store import Store
        from transfer_explorer.engine.tensorboard_export import export_runs

        latest = {r["cell_key"]: r["run_id"] for r in result.cells}
        with Store(args.db or default_db()) as store:
            export_runs(store, sorted(latest.values()), args.tensorboard)


def _sweep_json(result, matrix) -> dict:
    from transfer_explorer.engine.sweep_story import story

    return {"sweep_id": result.sweep_id, "status": result.status, "story": story(matrix),
            "seconds": round(result.seconds, 1), "skipped": result.skipped,
            "left_to_another_copy": len(result.claimed),
            "upstream_seconds_saved": round(result.upstream_seconds_saved, 1),
            "cells": [{"arm": c.arm, "encoder": c.encoder, "downstream": c.downstream,
                       "train_fraction": c.fraction, "n": c.n, "dev_mean": c.dev_mean_std[0],
                       "dev_std": c.dev_mean_std[1], "test_mean": c.test_mean_std[0],
                       "test_std": c.test_mean_std[1],
                       "verdict": c.verdict.label if c.verdict else None,
                       "p_value": c.verdict.p_value if c.verdict else None,
                       "train_pairs": c.pairs, "worth": _worth_json(c)}
                      for c in matrix.cells]}


def _worth_json(cell) -> dict | None:
    """Effective data: pairs (null when below the control), 'beyond' the control's largest
    size when the arm beats all of it, the multiple, and the same at mean ± std."""
    if cell.worth is None:
        return None
    low, high = cell.worth_range

    def one(worth):
        return {"pairs": worth.pairs, "beyond": worth.beyond, "multiple": worth.multiple}

    return {**one(cell.worth), "text": cell.worth_text(), "low": one(low), "high": one(high)}
