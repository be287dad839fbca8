"""The ``transfer-explorer`` command line: a thin layer over :mod:`engine`.

Exit codes: 0 finished, 1 the run failed, 2 bad input or settings (one line on stderr,
nothing recorded), 130 stopped (Ctrl-C or SIGTERM; the run is recorded ``stopped``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from transfer_explorer.cli import lesson as cli_lesson
from transfer_explorer.cli import sweep as cli_sweep
from transfer_explorer.cli.signals import (
    exit_quietly_on_signals,
    ignore_signals_while_exiting,
    stop_on_signals,
)
from transfer_explorer.engine.config import (
    AMP_MODES,
    COLUMN_FIELDS,
    DEVICES,
    ENCODERS,
    FLAT_SETTINGS,
    HEADS,
    MAX_INT,
    METHODS,
    POOLINGS,
    SCHEDULES,
    SIZES,
    ExperimentConfig,
)
from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.disk.outputs import check_output, write_output
from transfer_explorer.engine.errors import ConfigError, UserError
from transfer_explorer.engine.i18n import LANGUAGES, _, pgettext, set_language
from transfer_explorer.engine.labels import (
    describe_run,
    final_scores,
    model_label,
    padded,
    shown,
    status_word,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_STOPPED = 0, 1, 2, 130


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are UserErrors: one line on stderr, exit 2."""

    def error(self, message: str):
        raise UserError(f"{message} (see {self.prog} --help)")


def run_id(text: str) -> int:
    """A run id as SQLite stores it: 1 … 2**63 - 1 (a larger one overflows its integer)."""
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_INT:
        raise argparse.ArgumentTypeError(
            _("a run id is a whole number from 1 to 2**63 - 1, got {text!r}").format(text=text)
        )
    return value


