"""``transfer-explorer sweep``: run a grid of experiments and print its matrix."""

from __future__ import annotations

import sys

from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.labels import shown, status_word


def add_parser(sub, store_args) -> None:
    from transfer_explorer.engine.sweep.grid import PRESETS

    sweep = sub.add_parser(
        "sweep",
        help="run a grid of experiments (resumable) and summarise it",
        description="Run every cell of a sweep file or preset; a rerun "
        "skips finished cells and redoes interrupted ones.",
    )
    sweep.add_argument("file", nargs="?", metavar="FILE.toml", help="sweep definition")
    sweep.add_argument("--preset", help=", ".join(PRESETS))
    sweep.add_argument("--workers", type=int, default=1, help="cells at a time (processes)")
    sweep.add_argument("--executor", choices=("local", "ray"), default="local")
    sweep.add_argument("--ray-address", metavar="ADDR", help="a Ray cluster (default: local)")
    sweep.add_argument("--markdown", metavar="FILE", help="write the matrix as Markdown")
    sweep.add_argument("--csv", metavar="FILE", help="write the matrix as CSV")
    sweep.add_argument(
        "--force", action="store_true", help="let --markdown/--csv replace a file of another kind"
    )
    sweep.add_argument("--tensorboard", metavar="DIR", help="write event files for every run")
    sweep.add_argument("--json", action="store_true", help="print one JSON object at the end")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    store_args(sweep, data_root=True)


def cmd_sweep(args) -> int:
    from transfer_explorer.cli.commands import (
        EXIT_FAILED,
        EXIT_OK,
        EXIT_STOPPED,
        check_paths,
        print_json,
    )
    from transfer_explorer.engine.sweep.report import summarize

    check_paths(args)
    _check_outputs(args)
    sweep = _load_sweep(args)
    result = run_in_terminal(sweep, args, args.executor, args.ray_address)
    matrix = summarize(result.cells, sweep.arms, sweep.control_arm(), sweep.name)
    _write_sweep_files(args, result, matrix)
    if args.json:
        print_json(_sweep_json(result, matrix))
    else:
        from transfer_explorer.engine.sweep.report import to_markdown
        from transfer_explorer.engine.sweep.story import story

        print(f"# {shown(sweep.name)}\n")
        for line in (to_markdown(matrix) + "\n" + story(matrix) + "\n").splitlines():
            print(shown(line))  # (arm and file names are the user's)
        print(
            _(
                "sweep {sweep} {status} in {seconds:.0f} s; {skipped} cells resumed from an "
                "earlier attempt; the upstream cache saved {saved:.0f} s of training"
            ).format(
                sweep=result.sweep_id,
                status=status_word(result.status),
                seconds=result.seconds,
                skipped=result.skipped,
                saved=result.upstream_seconds_saved,
            )
        )
    busy = [pid for pid in result.claimed.values() if pid]
    if busy:  # on stderr, so it is seen with --json too
        print(
            _(
                "{n} cells were being trained by another copy of this sweep (process "
                "{processes}); run it again once that one ends to see them in the matrix"
            ).format(n=len(busy), processes=", ".join(map(str, sorted(set(busy))))),
            file=sys.stderr,
        )
    latest = {}
    for row in result.cells:  # the newest attempt of each cell decides
        latest[row["cell_key"]] = row["status"]
    if result.status == "stopped":
        return EXIT_STOPPED
    return EXIT_FAILED if "failed" in latest.values() else EXIT_OK


def run_in_terminal(sweep, args, executor: str = "local", ray_address: str | None = None):
    """Run ``sweep`` with the command's store and data flags, a progress bar on stderr
    (unless --quiet) and Ctrl-C / SIGTERM stopping it cleanly: the sweep and lesson verbs."""
    from transfer_explorer.cli.progress import SweepProgress
    from transfer_explorer.cli.signals import stop_on_signals
    from transfer_explorer.engine.sweep.execute import run_sweep

    progress = SweepProgress(enabled=not args.quiet)
    try:
        with stop_on_signals(RunControl()) as control:
            return run_sweep(
                sweep,
                db=args.db,
                cache=args.cache_dir,
                data_root=args.data_root,
                workers=args.workers,
                executor=executor,
                ray_address=ray_address,
                emit=progress,
                control=control,
            )
    finally:
        progress.close()


