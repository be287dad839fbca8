"""Run a sweep: every cell of the grid, resumable, on one of three executors.

- ``local`` with one worker: cells run one after another in this process (live progress).
- ``local`` with N workers: a pool of N processes, each with cpu_count / N torch threads so
  the machine is not oversubscribed; they write the one SQLite store directly (WAL).
- ``ray``: cells are Ray tasks (a local Ray instance, or a cluster by address); each task
  records into a private database and returns the records, which the driver writes into
  the one store — no concurrent writers on a network filesystem.

Every cell's settings are checked, and every dataset read, once in the driver before the
sweep is recorded: cells (and worker processes) get the datasets instead of reading them
again. Cells that share an upstream wait until one of them has trained it, so it is
trained once and read from the cache by the others. A rerun skips finished cells, and a
cell another sweep of the same store has finished (same settings, same result) is linked
to that run instead of trained again.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from transfer_explorer.engine import events as ev
from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.control import STOP_SIGNALS, RunCancelled, RunControl, uninterrupted
from transfer_explorer.engine.disk.paths import cache_dir as default_cache_dir
from transfer_explorer.engine.disk.paths import check_store_places, default_db, runs_dir
from transfer_explorer.engine.disk.safe_read import read_bytes
from transfer_explorer.engine.errors import ArgumentError, ConfigError
from transfer_explorer.engine.experiment.checks import Experiment, check, load_data
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.store.database import Store
from transfer_explorer.engine.sweep.grid import MAX_WORKERS, Cell, Sweep, check_sweep, invalid_sweep
from transfer_explorer.engine.training.eval_plan import training_work

EXECUTORS = ("local", "ray")


@dataclass
class SweepResult:
    sweep_id: int
    status: str
    seconds: float
    cells: list[dict] = field(default_factory=list)  # store rows of every attempt
    skipped: int = 0
    upstream_seconds_saved: float = 0.0
    claimed: dict = field(default_factory=dict)  # cell key -> pid of another copy training it


def upstream_need(cell: Cell) -> tuple | None:
    """What a cell's upstream depends on; cells with the same need share one cached upstream."""
    config = cell.config
    if not config.upstream.kind.trains or config.method == "scratch":
        return None
    up = config.upstream
    return (
        up.task,
        up.resolved_data,
        up.resolved_epochs,
        up.batch_size,
        up.lr,
        up.seed,
        up.max_sentences,
        config.model.encoder,
        config.model.size,
        config.model.vocab_size,
        config.model.max_length,
        config.downstream.data,
    )


def waves(cells: list[Cell]) -> list[list[Cell]]:
    """First one cell per distinct upstream (they train it), then everything else."""
    first, rest, seen = [], [], set()
    for cell in cells:
        need = upstream_need(cell)
        if need is not None and need not in seen:
            seen.add(need)
            first.append(cell)
        else:
            rest.append(cell)
    return [w for w in (first, rest) if w]