def build_parser(with_gui: bool = False) -> argparse.ArgumentParser:
    parser = Parser(
        prog="transfer-explorer",
        description="Transfer-learning experiments on sentence similarity: upstream task → "
        "transfer method → downstream dataset."
        + (" With no command, the app's window opens." if with_gui else ""),
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        help="the language of messages and of the window (default: the system's, from LANG)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run_parser(sub)
    _add_store_parsers(sub)
    cli_sweep.add_parser(sub, store_args=_add_store_args)
    cli_lesson.add_parser(sub, store_args=_add_store_args)
    datasets = sub.add_parser("datasets", help="list the named datasets")
    datasets.add_argument("--json", action="store_true")
    if with_gui:
        _add_gui_parser(sub)
    for command in sub.choices.values():  # `transfer-explorer run --lang ko` reads naturally too
        command.add_argument(
            "--lang", dest="sub_lang", choices=sorted(LANGUAGES), help="language of messages"
        )
    return parser


def _upstream_help() -> str:
    from transfer_explorer.engine.upstream.registry import tasks

    return "; ".join(f"{t.name}: {t.label}" for t in tasks())


def _corpus_help() -> str:
    from transfer_explorer.engine.data import PAIR_CORPUS_NAMES, UPSTREAM_NAMES

    return (
        "upstream corpus: text "
        + ", ".join(UPSTREAM_NAMES)
        + "; sentence pairs (nli) "
        + ", ".join(PAIR_CORPUS_NAMES)
        + "; or a path; for word vectors a package name or "
        "a .txt/.vec file"
    )


TRAINING_FLAGS = (  # flag, type, help
    ("--epochs", int, "downstream epochs"),
    ("--batch-size", int, None),
    ("--lr", float, "learning rate (default 1e-3; 2e-5 when fine-tuning a checkpoint)"),
    (
        "--head-lr",
        float,
        "learning rate of the new head (default: 1e-3 when fine-tuning a checkpoint, else --lr)",
    ),
    ("--encoder-lr-multiplier", float, "finetune: encoder learning rate = lr × this"),
    ("--weight-decay", float, None),
    ("--warmup-steps", int, None),
    (
        "--warmup-ratio",
        float,
        "share of steps to warm up (default 0.1 when fine-tuning a checkpoint, else 0)",
    ),
    ("--patience", int, "early stopping: evaluations without gain"),
    (
        "--eval-every",
        int,
        "evaluate on dev every N steps (default: up to 4 times an epoch "
        "in runs of 1-2 epochs, while that takes at most 15%% of the time; "
        "always at the end of each epoch)",
    ),
    ("--log-every", int, None),
    ("--train-fraction", float, "use this share of the training set"),
    ("--upstream-epochs", int, None),
    ("--upstream-batch-size", int, None),
    ("--upstream-lr", float, None),
    ("--upstream-max-sentences", int, "cap the upstream corpus"),
    ("--upstream-seed", int, None),
    ("--seed", int, None),
    ("--threads", int, "CPU threads"),
)


def _add_run_parser(sub) -> None:
    from transfer_explorer.engine.upstream.registry import task_names

    run = sub.add_parser(
        "run",
        help="run one experiment",
        description="Run one experiment (flags override --config).",
    )
    run.add_argument("--config", metavar="TOML", help="experiment settings file")
    run.add_argument("--save-config", metavar="TOML", help="write the final settings here")
    run.add_argument(
        "--force",
        action="store_true",
        help="let --save-config replace a file that is not a settings file",
    )
    g = run.add_argument_group("the three choices")
    g.add_argument("--upstream", choices=task_names(), help=_upstream_help())
    g.add_argument("--upstream-data", metavar="DATA", help=_corpus_help())
    g.add_argument(
        "--model",
        dest="model_name",
        metavar="NAME_OR_FOLDER",
        help="a Hugging Face checkpoint (e.g. sentence-transformers/"
        "all-MiniLM-L6-v2, klue/bert-base) or a local folder",
    )
    g.add_argument(
        "--pooling", choices=POOLINGS, help="checkpoint's sentence vector (default mean)"
    )
    g.add_argument("--method", choices=METHODS)
    g.add_argument(
        "--downstream",
        metavar="DATA",
        help="stsb, korsts, klue-sts, sick, mrpc, qqp, paws, demo, or a path",
    )
    g.add_argument(
        "--columns",
        metavar="MAP",
        help="column mapping for a local file, e.g. sentence1=q1,sentence2=q2,"
        "score=sim (split=COL: see --split-column)",
    )
    g.add_argument(
        "--split-column",
        metavar="NAME",
        help="a single local file's column that says each row's split (values "
        "train/training, dev/valid/validation/val/trial, test/testing, any "
        "case); default: found by its name (split, set, fold, *_set such as "
        "SemEval_set …); 'none': ignore such a column and split at random",
    )
    g.add_argument(
        "--score-range",
        metavar="LOW,HIGH",
        help="a local file's score scale (e.g. 0,5); scores outside it are refused",
    )
    g = run.add_argument_group("model")
    g.add_argument("--encoder", choices=ENCODERS)
    g.add_argument(
        "--head",
        choices=HEADS,
        help="bi: MLP on [u,v,|u-v|,u*v]; cosine: score = cos(u,v); cross: the pair "
        "in one sequence (checkpoints). auto: cosine when fine-tuning a "
        "checkpoint on scores, else bi",
    )
    g.add_argument("--size", choices=SIZES)
    g.add_argument("--vocab-size", type=int)
    g.add_argument("--max-length", type=int, help="tokens per sentence")
    g = run.add_argument_group("training")
    for flag, kind, text in TRAINING_FLAGS:
        g.add_argument(flag, type=kind, help=text)
    g.add_argument("--device", choices=DEVICES)
    g.add_argument("--amp", choices=AMP_MODES, help="mixed precision on CUDA (default auto)")
    g.add_argument(
        "--schedule",
        choices=SCHEDULES,
        help="learning rate after warmup (auto: linear decay when fine-tuning a checkpoint)",
    )
    g.add_argument("--name", help="a name for the run")
    _add_store_args(run, data_root=True)
    run.add_argument("--json", action="store_true", help="print one JSON object at the end")
    run.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_store_parsers(sub) -> None:
    runs = sub.add_parser("runs", help="list recorded runs")
    runs.add_argument("--status", help="only runs with this status")
    runs.add_argument("--json", action="store_true")
    runs.add_argument(
        "--mark-interrupted",
        type=run_id,
        metavar="RUN",
        help="label a run 'interrupted' whose process is gone but which still "
        "says 'running' (refused while its process holds it)",
    )
    _add_store_args(runs)

    show = sub.add_parser("show", help="one run's settings, metrics and log")
    show.add_argument("run", type=run_id, metavar="RUN")
    show.add_argument("--json", action="store_true")
    _add_store_args(show)

    export = sub.add_parser(
        "export",
        help="write a run's model to a folder others load (sentence-transformers, "
        "safetensors, ONNX), or its metrics or predictions to CSV",
    )
    export.add_argument("run", type=run_id, metavar="RUN")
    target = export.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--model",
        metavar="DIR",
        help="a new folder for the model and its "
        "model card (a checkpoint run: a sentence-transformers folder)",
    )
    target.add_argument("--csv", metavar="FILE", help="metrics or predictions as CSV")
    export.add_argument(
        "--what", choices=("metrics", "predictions"), default="metrics", help="with --csv"
    )
    export.add_argument(
        "--onnx",
        action="store_true",
        help="with --model: also model.onnx (own Transformer and mean encoders)",
    )
    export.add_argument(
        "--force", action="store_true", help="with --csv: replace a file that is not a CSV file"
    )
    _add_store_args(export)

    score = sub.add_parser("score", help="score sentence pairs with a finished run's model")
    score.add_argument("run", type=run_id, metavar="RUN")
    score.add_argument("sentence1", nargs="?")
    score.add_argument("sentence2", nargs="?")
    score.add_argument("--tsv", metavar="FILE", help="score every 'sentence1<TAB>sentence2' line")
    _add_store_args(score)

    rename = sub.add_parser("rename", help="give a run a new name")
    rename.add_argument("run", type=run_id, metavar="RUN")
    rename.add_argument("name", metavar="NAME", help="the new name ('' clears it)")
    _add_store_args(rename)

    delete = sub.add_parser("delete", help="delete a run: its records and saved model")
    delete.add_argument("run", type=run_id, metavar="RUN")
    _add_store_args(delete)

    recover = sub.add_parser(
        "recover",
        help="copy what can be read from a damaged run "
        "database into a new file (the damaged one is only read)",
    )
    recover.add_argument("damaged", metavar="DAMAGED", help="the damaged database file")
    recover.add_argument("copy", metavar="NEW", help="a new file to write")