def _load_sweep(args):
    from transfer_explorer.engine.sweep.grid import PRESETS, load_sweep

    if bool(args.file) == bool(args.preset):
        raise ConfigError(
            _("give a sweep file or --preset NAME ({presets})").format(presets=", ".join(PRESETS))
        )
    return load_sweep(args.file, args.preset, args.data_root)


def _check_outputs(args) -> None:
    """Where the matrix and event files go, checked before hours of training (and again
    when they are written)."""
    from transfer_explorer.cli.commands import store_of
    from transfer_explorer.engine.disk.outputs import check_output
    from transfer_explorer.engine.disk.paths import writable_folder

    for flag, path, kind in (("--markdown", args.markdown, "markdown"), ("--csv", args.csv, "csv")):
        if path is not None:
            check_output(path, kind, flag, store_of(args), args.force)
    if args.tensorboard is not None:
        writable_folder(args.tensorboard, "--tensorboard")
    check_workers(args)


def check_workers(args) -> None:
    """--workers within bounds, before anything is recorded (sweep and lesson)."""
    from transfer_explorer.engine.sweep.grid import MAX_WORKERS

    if not 1 <= args.workers <= MAX_WORKERS:
        raise ConfigError(
            _("--workers must be from 1 to {most}, got {workers}").format(
                most=MAX_WORKERS, workers=args.workers
            )
        )


def _write_sweep_files(args, result, matrix) -> None:
    from transfer_explorer.cli.commands import store_of
    from transfer_explorer.engine.disk.outputs import write_output
    from transfer_explorer.engine.sweep.report import to_csv, to_markdown

    if args.markdown:
        from transfer_explorer.engine.sweep.story import story

        write_output(
            args.markdown,
            to_markdown(matrix) + "\n" + story(matrix) + "\n",
            "markdown",
            "--markdown",
            store_of(args),
            args.force,
        )
    if args.csv:
        write_output(args.csv, to_csv(matrix), "csv", "--csv", store_of(args), args.force)
    if args.tensorboard:
        from transfer_explorer.engine.store.database import Store
        from transfer_explorer.engine.store.tensorboard import export_runs

        latest = {r["cell_key"]: r["run_id"] for r in result.cells}
        with Store(store_of(args)) as store:
            export_runs(store, sorted(latest.values()), args.tensorboard)


def _sweep_json(result, matrix) -> dict:
    from transfer_explorer.engine.sweep.story import story

    return {
        "sweep_id": result.sweep_id,
        "status": result.status,
        "story": story(matrix),
        "seconds": round(result.seconds, 1),
        "skipped": result.skipped,
        "left_to_another_copy": len(result.claimed),
        "upstream_seconds_saved": round(result.upstream_seconds_saved, 1),
        "cells": [
            {
                "arm": c.arm,
                "encoder": c.encoder,
                "downstream": c.downstream,
                "train_fraction": c.fraction,
                "n": c.n,
                "dev_mean": c.dev_mean_std[0],
                "dev_std": c.dev_mean_std[1],
                "test_mean": c.test_mean_std[0],
                "test_std": c.test_mean_std[1],
                "verdict": c.verdict.label if c.verdict else None,
                "p_value": c.verdict.p_value if c.verdict else None,
                "train_pairs": c.pairs,
                "worth": _worth_json(c),
            }
            for c in matrix.cells
        ],
    }


def _worth_json(cell) -> dict | None:
    """Effective data: pairs (null when below the control), 'beyond' the control's largest
    size when the arm beats all of it, the multiple, and the same at mean ± std."""
    if cell.worth is None:
        return None
    low, high = cell.worth_range

    def one(worth):
        return {"pairs": worth.pairs, "beyond": worth.beyond, "multiple": worth.multiple}

    return {**one(cell.worth), "text": cell.worth_text(), "low": one(low), "high": one(high)}
