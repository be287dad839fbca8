"""One path for settings: an experiment is checked once, then its data is read once.

:func:`check` is the single entry point that validates settings — the CLI, the window and
sweeps all call it, and what it returns is what the runner takes. :func:`load_data` reads
and checks the datasets; given a shared dict it reads each dataset once for many runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.upstream.task import PreparedData, UpstreamTask

if TYPE_CHECKING:  # pragma: no cover
    import torch


@dataclass(frozen=True)
class Experiment:
    """Settings that passed :func:`check`, with the task object and the device they run on."""

    config: ExperimentConfig
    task: UpstreamTask

    @cached_property
    def device(self) -> torch.device:
        """Resolved on first use: ``auto`` and ``cpu`` cannot fail, and torch takes seconds
        to import — a mistake in a data file is reported before it is."""
        from transfer_explorer.engine.training.context import resolve_device

        return resolve_device(self.config.device)


def check(config: ExperimentConfig) -> Experiment:
    """Refuse settings that cannot work here, naming the setting (incl. a missing device)."""
    config.validate()  # pure Python: a mistake answers in well under a second
    experiment = Experiment(config, config.upstream.kind)
    if config.device not in ("auto", "cpu"):
        experiment.device  # a GPU that is not there is refused now  # noqa: B018
    return experiment


def load_data(
    experiment: Experiment, emit: Callable | None = None, loaded: dict | None = None
) -> PreparedData:
    """Read and check every dataset the experiment needs; raises DataError on bad input.

    ``emit`` gets Progress("data", bytes read, bytes total) events for local files.
    ``loaded`` (a dict the caller keeps) holds datasets already read: a sweep reads each
    one once, whatever the number of cells that use it."""
    from transfer_explorer.engine import events as ev
    from transfer_explorer.engine.data import load_pairs

    config, task = experiment.config, experiment.task
    root, down = config.data_root, config.downstream

    def progress(what: str):
        if emit is None:
            return None
        message = _("reading {what}").format(what=what)
        return lambda done, total: emit(ev.Progress("data", done, total, message))

    def read(key: tuple, load: Callable[[], Any]):
        if loaded is None:
            return load()
        if key not in loaded:
            loaded[key] = load()
        return loaded[key]

    pairs_key = (
        "pairs",
        down.data,
        json.dumps(down.columns, sort_keys=True),
        tuple(down.score_range or ()),
        root,
    )
    downstream = read(
        pairs_key,
        lambda: load_pairs(
            down.data, root, down.columns or None, progress(down.data), down.score_range
        ),
    )
    corpus = None
    source = task.corpus_name(config.upstream)
    if source is not None:  # with the control, a corpus only feeds the tokenizer
        # keyed by the loader itself: tasks that read a corpus the same way share one copy
        corpus = read(
            (type(task).load_corpus, source, root),
            lambda: task.load_corpus(config.upstream, root, progress(source)),
        )
        task.check_corpus(corpus)
    if (
        config.method == "zero-shot"
        and downstream.task != "regression"
        and downstream.num_labels != 2
    ):
        raise DataError(
            _("zero-shot classification needs two labels; {dataset} has {n}").format(
                dataset=downstream.name, n=downstream.num_labels
            )
        )
    return PreparedData(downstream, corpus)
