"""Transfer Explorer from Python — a notebook or a script — with the objects the CLI uses.

from transfer_explorer import Experiment, run
result = run(Experiment(upstream="mlm", method="finetune", downstream="demo", epochs=2))
result.dev["spearman"], result.curves["downstream"]["loss"].value
result.model.score("A man plays a guitar.", "Someone plays the guitar.")
"""

from __future__ import annotations

import copy
import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from transfer_explorer.engine.config import FLAT_SETTINGS, ExperimentConfig
from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.disk.paths import check_store_places, default_db, user_path
from transfer_explorer.engine.errors import ArgumentError, ConfigError, UserError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.saved.predict import Model
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.store.results import Curve, Result

__all__ = [
    "Experiment",
    "run",
    "iter_run",
    "sweep",
    "open_store",
    "load_model",
    "Model",
    "Result",
    "Curve",
    "RunControl",
]


class Experiment:
    """One experiment's settings: keywords named like the CLI's flags (``upstream``,
    ``method``, ``downstream``, ``epochs``, ``train_fraction`` …) over a TOML file or an
    :class:`ExperimentConfig` (``config``), which is kept in ``.config``."""

    def __init__(self, config: ExperimentConfig | str | Path | None = None, **settings):
        if isinstance(config, (str, Path)):
            config = ExperimentConfig.from_toml(config)
        self.config = copy.deepcopy(config) if config is not None else ExperimentConfig()
        for key, value in settings.items():
            if key not in FLAT_SETTINGS:
                raise ConfigError(
                    _("unknown setting {key!r}; known: {known}").format(
                        key=key, known=", ".join(sorted(FLAT_SETTINGS))
                    )
                )
            section, name, _kind = FLAT_SETTINGS[key]
            setattr(getattr(self.config, section) if section else self.config, name, value)

    def check(self):
        """The settings validated (raises ConfigError with the same message as the CLI)."""
        from transfer_explorer.engine.experiment.checks import check

        return check(self.config)

    def to_toml(self) -> str:
        return self.config.to_toml()

    def __repr__(self) -> str:
        c = self.config
        return (
            f"Experiment(upstream={c.upstream.task!r}, method={c.method!r}, "
            f"downstream={c.downstream.data!r}, encoder={c.model.encoder!r})"
        )


def _config(experiment) -> ExperimentConfig:
    if isinstance(experiment, Experiment):
        return experiment.config
    if isinstance(experiment, ExperimentConfig):
        return experiment
    raise ArgumentError(
        f"run() takes an Experiment or an ExperimentConfig, got {type(experiment).__name__}"
    )


def _path(value, name: str, default: Callable[[], Path] | None = None) -> Path | None:
    """A path argument as the CLI takes one: text or a Path; '' is refused (it is not
    'the default')."""
    if value is None:
        return default() if default else None
    if not isinstance(value, (str, os.PathLike)):
        raise ArgumentError(
            f"{name} must be a path (text or pathlib.Path), got {type(value).__name__}"
        )
    return user_path(os.fspath(value), name)


def _callback(value, name: str) -> Callable | None:
    if value is not None and not callable(value):
        raise ArgumentError(
            f"{name} must be a function that takes one event, got {type(value).__name__}"
        )
    return value


def _control(value) -> RunControl | None:
    if value is not None and not isinstance(value, RunControl):
        raise ArgumentError(f"control must be a RunControl, got {type(value).__name__}")
    return value


def _progress(progress: bool, kind: str):
    if not progress:
        return None
    from tqdm.auto import tqdm  # a widget in Jupyter, a text bar elsewhere

    from transfer_explorer.cli.progress import ProgressPrinter, SweepProgress

    return ProgressPrinter(bar=tqdm) if kind == "run" else SweepProgress(bar=tqdm)


def _both(first: Callable | None, second: Callable | None) -> Callable | None:
    if first is None or second is None:
        return first or second

    def emit(event):
        first(event)
        second(event)

    return emit


def run(
    experiment: Experiment | ExperimentConfig,
    *,
    on_event: Callable | None = None,
    progress: bool = True,
    db: str | Path | None = None,
    cache: str | Path | None = None,
    control: RunControl | None = None,
) -> Result:
    """Run one experiment and return its :class:`Result` (recorded in ``db``: the app's own
    store by default, so the window's History shows it). ``on_event`` gets every engine
    event; ``control.stop()`` from another thread stops the run (status ``stopped``)."""
    from transfer_explorer.engine.experiment.checks import check, load_data
    from transfer_explorer.engine.experiment.runner import run_experiment

    config = _config(experiment)
    db, cache = _path(db, "db", default_db), _path(cache, "cache")
    on_event, control = _callback(on_event, "on_event"), _control(control)
    check_store_places(db, cache)  # like the CLI: before data is read or anything trains
    checked = check(config)
    data = load_data(checked)  # like the CLI: bad settings or files fail before any record
    printer = _progress(progress, "run")
    try:
        outcome = run_experiment(
            checked, emit=_both(printer, on_event), control=control, db=db, cache=cache, data=data
        )
    finally:
        if printer is not None:
            printer.close()
    with Store(db) as store:
        return Result.from_store(store, outcome.run_id)