def _add_gui_parser(sub) -> None:
    gui = sub.add_parser("gui", help="open the app's window (the default)")
    gui.add_argument("--screenshot", metavar="PNG", help="render the window to a PNG, exit")
    gui.add_argument(
        "--run-default",
        action="store_true",
        help="with --screenshot: run the default experiment first",
    )
    gui.add_argument(
        "--tab",
        help="with --screenshot: the tab to show (training, "
        "predictions, data, compare, playground, history, matrix)",
    )
    gui.add_argument("--config", metavar="TOML", help="open with these experiment settings")
    _add_store_args(gui, data_root=True)


def _add_store_args(parser: argparse.ArgumentParser, data_root: bool = False) -> None:
    parser.add_argument(
        "--db", metavar="PATH", type=db_path, help="SQLite file (default: user data folder)"
    )
    if data_root:
        parser.add_argument(
            "--data-root",
            metavar="DIR",
            help="folder with <name>/{train,dev,test}.tsv copies of datasets "
            "(default: $TRANSFER_EXPLORER_DATA)",
        )
        parser.add_argument("--cache-dir", metavar="DIR", help="upstream/tokenizer cache folder")


def db_path(text: str) -> Path:
    """``--db``: a path as written (never a URI); an empty one is refused, not taken as
    'no --db' (which would send the run to the default store)."""
    from transfer_explorer.engine.disk.paths import user_path

    try:
        return user_path(text, "--db")
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--db").lstrip(": ")) from None


