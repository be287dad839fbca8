"""The ``transfer-explorer`` command line: a thin layer over :mod:`engine`.

Exit codes: 0 finished, 1 the run failed, 2 bad input or settings, 130 stopped (Ctrl-C).
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import signal
import sys
from pathlib import Path
from typing import Callable, Sequence

from engine import cli_sweep
from engine.config import (AMP_MODES, DEVICES, ENCODERS, HEADS, METHODS, POOLINGS, SCHEDULES,
                           SIZES, ExperimentConfig)
from engine.control import RunControl
from engine.errors import ConfigError, UserError
from engine.labels import describe_run, model_label

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_STOPPED = 0, 1, 2, 130

# CLI flag -> (section, field) in ExperimentConfig; None section = top level.
RUN_FLAGS: dict[str, tuple[str | None, str, type]] = {
    "upstream": ("upstream", "task", str), "upstream_data": ("upstream", "data", str),
    "upstream_epochs": ("upstream", "epochs", int),
    "upstream_batch_size": ("upstream", "batch_size", int),
    "upstream_lr": ("upstream", "lr", float),
    "upstream_max_sentences": ("upstream", "max_sentences", int),
    "upstream_seed": ("upstream", "seed", int),
    "model_name": ("upstream", "model", str), "pooling": ("upstream", "pooling", str),
    "head": ("model", "head", str), "amp": ("training", "amp", str),
    "warmup_ratio": ("training", "warmup_ratio", float),
    "head_lr": ("training", "head_lr", float),
    "schedule": ("training", "schedule", str),
    "method": (None, "method", str), "downstream": ("downstream", "data", str),
    "train_fraction": ("downstream", "train_fraction", float),
    "encoder": ("model", "encoder", str), "size": ("model", "size", str),
    "vocab_size": ("model", "vocab_size", int), "max_length": ("model", "max_length", int),
    "epochs": ("training", "epochs", int), "batch_size": ("training", "batch_size", int),
    "lr": ("training", "lr", float),
    "encoder_lr_multiplier": ("training", "encoder_lr_multiplier", float),
    "weight_decay": ("training", "weight_decay", float),
    "warmup_steps": ("training", "warmup_steps", int),
    "patience": ("training", "patience", int), "eval_every": ("training", "eval_every", int),
    "log_every": ("training", "log_every", int),
    "device": (None, "device", str), "seed": (None, "seed", int),
    "threads": (None, "threads", int), "name": (None, "name", str),
    "data_root": (None, "data_root", str),
}


def build_parser(with_gui: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transfer-explorer",
        description="Transfer-learning experiments on sentence similarity: upstream task → "
                    "transfer method → downstream dataset." +
                    (" With no command, the app's window opens." if with_gui else ""))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_run_parser(sub)
    _add_store_parsers(sub)
    cli_sweep.add_parser(sub, store_args=_add_store_args)
    datasets = sub.add_parser("datasets", help="list the named datasets")
    datasets.add_argument("--json", action="store_true")
    if with_gui:
        _add_gui_parser(sub)
    return parser


def _upstream_help() -> str:
    from engine.upstream.registry import tasks

    return "; ".join(f"{t.name}: {t.label}" for t in tasks())


def _corpus_help() -> str:
    from engine.data import UPSTREAM_NAMES

    return ("upstream corpus: " + ", ".join(UPSTREAM_NAMES) + ", demo, or a path; for word "
            "vectors a package name or a .txt/.vec file")


TRAINING_FLAGS = (  # flag, type, help
    ("--epochs", int, "downstream epochs"),
    ("--batch-size", int, None),
    ("--lr", float, "learning rate (default 1e-3; 2e-5 when fine-tuning a checkpoint)"),
    ("--head-lr", float, "learning rate of the new head (default: 1e-3 when fine-tuning a "
                         "checkpoint, else --lr)"),
    ("--encoder-lr-multiplier", float, "finetune: encoder learning rate = lr × this"),
    ("--weight-decay", float, None), ("--warmup-steps", int, None),
    ("--warmup-ratio", float, "share of steps to warm up (default 0.1 when fine-tuning a "
                              "checkpoint, else 0)"),
    ("--patience", int, "early stopping: evaluations without gain"),
    ("--eval-every", int, "also evaluate every N steps"),
    ("--log-every", int, None),
    ("--train-fraction", float, "use this share of the training set"),
    ("--upstream-epochs", int, None), ("--upstream-batch-size", int, None),
    ("--upstream-lr", float, None),
    ("--upstream-max-sentences", int, "cap the upstream corpus"),
    ("--upstream-seed", int, None),
    ("--seed", int, None), ("--threads", int, "CPU threads"),
)


def _add_run_parser(sub) -> None:
    from engine.upstream.registry import task_names

    run = sub.add_parser("run", help="run one experiment", description="Run one experiment "
                         "(flags override --config).")
    run.add_argument("--config", metavar="TOML", help="experiment settings file")
    run.add_argument("--save-config", metavar="TOML", help="write the final settings here")
    g = run.add_argument_group("the three choices")
    g.add_argument("--upstream", choices=task_names(), help=_upstream_help())
    g.add_argument("--upstream-data", metavar="DATA", help=_corpus_help())
    g.add_argument("--model", dest="model_name", metavar="NAME_OR_FOLDER",
                   help="a Hugging Face checkpoint (e.g. sentence-transformers/"
                        "all-MiniLM-L6-v2, klue/bert-base) or a local folder")
    g.add_argument("--pooling", choices=POOLINGS, help="checkpoint's sentence vector "
                                                         "(default mean)")
    g.add_argument("--method", choices=METHODS)
    g.add_argument("--downstream", metavar="DATA",
                   help="stsb, korsts, klue-sts, sick, mrpc, qqp, paws, demo, or a path")
    g.add_argument("--columns", metavar="MAP",
                   help="column mapping for a local file, e.g. sentence1=q1,sentence2=q2,score=sim")
    g.add_argument("--score-range", metavar="LOW,HIGH",
                   help="a local file's score scale (e.g. 0,5); scores outside it are refused")
    g = run.add_argument_group("model")
    g.add_argument("--encoder", choices=ENCODERS)
    g.add_argument("--head", choices=HEADS,
                   help="bi: MLP on [u,v,|u-v|,u*v]; cosine: score = cos(u,v); cross: the pair "
                        "in one sequence (checkpoints). auto: cosine when fine-tuning a "
                        "checkpoint on scores, else bi")
    g.add_argument("--size", choices=SIZES)
    g.add_argument("--vocab-size", type=int)
    g.add_argument("--max-length", type=int, help="tokens per sentence")
    g = run.add_argument_group("training")
    for flag, kind, text in TRAINING_FLAGS:
        g.add_argument(flag, type=kind, help=text)
    g.add_argument("--device", choices=DEVICES)
    g.add_argument("--amp", choices=AMP_MODES, help="mixed precision on CUDA (default auto)")
    g.add_argument("--schedule", choices=SCHEDULES,
                   help="learning rate after warmup (auto: linear decay when fine-tuning a "
                        "checkpoint)")
    g.add_argument("--name", help="a name for the run")
    _add_store_args(run, data_root=True)
    run.add_argument("--json", action="store_true", help="print one JSON object at the end")
    run.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_store_parsers(sub) -> None:
    runs = sub.add_parser("runs", help="list recorded runs")
    runs.add_argument("--status", help="only runs with this status")
    runs.add_argument("--json", action="store_true")
    _add_store_args(runs)

    show = sub.add_parser("show", help="one run's settings, metrics and log")
    show.add_argument("run", type=int, metavar="RUN")
    show.add_argument("--json", action="store_true")
    _add_store_args(show)

    export = sub.add_parser("export", help="write a run's metrics or predictions to CSV")
    export.add_argument("run", type=int, metavar="RUN")
    export.add_argument("--csv", required=True, metavar="FILE")
    export.add_argument("--what", choices=("metrics", "predictions"), default="metrics")
    _add_store_args(export)

    score = sub.add_parser("score", help="score sentence pairs with a finished run's model")
    score.add_argument("run", type=int, metavar="RUN")
    score.add_argument("sentence1", nargs="?")
    score.add_argument("sentence2", nargs="?")
    score.add_argument("--tsv", metavar="FILE", help="score every 'sentence1<TAB>sentence2' line")
    _add_store_args(score)


def _add_gui_parser(sub) -> None:
    gui = sub.add_parser("gui", help="open the app's window (the default)")
    gui.add_argument("--screenshot", metavar="PNG", help="render the window to a PNG, exit")
    gui.add_argument("--run-default", action="store_true",
                     help="with --screenshot: run the default experiment first")
    gui.add_argument("--tab", help="with --screenshot: the tab to show (training, "
                     "predictions, data, compare, playground, history, matrix)")
    gui.add_argument("--config", metavar="TOML", help="open with these experiment settings")
    _add_store_args(gui, data_root=True)


def _add_store_args(parser: argparse.ArgumentParser, data_root: bool = False) -> None:
    parser.add_argument("--db", metavar="PATH", help="SQLite file (default: user data folder)")
    if data_root:
        parser.add_argument("--data-root", metavar="DIR",
                            help="folder with <name>/{train,dev,test}.tsv copies of datasets "
                                 "(default: $TRANSFER_EXPLORER_DATA)")
        parser.add_argument("--cache-dir", metavar="DIR", help="upstream/tokenizer cache folder")


def main(argv: Sequence[str] | None = None, gui: Callable | None = None) -> int:
    parser = build_parser(with_gui=gui is not None)
    args = parser.parse_args(argv)
    try:
        if args.command in (None, "gui"):
            if gui is None:
                parser.print_help()
                return EXIT_BAD_INPUT
            return gui(args)
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. `transfer-explorer runs | head`
        return EXIT_OK


# ---- run ------------------------------------------------------------------------------------
def config_from_args(args: argparse.Namespace) -> ExperimentConfig:
    """The settings of a TOML file (if any) with the flags on top; checked by the caller."""
    config = ExperimentConfig.from_toml(args.config) if args.config else ExperimentConfig()
    for flag, (section, field, _) in RUN_FLAGS.items():
        value = getattr(args, flag, None)
        if value is not None:
            setattr(getattr(config, section) if section else config, field, value)
    if getattr(args, "columns", None):
        config.downstream.columns = parse_columns(args.columns)
    if getattr(args, "score_range", None):
        try:
            low, high = (float(x) for x in args.score_range.split(","))
        except ValueError:
            raise ConfigError(f"--score-range: expected LOW,HIGH, got {args.score_range!r}") \
                from None
        config.downstream.score_range = [low, high]
    return config


def parse_columns(text: str) -> dict[str, str]:
    mapping = {}
    for part in text.split(","):
        ours, sep, theirs = part.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise ConfigError(f"--columns: expected FIELD=COLUMN pairs, got {part!r}")
        if ours.strip() not in ("sentence1", "sentence2", "score", "label", "sentence"):
            raise ConfigError(f"--columns: unknown field {ours.strip()!r} "
                              "(sentence1, sentence2, score, label, sentence)")
        mapping[ours.strip()] = theirs.strip()
    return mapping


@contextlib.contextmanager
def stop_on_ctrl_c(control: RunControl):
    """The first Ctrl-C asks the engine to stop cleanly; a second one interrupts at once."""
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(signum, frame):
        control.stop()
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, on_sigint)
    try:
        yield control
    finally:
        signal.signal(signal.SIGINT, previous)


def cmd_run(args: argparse.Namespace) -> int:
    from engine.cli_progress import ProgressPrinter
    from engine.experiment import check, load_data
    from engine.runner import run_experiment

    experiment = check(config_from_args(args))
    if args.save_config:
        Path(args.save_config).write_text(experiment.config.to_toml(), encoding="utf-8")
    data = load_data(experiment)  # bad files fail here, before anything is recorded
    printer = ProgressPrinter(enabled=not args.quiet)
    try:
        with stop_on_ctrl_c(RunControl()) as control:
            result = run_experiment(experiment, emit=printer, control=control, db=args.db,
                                    cache=args.cache_dir, data=data)
    finally:
        printer.close()
    if args.json:
        print(json.dumps(result.to_dict(), indent=1))
    else:
        print(summary_line(result))
    if result.status == "failed":
        print(f"error: run {result.run_id} failed: {result.error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_STOPPED if result.status == "stopped" else EXIT_OK


def summary_line(result) -> str:
    name = result.metrics.get("metric_name", "")
    parts = [f"run {result.run_id} {result.status}"]
    for split in ("dev", "test"):
        value = result.metrics.get(split, {}).get(name)
        if value is not None:
            parts.append(f"{split} {name} {value:.1f}")
    parts.append(f"{result.seconds:.1f} s")
    if result.upstream_cached:
        parts.append("upstream from cache")
    return ", ".join(parts)


# ---- store commands ----------------------------------------------------------------------------
def _store(args):
    from engine.paths import default_db
    from engine.store import Store

    store = Store(args.db or default_db())
    store.mark_interrupted()
    return store


def cmd_runs(args) -> int:
    with _store(args) as store:
        runs = store.list_runs(args.status)
    if args.json:
        print(json.dumps(runs, indent=1))
        return EXIT_OK
    if not runs:
        print("no runs yet")
        return EXIT_OK
    print(f"{'id':>4}  {'status':<11} {'experiment':<44} {'encoder':<16} {'dev':>6} {'test':>6} "
          f"{'time':>7}  name")
    for r in runs:
        dev = f"{r['dev_metric']:.1f}" if r["dev_metric"] is not None else "–"
        test = f"{r['test_metric']:.1f}" if r["test_metric"] is not None else "–"
        secs = f"{r['seconds']:.0f}s" if r["seconds"] else "–"
        print(f"{r['id']:>4}  {r['status']:<11} {describe_run(r)[:44]:<44} "
              f"{model_label(r)[:16]:<16} {dev:>6} {test:>6} {secs:>7}  "
              f"{r['name'] or ''}")
    return EXIT_OK


def cmd_show(args) -> int:
    with _store(args) as store:
        run = store.get_run(args.run)
        logs = store.logs(args.run)
        upstream = store.upstream(run["upstream_key"]) if run["upstream_key"] else None
    if args.json:
        print(json.dumps({**run, "logs": logs, "upstream_entry": upstream}, indent=1))
        return EXIT_OK
    print(f"run {run['id']}: {describe_run(run)}  [{run['status']}]")
    print(f"  created {run['created_at']}, device {run['device']}, "
          f"{run['seconds'] or 0:.1f} s, upstream {'cached' if run['upstream_cached'] else 'trained'}")
    if upstream is not None:  # the upstream cache's record of how it was trained
        print(f"  upstream {upstream['task']} on {upstream['data']}: trained in "
              f"{upstream['seconds']:.0f} s on {upstream['created_at']}, kept in {upstream['path']}")
    for split in ("dev", "test"):
        if split in run["metrics"]:
            values = ", ".join(f"{k} {v:.2f}" for k, v in run["metrics"][split].items())
            print(f"  {split}: {values}")
    if run["metrics"].get("upstream"):
        values = ", ".join(f"{k} {v:.2f}" for k, v in run["metrics"]["upstream"].items())
        print(f"  upstream: {values}")
    for stage, info in run["stages"].items():
        print(f"  stage {stage}: {info.get('seconds', 0):.1f} s"
              + (" (cached)" if info.get("cached") else ""))
    if run["error"]:
        print(f"  error: {run['error']}")
    print("  settings:")
    for line in ExperimentConfig.from_dict(run["config"]).to_toml().splitlines():
        print(f"    {line}")
    for log in logs:
        print(f"  [{log['level']}] {log['message']}")
    return EXIT_OK


def cmd_export(args) -> int:
    with _store(args) as store:
        store.get_run(args.run)
        if args.what == "metrics":
            rows = store.metrics(args.run)
            fields = ["stage", "step", "epoch", "name", "value"]
        else:
            rows = [r for stage in ("downstream", "upstream") for split in ("dev", "test")
                    for r in store.predictions(args.run, stage, split)]
            fields = ["stage", "split", "step", "pair", "sentence1", "sentence2", "gold", "pred"]
    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.csv}")
    return EXIT_OK


def cmd_score(args) -> int:
    from engine.predict import Scorer

    with _store(args) as store:
        run = store.get_run(args.run)
    if run["status"] != "finished":
        raise UserError(f"run {args.run} is {run['status']}; only finished runs can score pairs")
    if args.tsv:
        lines = Path(args.tsv).read_text(encoding="utf-8").splitlines()
        pairs = [tuple(line.split("\t")[:2]) for line in lines if "\t" in line]
        if not pairs:
            raise UserError(f"{args.tsv}: no 'sentence1<TAB>sentence2' lines")
    elif args.sentence1 is not None and args.sentence2 is not None:
        pairs = [(args.sentence1, args.sentence2)]
    else:
        raise UserError("give two sentences, or --tsv FILE")
    scores = Scorer(run["artifacts"]).score(pairs)
    for (a, b), s in zip(pairs, scores):
        value = s.label or f"{s.score:.2f}"
        print(f"{value}\tcos {s.cosine:.3f}\t{a}\t{b}")
    return EXIT_OK


def cmd_datasets(args) -> int:
    from engine.data import DATASETS

    if args.json:
        print(json.dumps({n: {"kind": s.kind, "title": s.title, "language": s.language,
                              "task": s.task, "hub": s.hub.repo if s.hub else None}
                          for n, s in DATASETS.items()}, indent=1))
        return EXIT_OK
    for kind, title in (("pairs", "downstream (sentence pairs)"), ("text", "upstream (sentences)")):
        print(f"{title}:")
        for name, spec in DATASETS.items():
            if spec.kind == kind:
                source = spec.hub.repo if spec.hub else "bundled"
                print(f"  {name:<10} {spec.description:<48} {source}")
    print("  demo       also serves as the upstream corpus (bundled sentiment sentences)")
    return EXIT_OK


COMMANDS = {"sweep": cli_sweep.cmd_sweep, "run": cmd_run, "runs": cmd_runs, "show": cmd_show,
            "export": cmd_export, "score": cmd_score, "datasets": cmd_datasets}

if __name__ == "__main__":
    sys.exit(main())
