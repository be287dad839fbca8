"""Events the engine emits: plain, frozen dataclasses (copies, never live objects).

Stages are named ``tokenizer``, ``upstream``, ``features`` and ``downstream``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    def to_dict(self) -> dict[str, Any]:
        return {"event": type(self).__name__, **asdict(self)}


@dataclass(frozen=True)
class RunStarted(Event):
    run_id: int
    config: dict
    device: str
    artifacts: str


@dataclass(frozen=True)
class StageStarted(Event):
    stage: str
    total_steps: int
    epochs: int = 0
    cached: bool = False
    description: str = ""


@dataclass(frozen=True)
class Step(Event):
    """One logged training step: ``loss`` is the mean over the steps since the last one."""

    stage: str
    step: int
    total_steps: int
    epoch: int
    loss: float
    lr: float
    examples_per_s: float
    device_memory_mb: float = 0.0  # peak CUDA memory so far (0 on CPU)


@dataclass(frozen=True)
class Progress(Event):
    """Progress of a stage that is not a gradient loop (features, word2vec, tokenizer)."""

    stage: str
    done: int
    total: int
    message: str = ""


@dataclass(frozen=True)
class Prediction:
    sentence1: str
    sentence2: str
    gold: float
    pred: float


@dataclass(frozen=True)
class Eval(Event):
    """Metrics on one split; ``predictions`` holds up to a few thousand examples of it."""

    stage: str
    step: int
    epoch: int
    split: str
    metrics: dict
    predictions: tuple[Prediction, ...] = ()
    final: bool = False


@dataclass(frozen=True)
class Log(Event):
    message: str
    level: str = "info"


@dataclass(frozen=True)
class StageFinished(Event):
    stage: str
    metrics: dict = field(default_factory=dict)
    cached: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class RunFinished(Event):
    run_id: int
    status: str  # finished | stopped
    metrics: dict
    seconds: float


@dataclass(frozen=True)
class RunFailed(Event):
    run_id: int
    error: str
    traceback: str


# ---- sweeps -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepStarted(Event):
    sweep_id: int
    name: str
    total: int  # cells in the grid
    skipped: int  # already finished in an earlier attempt (resumed)
    executor: str
    workers: int
    work: tuple[float, ...] = ()  # each cell's expected work this attempt (0: finished
    # earlier), for a time estimate (engine.sweep_eta)


@dataclass(frozen=True)
class CellStarted(Event):
    sweep_id: int
    index: int
    cell_key: str
    label: str


@dataclass(frozen=True)
class CellProgress(Event):
    sweep_id: int
    index: int
    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class CellFinished(Event):
    sweep_id: int
    index: int
    cell_key: str
    label: str
    run_id: int
    status: str
    dev: float | None
    test: float | None
    seconds: float
    upstream_cached: bool = False
    error: str = ""
    setup_seconds: float = 0.0  # of ``seconds``, the tokenizer's and upstream's (trained or
    # loaded): not its downstream work


@dataclass(frozen=True)
class SweepFinished(Event):
    sweep_id: int
    status: str  # finished | stopped | failed
    seconds: float
    finished: int
    failed: int
    upstream_seconds_saved: float
    claimed: int = 0  # cells left to another copy of the sweep that was training them