class iter_run:
    """Iterate over a run's events as they happen; the run trains in a background thread.

        events = iter_run(Experiment(epochs=1))
        for event in events: ...
        events.result            # the Result, once the loop has ended

    Leaving the loop early (``break``) stops the run at its next step.
    """

    def __init__(
        self,
        experiment: Experiment | ExperimentConfig,
        *,
        db: str | Path | None = None,
        cache: str | Path | None = None,
    ):
        config = _config(experiment)  # wrong arguments raise here, not at the first event
        db, cache = _path(db, "db", default_db), _path(cache, "cache")
        self.control = RunControl()
        self.result: Result | None = None
        self._events: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._work, daemon=True, name="transfer-run", args=(config, db, cache)
        )
        self._thread.start()

    def _work(self, config, db, cache) -> None:
        try:
            self.result = run(
                config,
                on_event=self._events.put,
                progress=False,
                db=db,
                cache=cache,
                control=self.control,
            )
        except BaseException as exc:  # bad settings or data: re-raised in the caller's thread
            self._error = exc
        finally:
            self._events.put(_DONE)

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        event = self._events.get()
        if event is _DONE:
            self._thread.join()
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            raise StopIteration
        return event

    def close(self) -> None:
        """Stop the run (if it is still going) and wait for it."""
        self.control.stop()
        self._thread.join()

    def __del__(self):
        thread = getattr(self, "_thread", None)  # (None: the arguments were refused)
        if thread is not None and thread.is_alive():
            self.control.stop()

    def __enter__(self) -> iter_run:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_DONE = object()


def sweep(
    definition,
    *,
    workers: int = 1,
    on_event: Callable | None = None,
    progress: bool = True,
    db: str | Path | None = None,
    data_root: str | None = None,
    control: RunControl | None = None,
):
    """Run a sweep — a preset name (``"demo"``, ``"stsb-cpu"`` …), a TOML file or a
    :class:`~transfer_explorer.engine.sweep.grid.Sweep` — and return its ``SweepResult``
    (``.cells``: one store row per run; ``open_store(db).result(run_id)`` reads any of them).
    Finished cells are kept: running the same sweep again resumes it."""
    from transfer_explorer.engine.sweep.execute import run_sweep
    from transfer_explorer.engine.sweep.grid import PRESETS, Sweep, load_sweep

    if isinstance(definition, Sweep):
        plan = definition  # (checked by run_sweep, as a file is)
    elif isinstance(definition, str) and definition in PRESETS:
        plan = load_sweep(preset=definition, data_root=data_root)
    elif isinstance(definition, (str, os.PathLike)):
        plan = load_sweep(_path(definition, "sweep"), data_root=data_root)
    else:
        raise ArgumentError(
            f"sweep() takes a preset name ({', '.join(PRESETS)}), a TOML file "
            f"or a Sweep, got {type(definition).__name__}"
        )
    db = _path(db, "db", default_db)
    on_event, control = _callback(on_event, "on_event"), _control(control)
    printer = _progress(progress, "sweep")
    try:
        return run_sweep(
            plan,
            db=db,
            data_root=data_root,
            workers=workers,
            emit=_both(printer, on_event),
            control=control,
        )
    finally:
        if printer is not None:
            printer.close()


def open_store(path: str | Path | None = None, read_only: bool = False) -> Store:
    """The run store (the app's own by default): ``list_runs()``, ``result(run_id)``,
    ``get_run``, ``curves`` … — the Store the CLI and the window use. Close it, or use
    ``with open_store() as store:``."""
    return Store(_path(path, "path", default_db), read_only=read_only)


def load_model(model: str | Path | int, device: str = "cpu") -> Model:
    """A trained model: a folder ``transfer-explorer export`` wrote, a run's model folder,
    or the id of a finished run in the app's own store."""
    if isinstance(model, int) and not isinstance(model, bool):
        with open_store() as store:
            run = store.get_run(model)
        if run["status"] != "finished":
            raise UserError(
                _("run {run} is {status}; only a finished run has a model").format(
                    run=model, status=run["status"]
                )
            )
        model = Path(run["artifacts"])
    return Model(model, device)