def run_sweep(
    sweep: Sweep,
    db: str | Path | None = None,
    cache: str | Path | None = None,
    data_root: str | None = None,
    workers: int = 1,
    executor: str = "local",
    ray_address: str | None = None,
    emit: Callable | None = None,
    control: RunControl | None = None,
) -> SweepResult:
    check_sweep(sweep, "sweep", data_root, cells=False)  # its shape, for any caller
    if executor not in EXECUTORS:
        raise ConfigError(
            _("unknown executor {name!r}; choose one of: {choices}").format(
                name=executor, choices=", ".join(EXECUTORS)
            )
        )
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(
            _("workers must be a whole number from 1 to {most}, got {value!r}").format(
                most=MAX_WORKERS, value=workers
            )[:200]
        )
    if emit is not None and not callable(emit):
        raise ArgumentError(
            _("on_event must be a function of one event, got {kind}").format(
                kind=type(emit).__name__
            )
        )
    emit = emit if emit is not None else (lambda event: None)
    control = control if control is not None else RunControl()
    db = Path(db) if db else default_db()
    cache = Path(cache) if cache else default_cache_dir(db)
    check_store_places(db, cache)
    threads = max(1, (os.cpu_count() or 1) // workers) if (workers > 1 or executor == "ray") else 0
    with invalid_sweep("sweep"):  # (a Sweep built in Python may hold anything)
        cells = sweep.cells(data_root, threads)
    # settings and datasets are checked once, and bad ones refused before anything is recorded
    experiments = {cell.key: check(cell.config) for cell in cells}
    datasets = _read_datasets(experiments)

    store = Store(db)
    store.mark_interrupted()
    sweep_id, _created = store.sweep_id(sweep.key, sweep.name, sweep.to_dict())
    done = store.finished_cells(sweep_id)
    # a cell another sweep of this store has finished is linked, not trained again
    reused = store.finished_elsewhere(sweep_id, [c.key for c in cells if c.key not in done])
    for cell in cells:
        if cell.key in reused:
            store.link_cell(sweep_id, cell, reused[cell.key])
            done[cell.key] = reused[cell.key]
    todo = [c for c in cells if c.key not in done]
    index = {c.key: i for i, c in enumerate(cells)}
    emit(
        ev.SweepStarted(
            sweep_id,
            sweep.name,
            len(cells),
            len(cells) - len(todo),
            executor,
            workers,
            tuple(0.0 if c.key in done else cell_work(c, datasets[c.key]) for c in cells),
        )
    )
    store.hold_sweep(sweep_id)  # held while this process drives it: 'running' stays true
    store.update_sweep(sweep_id, status="running")
    started = time.perf_counter()
    state = _State(store, sweep_id, index, emit)
    status = "finished"
    work = _Work(experiments, {c.key: datasets[c.key] for c in todo})
    try:
        if executor == "ray":
            _run_ray(todo, work, db, cache, threads, workers, ray_address, state, control)
        elif workers == 1:
            _run_here(todo, work, db, cache, state, control)
        else:
            _run_pool(todo, work, db, cache, threads, workers, state, control)
        if control.stopped:
            status = "stopped"
    except (RunCancelled, KeyboardInterrupt):
        status = "stopped"
    except Exception:
        status = "failed"
        raise
    finally:
        with uninterrupted():  # a second Ctrl-C waits until the sweep's end is written
            seconds = time.perf_counter() - started
            try:
                store.release_cells(sweep_id)
                store.update_sweep(sweep_id, status=status, seconds=seconds)
                rows = store.sweep_cells(sweep_id)
            finally:
                store.close()  # (lets go of the sweep's lock)
        emit(
            ev.SweepFinished(
                sweep_id,
                status,
                seconds,
                state.finished,
                state.failed,
                state.saved,
                len(state.claimed),
            )
        )
    return SweepResult(
        sweep_id, status, seconds, rows, len(cells) - len(todo), state.saved, state.claimed
    )


def _read_datasets(experiments: dict[str, Experiment]) -> dict:
    """cell key -> its datasets; each dataset is read once, however many cells use it."""
    loaded: dict = {}
    return {key: load_data(experiment, loaded=loaded) for key, experiment in experiments.items()}


@dataclass
class _Work:
    """What the cells need besides their settings: checked experiments and read datasets."""

    experiments: dict[str, Experiment]
    datasets: dict


class _State:
    """Records each finished cell in the store and reports it."""

    def __init__(self, store: Store, sweep_id: int, index: dict, emit: Callable):
        self.store, self.sweep_id, self.index, self.emit = store, sweep_id, index, emit
        self.finished = self.failed = 0
        self.saved = 0.0
        self.claimed: dict[str, int] = {}

    def claim(self, cell: Cell) -> bool:
        """Claim the cell before it trains; False when another copy of this sweep (another
        process on the same database) is training it — it is left to that copy."""
        other = self.store.claim_cell(self.sweep_id, cell.key)
        if other is not None:
            self.claimed[cell.key] = other
            self.emit(
                ev.Log(
                    (
                        _(
                            "{cell}: being trained by another copy of this sweep "
                            "(process {process}); skipped here"
                        )
                        if other
                        else _("{cell}: finished by another copy of this sweep; skipped here")
                    ).format(cell=cell.label(), process=other),
                    "warning",
                )
            )
        return other is None

    def started(self, cell: Cell) -> None:
        self.emit(ev.CellStarted(self.sweep_id, self.index[cell.key], cell.key, cell.label()))

    def record(self, cell: Cell, result: dict, linked: bool = False) -> None:
        self.store.release_cell(self.sweep_id, cell.key)
        if not linked:
            self.store.link_cell(self.sweep_id, cell, result["run_id"])
        metrics = result.get("metrics", {})
        name = metrics.get("metric_name", "spearman")
        if result["status"] == "finished":
            self.finished += 1
        else:
            self.failed += 1
        if result.get("upstream_cached"):
            self.saved += result.get("timings", {}).get("upstream_trained_s", 0.0)
        self.emit(
            ev.CellFinished(
                self.sweep_id,
                self.index[cell.key],
                cell.key,
                cell.label(),
                result["run_id"],
                result["status"],
                metrics.get("dev", {}).get(name),
                metrics.get("test", {}).get(name),
                result.get("seconds", 0.0),
                bool(result.get("upstream_cached")),
                result.get("error", ""),
                sum(result.get("timings", {}).get(k, 0.0) for k in ("tokenizer_s", "upstream_s")),
            )
        )


# ---- in this process ------------------------------------------------------------------------
def _run_here(
    cells: list[Cell], work: _Work, db: Path, cache: Path, state: _State, control: RunControl
):
    from transfer_explorer.engine.experiment.runner import run_experiment

    for wave in waves(cells):
        for cell in wave:
            control.checkpoint()
            if not state.claim(cell):
                continue
            state.started(cell)
            i = state.index[cell.key]

            def forward(event, cell=cell, i=i):
                if isinstance(event, ev.RunStarted):
                    state.store.link_cell(state.sweep_id, cell, event.run_id)
                elif isinstance(event, ev.Step):
                    state.emit(
                        ev.CellProgress(
                            state.sweep_id, i, event.stage, event.step, event.total_steps
                        )
                    )

            result = run_experiment(
                work.experiments[cell.key],
                emit=forward,
                control=control,
                db=db,
                cache=cache,
                data=work.datasets[cell.key],
            )
            state.record(cell, result.to_dict(), linked=True)
            if result.status == "stopped":
                raise RunCancelled("sweep stopped")


# ---- a pool of local processes ---------------------------------------------------------------
_STOP = None
_DATASETS: dict = {}
_DRIVER_GONE = threading.Event()
ORPHAN_GRACE_S = 3.0  # a worker whose driver died stops its cell, then exits after this


def _init_worker(stop_event, datasets: dict) -> None:
    """Once per worker process: the driver's stop event and the datasets it read, and a
    watch on the driver, so a killed driver does not leave workers training for no one."""
    global _STOP, _DATASETS
    _STOP, _DATASETS = stop_event, datasets
    # Ctrl-C in a terminal (or a service manager's SIGTERM) reaches the whole process group:
    # the driver handles it and stops the cells through the stop event; a worker killed by
    # it would turn a clean stop into a failed sweep
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    threading.Thread(target=_watch_driver, name="watch-driver", daemon=True).start()


def _watch_driver() -> None:
    driver = mp.parent_process()
    if driver is None:
        return
    driver.join()  # returns when the driver process has ended, however it ended
    _DRIVER_GONE.set()  # the cell in flight stops at its next step and records that
    time.sleep(ORPHAN_GRACE_S)
    os._exit(1)  # an idle worker (or a cell that did not stop in time) just ends


class _SharedStopControl(RunControl):
    """A RunControl that also obeys the driver's stop event (set from another process)
    and stops when the driver itself is gone."""

    def checkpoint(self) -> None:
        if _DRIVER_GONE.is_set():
            self.stop()
            raise RunCancelled("the sweep that ran this cell ended before it")
        if _STOP is not None and _STOP.is_set():
            self.stop()
        super().checkpoint()


def _cell_in_process(
    experiment: Experiment, cell: Cell, sweep_id: int, db: str, cache: str, threads: int
) -> dict:
    import torch

    from transfer_explorer.engine.experiment.runner import run_experiment

    def link(event) -> None:
        # linked by the worker as soon as the run exists: if the driver dies, a later
        # run of the sweep still finds this cell's run (and skips it once finished)
        if isinstance(event, ev.RunStarted):
            with Store(db) as store:
                store.link_cell(sweep_id, cell, event.run_id)

    torch.set_num_threads(threads)
    result = run_experiment(
        experiment,
        emit=link,
        control=_SharedStopControl(),
        db=db,
        cache=cache,
        data=_DATASETS[cell.key],
    )
    return result.to_dict()


def cell_cost(cell: Cell) -> float:
    """A rough relative cost: training pairs × epochs; a frozen encoder trains only a head."""
    config = cell.config
    return cell.fraction * config.training.epochs * _trained_share(config)


def _trained_share(config: ExperimentConfig) -> float:
    """A frozen encoder's cell trains only a head: about a fifth of a fine-tune's time."""
    return 0.2 if config.method in ("feature", "zero-shot") else 1.0


def cell_work(cell: Cell, data) -> float:
    """A cell's expected downstream work in training-pair passes (for the sweep's time
    estimate); a frozen encoder trains only a head. Its upstream is not counted: most
    cells find theirs cached."""
    config = cell.config
    splits = data.downstream.splits
    train = config.downstream.train_pairs(len(splits["train"]))
    dev = len(splits["dev"]) if "dev" in splits else 0
    work = training_work(
        train, dev, config.training.batch_size, config.training.epochs, config.training.eval_every
    )
    return work * _trained_share(config)


def schedule(cells: list[Cell]) -> list[Cell]:
    """Dispatch order: one cell per distinct upstream first (it trains that upstream, which
    the others wait for), then the rest longest first, so no worker is left with a long
    cell while the others idle at the end."""
    longest_first = sorted(cells, key=cell_cost, reverse=True)
    return [cell for wave in waves(longest_first) for cell in wave]


def _dispatch(
    cells: list[Cell],
    workers: int,
    state: _State,
    control: RunControl,
    submit: Callable,
    ready: Callable,
    result_of: Callable,
    cancel: Callable,
    linked: bool = False,
) -> None:
    """Keep up to ``workers`` cells in flight and record each result. A cell starts once
    the upstream it needs is trained (or no cell in flight is training it): no upstream is
    trained twice, and cells without one fill the workers meanwhile.

    ``submit(cell) -> handle``; ``ready(handles) -> finished handles`` (waits a little);
    ``result_of(handle) -> run result dict``; ``cancel(pending)`` on stop (may drop some)."""
    from transfer_explorer.engine.speed import baseline

    if baseline():
        return _dispatch_in_waves(
            cells, workers, state, control, submit, ready, result_of, cancel, linked
        )
    queue, trained, training = schedule(cells), set(), set()
    pending: dict[Hashable, Cell] = {}  # each cell in flight, by its handle

    def startable(cell: Cell) -> bool:
        need = upstream_need(cell)
        return need is None or need in trained or need not in training

    while queue or pending:
        while len(pending) < workers and not control.stopped:
            cell = next((c for c in queue if startable(c)), None)
            if cell is None:
                break
            queue.remove(cell)
            if not state.claim(cell):
                continue
            state.started(cell)
            need = upstream_need(cell)
            if need is not None and need not in trained:
                training.add(need)
            pending[submit(cell)] = cell
        if control.stopped:
            queue.clear()
            cancel(pending)
        if not pending:
            if not queue or control.stopped:
                break
            continue
        for handle in ready(list(pending)):
            cell = pending.pop(handle)
            need = upstream_need(cell)
            if need in training:  # trained (or failed: the cells after it try again)
                training.discard(need)
                trained.add(need)
            state.record(cell, result_of(handle), linked)


def _dispatch_in_waves(
    cells: list[Cell],
    workers: int,
    state: _State,
    control: RunControl,
    submit: Callable,
    ready: Callable,
    result_of: Callable,
    cancel: Callable,
    linked: bool = False,
) -> None:
    """The earlier dispatch (TRANSFER_EXPLORER_SPEED=baseline): wave by wave, in order."""
    for wave in waves(cells):
        pending: dict = {}
        queue = list(wave)
        while queue or pending:
            while queue and len(pending) < workers and not control.stopped:
                cell = queue.pop(0)
                if not state.claim(cell):
                    continue
                state.started(cell)
                pending[submit(cell)] = cell
            if control.stopped:
                queue.clear()
                cancel(pending)
            if not pending:
                break
            for handle in ready(list(pending)):
                state.record(pending.pop(handle), result_of(handle), linked)
        if control.stopped:
            return


def _run_pool(
    cells: list[Cell],
    work: _Work,
    db: Path,
    cache: Path,
    threads: int,
    workers: int,
    state: _State,
    control: RunControl,
) -> None:
    context = mp.get_context("spawn")  # no forked torch/Qt state in the children
    stop = context.Event()
    # the datasets travel once per worker (one pickle: shared datasets are sent once)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(stop, work.datasets)
    ) as pool:
        _dispatch(
            cells,
            workers,
            state,
            control,
            submit=lambda cell: pool.submit(
                _cell_in_process,
                work.experiments[cell.key],
                cell,
                state.sweep_id,
                str(db),
                str(cache),
                threads,
            ),
            ready=lambda handles: wait(handles, timeout=0.5, return_when=FIRST_COMPLETED)[0],
            result_of=lambda future: future.result(),
            # the cells in flight notice the stop at their next step and return
            cancel=lambda pending: stop.set(),
            linked=True,
        )