def main(
    argv: Sequence[str] | None = None, gui: Callable | None = None, own_process: bool = False
) -> int:
    """Run one command; ``own_process``: this is the process's command (the console
    script), so a stop signal outside a run ends the process at once and quietly."""
    parser = build_parser(with_gui=gui is not None)
    try:
        set_language(_language_asked(sys.argv[1:] if argv is None else argv))  # (for parsing)
        args, extras = parser.parse_known_args(argv)
        if extras:  # the hint names the command whose flags were meant
            command = f" {args.command}" if getattr(args, "command", None) else ""
            raise UserError(
                f"unrecognized arguments: {' '.join(extras)} (see {parser.prog}{command} --help)"
            )
        use_language(args)
        if args.command in (None, "gui"):
            if gui is None:
                parser.print_help()
                return EXIT_BAD_INPUT
            return gui(args)
        if own_process:
            exit_quietly_on_signals()  # (a run or a sweep installs its own while it lasts)
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(_("error: {message}").format(message=_one_line(exc)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `transfer-explorer runs | head` (an OSError: caught first)
        return EXIT_OK
    except OSError as exc:  # a place the app cannot read or write that no check foresaw
        message = _one_line(_describe_os_error(exc))
        print(_("error: {message}").format(message=message), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # Ctrl-C outside a run (reading data, say): nothing recorded
        print(_("stopped"), file=sys.stderr)
        return EXIT_STOPPED


def _language_asked(argv: Sequence[str]) -> str | None:
    """The ``--lang`` the command line asks for (read before parsing, so that messages of
    the parsing itself, a bad run id say, are in it too); None: the environment's."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in LANGUAGES:
            return value
    return None


def use_language(args: argparse.Namespace) -> None:
    """Messages from here on in ``--lang`` (a subcommand's or the top level's), else the
    environment's language; the window may still choose its remembered one."""
    set_language(getattr(args, "lang", None) or getattr(args, "sub_lang", None))


def _one_line(exc: BaseException | str) -> str:
    """The message on one line, whatever it holds (a file name with a newline or a terminal
    escape, say: shown escaped)."""
    return shown(" ".join(str(exc).splitlines()) or type(exc).__name__)


def _describe_os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


# ---- run ------------------------------------------------------------------------------------
def config_from_args(args: argparse.Namespace) -> ExperimentConfig:
    """The settings of a TOML file (if any) with the flags on top; checked by the caller."""
    config = ExperimentConfig.from_toml(args.config) if args.config else ExperimentConfig()
    for flag, (section, field, _kind) in FLAT_SETTINGS.items():
        value = getattr(args, flag, None)
        if value is not None:
            setattr(getattr(config, section) if section else config, field, value)
    if getattr(args, "columns", None):
        config.downstream.columns = parse_columns(args.columns)
    if getattr(args, "score_range", None):
        config.downstream.score_range = parse_score_range(args.score_range)
    if getattr(args, "split_column", None) is not None:
        config.downstream.columns = with_split_column(
            config.downstream.columns, args.split_column, bool(args.columns)
        )
    return config


def with_split_column(columns, name: str, from_flag: bool):
    """``columns`` with ``split`` set to ``--split-column``; a different ``--columns split=``
    is refused (which one was meant?). A malformed TOML mapping is left for validate."""
    if not name.strip():
        raise ConfigError(_("--split-column: give a column name, or none"))
    if not isinstance(columns, dict):
        return columns
    if from_flag and columns.get("split", name) != name:
        raise ConfigError(
            _(
                "--split-column {name!r} and --columns split={split} disagree; give one of them"
            ).format(name=name, split=columns["split"])
        )
    return {**columns, "split": name}


def parse_score_range(text: str) -> list[float]:
    """LOW,HIGH as two numbers; whether they make a usable range is config.validate's call."""
    try:
        low, high = (float(x) for x in text.split(","))
    except ValueError:
        raise ConfigError(
            _("--score-range: expected LOW,HIGH, got {text!r}").format(text=text)
        ) from None
    return [low, high]


def parse_columns(text: str) -> dict[str, str]:
    mapping = {}
    for part in text.split(","):
        ours, sep, theirs = part.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise ConfigError(
                _("--columns: expected FIELD=COLUMN pairs, got {part!r}").format(part=part)
            )
        if ours.strip() not in COLUMN_FIELDS:
            raise ConfigError(
                _("--columns: unknown field {field!r} ({fields})").format(
                    field=ours.strip(), fields=", ".join(COLUMN_FIELDS)
                )
            )
        mapping[ours.strip()] = theirs.strip()
    return mapping


def cmd_run(args: argparse.Namespace) -> int:
    from transfer_explorer.cli.progress import ProgressPrinter
    from transfer_explorer.engine.experiment.checks import check, load_data

    check_paths(args)
    experiment = check(config_from_args(args))

    if args.save_config:
        write_output(
            args.save_config,
            experiment.config.to_toml(),
            "toml",
            "--save-config",
            store=store_of(args),
            force=args.force,
        )
    data = load_data(experiment)  # bad files fail here, before anything is recorded
    from transfer_explorer.engine.experiment.runner import (
        run_experiment,
    )  # torch and scipy: once the input is checked

    printer = ProgressPrinter(enabled=not args.quiet)
    try:
        with stop_on_signals(RunControl()) as control:
            result = run_experiment(
                experiment,
                emit=printer,
                control=control,
                db=args.db,
                cache=args.cache_dir,
                data=data,
            )
    finally:
        printer.close()
    if args.json:
        print_json(result.to_dict())
    else:
        print(summary_line(result))
    if result.status == "failed":
        print(
            _("error: run {run} failed: {error}").format(
                run=result.run_id, error=_one_line(result.error)
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_STOPPED if result.status == "stopped" else EXIT_OK


def store_of(args: argparse.Namespace) -> Path:
    """The run database this command uses (``--db``, else the user's default)."""
    from transfer_explorer.engine.disk.paths import default_db

    return args.db or default_db()


def check_paths(args: argparse.Namespace) -> None:
    """Files and folders the command will write, checked before any work or record: its
    outputs, and the places a run writes (the database, its model folder, the cache)."""
    from transfer_explorer.engine.disk.paths import check_store_places, writable_folder

    if getattr(args, "save_config", None) is not None:
        check_output(
            args.save_config, "toml", "--save-config", store_of(args), getattr(args, "force", False)
        )
    if getattr(args, "cache_dir", None) is not None:
        writable_folder(args.cache_dir, "--cache-dir")
    if getattr(args, "data_root", None) is not None and not Path(args.data_root).is_dir():
        raise UserError(_("--data-root {path}: no such folder").format(path=args.data_root))
    check_store_places(store_of(args), args.cache_dir and Path(args.cache_dir))


def print_json(value) -> None:
    """Strict JSON (RFC 8259) that any parser reads: NaN and ±inf, which json.dumps
    would print as bare NaN/Infinity, become null."""
    print(json.dumps(finite(value), indent=1, allow_nan=False))


def finite(value):
    """``value`` with every non-finite float replaced by None (numpy scalars as Python's)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:  # numpy scalar
        return finite(value.item())
    if hasattr(value, "tolist"):  # numpy array
        return finite(value.tolist())
    return value


def summary_line(result) -> str:
    # TRANSLATORS: status is stored as written: finished, stopped or failed
    parts = [_("run {run} {status}").format(run=result.run_id, status=status_word(result.status))]
    scores = final_scores(result.metrics)
    if scores:
        parts.append(scores)
    parts.append(f"{result.seconds:.1f} s")
    if result.upstream_cached:
        parts.append(_("upstream from cache"))
    return ", ".join(parts)


# ---- store commands ----------------------------------------------------------------------------
def _store(args):
    from transfer_explorer.engine.store.database import Store

    store = Store(store_of(args))
    store.mark_interrupted()
    return store


def cmd_runs(args) -> int:
    with _store(args) as store:
        if args.mark_interrupted is not None:
            return _mark_interrupted(store, args.mark_interrupted)
        runs = store.list_runs(args.status)
    if args.json:
        print_json(runs)
        return EXIT_OK
    if not runs:
        print(_("no runs yet"))
        return EXIT_OK
    # the headers and statuses read in the reader's language; --json keeps the field names
    header = [  # (outside the f-string: extraction reads only plain calls)
        padded(pgettext("runs table", "id"), 4, ">"),
        " " + padded(pgettext("runs table", "status"), 11),
        padded(pgettext("runs table", "experiment"), 44),
        padded(pgettext("runs table", "encoder"), 16),
        padded(pgettext("runs table", "dev"), 6, ">"),
        padded(pgettext("runs table", "test"), 6, ">"),
        padded(pgettext("runs table", "time"), 7, ">"),
        " " + pgettext("runs table", "name"),
    ]
    print(" ".join(header))
    for r in runs:
        dev = f"{r['dev_metric']:.1f}" if r["dev_metric"] is not None else "–"
        test = f"{r['test_metric']:.1f}" if r["test_metric"] is not None else "–"
        secs = f"{r['seconds']:.0f}s" if r["seconds"] else "–"
        print(
            f"{r['id']:>4}  {padded(status_word(r['status']), 11)} "
            f"{shown(describe_run(r))[:44]:<44} "
            f"{shown(model_label(r))[:16]:<16} {dev:>6} {test:>6} {secs:>7}  "
            f"{shown(r['name'] or '')}"
        )
    return EXIT_OK


def _mark_interrupted(store, run: int) -> int:
    if store.mark_run_interrupted(run):
        print(_("run {run} marked 'interrupted'").format(run=run))
    else:
        status = store.get_run(run)["status"]
        print(
            _("run {run} is {status}, not running: left as it is").format(
                run=run, status=status_word(status)
            )
        )
    return EXIT_OK


def cmd_show(args) -> int:
    with _store(args) as store:
        run = store.get_run(args.run)
        logs = store.logs(args.run)
        upstream = store.upstream(run["upstream_key"]) if run["upstream_key"] else None
    if args.json:
        print_json({**run, "logs": logs, "upstream_entry": upstream})
        return EXIT_OK
    print(
        _("run {run}: {experiment}  [{status}]").format(
            run=run["id"], experiment=shown(describe_run(run)), status=status_word(run["status"])
        )
        + (f"  {shown(run['name'])}" if run["name"] else "")
    )
    print(
        _("  created {created}, device {device}, {seconds:.1f} s, {origin}").format(
            created=run["created_at"],
            device=run["device"],
            seconds=run["seconds"] or 0,
            origin=_upstream_origin(run),
        )
    )
    if upstream is not None:  # the upstream cache's record of how it was trained
        print(
            _(
                "  upstream {task} on {data}: trained in {seconds:.0f} s on {created}, "
                "kept in {path}"
            ).format(
                task=upstream["task"],
                data=shown(upstream["data"]),
                seconds=upstream["seconds"],
                created=upstream["created_at"],
                path=shown(upstream["path"]),
            )
        )
    for split in ("dev", "test"):
        if split in run["metrics"]:
            values = ", ".join(f"{k} {v:.2f}" for k, v in run["metrics"][split].items())
            print(f"  {split}: {values}")
    if run["metrics"].get("upstream"):
        values = ", ".join(f"{k} {v:.2f}" for k, v in run["metrics"]["upstream"].items())
        print(f"  upstream: {values}")
    for stage, info in run["stages"].items():
        text = (
            _("  stage {stage}: {seconds:.1f} s (cached)")
            if info.get("cached")
            else _("  stage {stage}: {seconds:.1f} s")
        )
        print(text.format(stage=stage, seconds=info.get("seconds", 0)))
    if run["error"]:
        print(_("  error: {error}").format(error=_one_line(run["error"])))
    print(_("  settings:"))
    for line in ExperimentConfig.from_dict(run["config"]).to_toml().splitlines():
        print(f"    {shown(line)}")
    print(_("  log:") if logs else _("  log: (nothing was logged)"))
    for log in logs:
        print(f"    {log['time']} [{log['level']}] {_one_line(log['message'])}")
    return EXIT_OK


def _upstream_origin(run: dict) -> str:
    """Where the run's upstream came from, in words (a run without one says so)."""
    from transfer_explorer.engine.upstream.registry import get_task

    try:
        task = get_task(run["upstream"])
    except UserError:  # a task of another version
        return _("upstream {task}").format(task=run["upstream"])
    if task.trains and run["method"] != "scratch":
        return _("upstream from the cache") if run["upstream_cached"] else _("upstream trained")
    if task.pretrained:
        return _("upstream loaded (pre-trained elsewhere)")
    return _("no upstream (random init)")


def cmd_export(args) -> int:
    if args.model:
        return _export_model(args)
    if args.onnx:
        raise UserError(_("--onnx goes with --model DIR"))
    check_output(args.csv, "csv", "--csv", store_of(args), args.force)  # before reading
    with _store(args) as store:
        store.get_run(args.run)
        if args.what == "metrics":
            rows = store.metrics(args.run)
            fields = ["stage", "step", "epoch", "name", "value"]
        else:
            rows = [
                r
                for stage in ("downstream", "upstream")
                for split in ("dev", "test")
                for r in store.predictions(args.run, stage, split)
            ]
            fields = ["stage", "split", "step", "pair", "sentence1", "sentence2", "gold", "pred"]
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    write_output(args.csv, text.getvalue(), "csv", "--csv", store_of(args), args.force)
    print(_("wrote {n} rows to {path}").format(n=len(rows), path=shown(args.csv)))
    return EXIT_OK


def _export_model(args) -> int:
    from transfer_explorer.engine.disk.outputs import refuse_database_family
    from transfer_explorer.engine.saved.export import check_target, export_model

    if not args.model.strip():
        raise UserError(_("--model: give a folder name (got an empty path)"))
    folder = check_target(Path(args.model).expanduser())  # before the store is opened
    # (a run's own model folder, say, whose id a later run would take)
    refuse_database_family(Path(os.path.realpath(folder)), f"--model {args.model}", store_of(args))
    with _store(args) as store:
        run = store.get_run(args.run)
        curves = store.curves(args.run)
    result = export_model(run, curves, args.model, onnx=args.onnx)
    print(
        _("wrote run {run} as a {kind} folder to {folder}: {files}").format(
            run=args.run,
            kind=result.kind,
            folder=shown(result.folder),
            files=", ".join(result.files),
        )
    )
    for note in result.notes:
        print(_("note: {note}").format(note=note))
    return EXIT_OK


def cmd_score(args) -> int:
    from transfer_explorer.engine.saved.predict import Scorer

    pairs = _pairs_to_score(args)  # bad input is refused before the store is opened
    with _store(args) as store:
        run = store.get_run(args.run)
    if run["status"] != "finished":
        raise UserError(
            _("run {run} is {status}; only finished runs can score pairs").format(
                run=args.run, status=run["status"]
            )
        )
    scores = Scorer(run["artifacts"]).score(pairs)
    for (a, b), s in zip(pairs, scores):
        value = s.label or f"{s.score:.2f}"
        print(f"{shown(value)}\tcos {s.cosine:.3f}\t{shown(a)}\t{shown(b)}")
    return EXIT_OK


def _pairs_to_score(args) -> list[tuple[str, str]]:
    if args.tsv:
        lines = read_text_file(args.tsv, "--tsv").splitlines()
        pairs = [tuple(line.split("\t")[:2]) for line in lines if "\t" in line]
        if not pairs:
            raise UserError(
                _("--tsv {path}: no 'sentence1<TAB>sentence2' lines").format(path=args.tsv)
            )
        return pairs
    if args.sentence1 is not None and args.sentence2 is not None:
        return [(args.sentence1, args.sentence2)]
    raise UserError(_("give two sentences, or --tsv FILE"))


def read_text_file(path: str, flag: str) -> str:
    """A regular UTF-8 text file; a folder, a device or FIFO (which could block or never
    end) or a binary file is a one-line error."""
    from transfer_explorer.engine.disk.safe_read import open_regular

    def refuse(where, info) -> None:
        if stat.S_ISREG(info.st_mode):
            return
        message = (
            _("{flag} {path}: a folder; give a text file")
            if stat.S_ISDIR(info.st_mode)
            else _("{flag} {path}: not a regular file; give a text file")
        )
        raise UserError(message.format(flag=flag, path=path))

    try:
        with open_regular(path, refuse=refuse) as source:  # (never blocks on a FIFO)
            raw = source.read()
    except FileNotFoundError:
        raise UserError(_("{flag} {path}: no such file").format(flag=flag, path=path)) from None
    except OSError as exc:
        raise UserError(
            _("{flag} {path}: cannot read it ({reason})").format(
                flag=flag, path=path, reason=exc.strerror or exc
            )
        ) from None
    if b"\0" in raw:
        raise UserError(_("{flag} {path}: a binary file, not text").format(flag=flag, path=path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(
            _("{flag} {path}: not UTF-8 text (byte {byte})").format(
                flag=flag, path=path, byte=exc.start
            )
        ) from None


def cmd_rename(args) -> int:
    with _store(args) as store:
        store.rename_run(args.run, args.name)
    print(
        _("run {run} renamed to '{name}'").format(run=args.run, name=shown(args.name))
        if args.name
        else _("run {run}: name cleared").format(run=args.run)
    )
    return EXIT_OK


def cmd_delete(args) -> int:
    with _store(args) as store:
        store.delete_run(args.run)  # (refused while its process still writes into it)
    print(_("deleted run {run}").format(run=args.run))
    return EXIT_OK


def cmd_recover(args) -> int:
    from transfer_explorer.engine.store.recover import recover

    report = recover(args.damaged, args.copy)
    lost = sum(n for _copied, n in report.values() if n > 0)
    unknown = any(n < 0 for _copied, n in report.values())
    for table, (copied, missing) in report.items():
        line = (
            _("{table:<15} {copied:>9,} rows copied, {missing:,} lost")
            if missing > 0
            else _(
                "{table:<15} {copied:>9,} rows copied, some lost on damaged pages "
                "(how many cannot be told)"
            )
            if missing < 0
            else _("{table:<15} {copied:>9,} rows copied")
        )
        print(line.format(table=table, copied=copied, missing=missing))
    if lost:
        line = (
            _("wrote {path}; {lost:,} or more rows could not be read; open it with --db {path}")
            if unknown
            else _("wrote {path}; {lost:,} rows could not be read; open it with --db {path}")
        )
    elif unknown:
        line = _("wrote {path}; some rows could not be read; open it with --db {path}")
    else:
        line = _("wrote {path}; open it with --db {path}")
    print(line.format(path=shown(args.copy), lost=lost))
    return EXIT_OK


def cmd_datasets(args) -> int:
    from transfer_explorer.engine.data import DATASETS

    if args.json:
        print_json(
            {
                n: {
                    "kind": s.kind,
                    "title": s.title,
                    "language": s.language,
                    "task": s.task,
                    "hub": s.hub.repo if s.hub else None,
                }
                for n, s in DATASETS.items()
            }
        )
        return EXIT_OK
    for kind, title in (
        ("pairs", _("downstream (sentence pairs):")),
        ("text", _("upstream (sentences):")),
    ):
        print(title)
        for name, spec in DATASETS.items():
            if spec.kind == kind:
                source = spec.hub.repo if spec.hub else _("bundled")
                print(f"  {name:<10} {spec.description:<48} {source}")
    demo = _("also serves as the upstream corpus (bundled sentiment sentences)")
    print(f"  {'demo':<10} {demo}")
    return EXIT_OK


COMMANDS = {
    "sweep": cli_sweep.cmd_sweep,
    "lesson": cli_lesson.cmd_lesson,
    "run": cmd_run,
    "runs": cmd_runs,
    "show": cmd_show,
    "export": cmd_export,
    "score": cmd_score,
    "rename": cmd_rename,
    "delete": cmd_delete,
    "recover": cmd_recover,
    "datasets": cmd_datasets,
}


def script(argv: Sequence[str] | None = None, gui: Callable | None = None) -> int:
    """``main`` as the process's own command (``python -m``, the console script)."""
    code = main(argv, gui, own_process=True)
    ignore_signals_while_exiting()
    return code


if __name__ == "__main__":
    sys.exit(script())
