"""``transfer-explorer lesson``: the Lesson page's steps from a terminal — each step's
sweep (the same engine, store and cache as the window), its figures and its reading."""

from __future__ import annotations

from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.labels import shown


def add_parser(sub, store_args) -> None:
    from transfer_explorer.engine.lesson import LESSON_DATA, STEPS

    lesson = sub.add_parser(
        "lesson",
        help="run the guided lesson's steps and print what each one shows",
        description="Run the lesson's steps (each a small sweep; a rerun shows stored "
        "results at once) and print each step's numbers and reading.",
    )
    lesson.add_argument(
        "steps",
        nargs="*",
        metavar="STEP",
        help="step numbers or names (default: all): "
        + ", ".join(f"{n} {s.key}" for n, s in enumerate(STEPS, 1)),
    )
    lesson.add_argument("--data", choices=sorted(LESSON_DATA), default="demo")
    lesson.add_argument(
        "--seeds", type=int, metavar="N", help="seeds per cell (default: the lesson's, 3)"
    )
    lesson.add_argument("--workers", type=int, default=1, help="cells at a time (processes)")
    lesson.add_argument("--markdown", metavar="FILE", help="also write the lesson as Markdown")
    lesson.add_argument("--force", action="store_true", help="let --markdown replace a file")
    lesson.add_argument("--quiet", action="store_true", help="no progress bar")
    store_args(lesson, data_root=True)


def cmd_lesson(args) -> int:
    from transfer_explorer.cli.commands import (
        EXIT_FAILED,
        EXIT_OK,
        EXIT_STOPPED,
        check_paths,
        store_of,
    )
    from transfer_explorer.cli.sweep import check_workers, run_in_terminal
    from transfer_explorer.engine.disk.outputs import check_output, write_output
    from transfer_explorer.engine.errors import ConfigError
    from transfer_explorer.engine.lesson import STEPS, step_sweep
    from transfer_explorer.engine.lesson.reading import reading
    from transfer_explorer.engine.lesson.steps import get_step
    from transfer_explorer.engine.sweep.report import summarize, to_markdown

    check_paths(args)
    if args.seeds is not None and not 1 <= args.seeds <= 100:
        raise ConfigError(_("--seeds takes 1 to 100, got {n}").format(n=args.seeds))
    if args.markdown:
        check_output(args.markdown, "markdown", "--markdown", store_of(args), args.force)
    check_workers(args)
    steps = [get_step(s) for s in args.steps] if args.steps else list(STEPS)
    seeds = list(range(args.seeds)) if args.seeds is not None else None
    sweeps = [(step, step_sweep(step, args.data, seeds)) for step in steps]
    out, failed, total = [], False, 0.0
    for step, sweep in sweeps:
        result = run_in_terminal(sweep, args)
        total += result.seconds
        matrix = summarize(result.cells, sweep.arms, sweep.control_arm(), sweep.name)
        cells = sweep.cells()
        text = "\n".join(
            [
                _("## Step {n}: {title}").format(n=step.number, title=_(step.title)),
                "",
                _(step.question),
                "",
                to_markdown(matrix).rstrip(),
                "",
                *(_layers(step, sweep, result.cells, store_of(args)) if step.layers else []),
                reading(step, matrix),
                "",
                _(
                    "{cells} runs on {data}: {trained} trained in {seconds:.0f} s, the rest "
                    "found in the store."
                ).format(
                    cells=len(cells),
                    data=args.data,
                    trained=len(cells) - result.skipped,
                    seconds=result.seconds,
                ),
                "",
            ]
        )
        print("\n".join(shown(line) for line in text.splitlines()), flush=True)
        out.append(text)
        failed = failed or any(r["status"] == "failed" for r in result.cells)
        if result.status == "stopped":
            return EXIT_STOPPED
    print(_("The lesson's steps took {seconds:.0f} s in all.").format(seconds=total))
    if args.markdown:
        write_output(
            args.markdown, "\n".join(out), "markdown", "--markdown", store_of(args), args.force
        )
    return EXIT_FAILED if failed else EXIT_OK


def _layers(step, sweep, rows: list[dict], db) -> list[str]:
    """Step 2's layers: what the sentiment model hands on, read off the real models (with
    the vocabulary a run of the step built)."""
    from transfer_explorer.engine.lesson.layers import layers_reading, step_encoder, transfer_layers
    from transfer_explorer.engine.store.database import Store

    with Store(db) as store:
        encoder = step_encoder(store, rows, sweep.control_arm())
    upstream, downstream = transfer_layers(sweep.cells()[0].config, encoder)
    fate = {"kept": _("kept"), "dropped": _("dropped"), "new": _("new")}
    lines = [f"- {b.label}: {b.weights:,} — {fate[b.fate]}" for b in upstream]
    lines += [f"- {b.label}: {b.weights:,} — {fate[b.fate]}" for b in downstream if b.fate == "new"]
    return [*lines, "", layers_reading(upstream, downstream), ""]