# ---- Ray ------------------------------------------------------------------------------------
def _cell_in_ray(config: dict, data, cache: str, threads: int) -> dict:
    """Runs on a Ray worker: record into a private database and return the records.

    The settings travel as a dict and are checked here: a worker on another machine
    resolves its own device."""
    import torch

    from transfer_explorer.engine.experiment.runner import run_experiment

    torch.set_num_threads(threads)
    folder = Path(tempfile.mkdtemp(prefix="transfer-explorer-cell-"))
    try:
        db = folder / "cell.sqlite"
        cache_path = Path(cache) if Path(cache).parent.exists() else folder / "cache"
        result = run_experiment(
            ExperimentConfig.from_dict(config), db=db, cache=cache_path, data=data
        )
        with Store(db) as store:
            payload = store.export_run(result.run_id)
        artifacts = {}
        run_folder = runs_dir(db) / str(result.run_id)
        for path in run_folder.rglob("*") if run_folder.exists() else []:
            if path.is_file():
                artifacts[str(path.relative_to(run_folder))] = read_bytes(path, "a model file")
        return {"result": result.to_dict(), "payload": payload, "artifacts": artifacts}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run_ray(
    cells: list[Cell],
    work: _Work,
    db: Path,
    cache: Path,
    threads: int,
    workers: int,
    address: str | None,
    state: _State,
    control: RunControl,
) -> None:
    try:
        import ray
    except ImportError:
        raise ConfigError(_("the ray executor needs Ray: pip install -e '.[cluster]'")) from None
    started_here = not ray.is_initialized()
    if started_here:
        kwargs = {"address": address} if address else {"num_cpus": workers}
        ray.init(include_dashboard=False, log_to_driver=False, ignore_reinit_error=True, **kwargs)
    task = ray.remote(num_cpus=1 if not address else threads, max_retries=0)(_cell_in_ray)
    refs: dict[tuple, object] = {}  # each pair of datasets goes into Ray's store once

    def ref(cell: Cell):
        data = work.datasets[cell.key]
        same = (id(data.downstream), id(data.corpus))
        if same not in refs:
            refs[same] = ray.put(data)
        return refs[same]

    def cancel(pending: dict) -> None:  # results of cancelled cells are lost: resume redoes them
        for ref in pending:
            ray.cancel(ref, force=True)
        pending.clear()

    def result_of(ref: ray.ObjectRef[dict]) -> dict:
        return _import_ray_result(state.store, ray.get(ref))

    try:
        _dispatch(
            cells,
            workers,
            state,
            control,
            submit=lambda cell: task.remote(cell.config.to_dict(), ref(cell), str(cache), threads),
            ready=lambda refs: ray.wait(refs, num_returns=1, timeout=0.5)[0],
            result_of=result_of,
            cancel=cancel,
        )
    finally:
        if started_here:
            ray.shutdown()


def _import_ray_result(store: Store, output: dict) -> dict:
    """Write a Ray task's records and model files into the driver's store."""
    run_id = store.import_run(output["payload"])
    folder = runs_dir(store.path) / str(run_id)
    for relative, data in output["artifacts"].items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    store.update_run(run_id, artifacts=str(folder))
    return {**output["result"], "run_id": run_id, "artifacts": str(folder)}
