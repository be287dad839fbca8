"""Experiment settings: dataclasses, validated before anything trains, TOML in and out."""
from __future__ import annotations

import dataclasses
import math
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from engine.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TRAINING_METHODS = ("scratch", "feature", "finetune")
METHODS = TRAINING_METHODS + ("zero-shot",)
ENCODERS = ("transformer", "bilstm")
SIZES = ("tiny", "small")
DEVICES = ("auto", "cpu", "cuda", "mps")
HEADS = ("auto", "bi", "cosine", "cross")
POOLINGS = ("mean", "cls", "last")
AMP_MODES = ("auto", "off", "bf16", "fp16")
SCHEDULES = ("auto", "constant", "linear")
# The upstream tasks themselves live in engine.upstream.registry (one module each).


@dataclass
class UpstreamConfig:
    """What the encoder learns before the similarity task."""
    task: str = "none"               # a name in engine.upstream.registry
    data: str | None = None          # corpus name or path; glove: vectors (package or .txt)
    model: str | None = None         # hf: hub name or local folder of a checkpoint
    pooling: str = "mean"            # sentence vector, where the task offers a choice: mean of
                                     # tokens, the first ([CLS], hf) or the last (causal-lm)
    epochs: int | None = None        # None: the task's default
    batch_size: int = 32
    lr: float = 1e-3
    max_sentences: int | None = None  # cap the upstream corpus (None: all of train)
    seed: int = 0                    # separate from the run seed so upstreams are shared

    @property
    def kind(self):
        """The task object (engine.upstream.registry) that knows what this upstream needs."""
        from engine.upstream.registry import get_task

        return get_task(self.task)

    @property
    def resolved_epochs(self) -> int:
        return self.kind.epochs(self)

    @property
    def resolved_data(self) -> str | None:
        """The text corpus of this upstream (None when it reads none)."""
        return self.kind.corpus_name(self)


@dataclass
class ModelConfig:
    encoder: str = "transformer"
    size: str = "tiny"
    vocab_size: int = 8000
    max_length: int = 64
    head: str = "auto"   # bi: MLP on [u,v,|u-v|,u*v]; cosine: score = cos(u,v); cross: pair in one
                         # sequence (hf). auto: cosine for hf finetune on scores, else bi


@dataclass
class DownstreamConfig:
    data: str = "demo"
    columns: dict[str, str] = field(default_factory=dict)  # our field -> file column
    train_fraction: float = 1.0
    score_range: list[float] | None = None  # local files: [low, high]; scores outside it
                                            # are refused (default: inferred from the data)


@dataclass
class TrainingConfig:
    epochs: int = 5
    batch_size: int = 32
    lr: float | None = None    # None: 1e-3, or 2e-5 when fine-tuning a Hugging Face checkpoint
    head_lr: float | None = None  # the new head's rate; None: 1e-3 when fine-tuning a
                                  # checkpoint (a fresh head at 2e-5 barely moves), else lr
    encoder_lr_multiplier: float = 1.0  # finetune: encoder lr = lr * this
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    warmup_steps: int = 0
    warmup_ratio: float | None = None  # None: 0.1 when fine-tuning a checkpoint, else 0
    amp: str = "auto"          # mixed precision on CUDA: auto (bf16 if supported, else fp16)
    schedule: str = "auto"     # constant | linear (decay after warmup); auto: linear when
                               # fine-tuning a checkpoint, else constant
    patience: int = 0          # stop after this many evaluations without improvement (0: off)
    eval_every: int = 0        # also evaluate on dev every N steps (0: once per epoch)
    log_every: int = 10


@dataclass
class ExperimentConfig:
    upstream: UpstreamConfig = field(default_factory=UpstreamConfig)
    method: str = "scratch"
    downstream: DownstreamConfig = field(default_factory=DownstreamConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    seed: int = 0
    device: str = "auto"
    threads: int = 0           # torch CPU threads (0: torch's default)
    name: str = ""
    data_root: str | None = None

    # ---- resolved defaults --------------------------------------------------------------
    @property
    def finetunes_checkpoint(self) -> bool:
        return self.upstream.kind.checkpoint and self.method == "finetune"

    @property
    def lr(self) -> float:
        if self.training.lr is not None:
            return self.training.lr
        return 2e-5 if self.finetunes_checkpoint else 1e-3

    @property
    def head_lr(self) -> float:
        if self.training.head_lr is not None:
            return self.training.head_lr
        return 1e-3 if self.finetunes_checkpoint else self.lr

    @property
    def warmup_ratio(self) -> float:
        if self.training.warmup_ratio is not None:
            return self.training.warmup_ratio
        return 0.1 if self.finetunes_checkpoint else 0.0

    @property
    def linear_decay(self) -> bool:
        if self.training.schedule != "auto":
            return self.training.schedule == "linear"
        return self.finetunes_checkpoint

    def head(self, regression: bool) -> str:
        """The similarity head: explicit, or cosine when fine-tuning a checkpoint on scores."""
        if self.model.head != "auto":
            return self.model.head
        if self.method == "zero-shot":
            return "cosine"
        return "cosine" if self.finetunes_checkpoint and regression else "bi"

    # ---- validation -------------------------------------------------------------------
    def validate(self) -> "ExperimentConfig":
        """Refuse settings that cannot work, with a message naming the setting."""
        task = self.upstream.kind  # refuses an unknown task, naming the known ones
        _choice("method", self.method, METHODS)
        _choice("encoder", self.model.encoder, ENCODERS)
        _choice("size", self.model.size, SIZES)
        _choice("device", self.device, DEVICES)
        _choice("head", self.model.head, HEADS)
        _choice("pooling", self.upstream.pooling, POOLINGS)
        _choice("mixed precision", self.training.amp, AMP_MODES)
        _choice("schedule", self.training.schedule, SCHEDULES)
        self._check_task(task)
        if self.method == "zero-shot" and self.model.head not in ("auto", "cosine"):
            raise ConfigError("zero-shot scores pairs by the cosine of their sentence vectors; "
                              "it has no trained head (leave --head out)")
        if self.method == "feature" and self.model.head == "cosine":
            raise ConfigError("a frozen encoder with the cosine head has nothing to train — "
                              "that is --method zero-shot")
        _positive_int("epochs", self.training.epochs)
        _positive_int("batch size", self.training.batch_size)
        _positive_int("upstream batch size", self.upstream.batch_size)
        _positive_int("log every", self.training.log_every)
        _positive_int("max length", self.model.max_length, minimum=4)
        _positive_int("vocabulary size", self.model.vocab_size, minimum=100)
        if self.training.lr is not None:
            _positive_float("learning rate", self.training.lr)
        if self.training.head_lr is not None:
            _positive_float("head learning rate", self.training.head_lr)
        if self.training.warmup_ratio is not None and not (
                isinstance(self.training.warmup_ratio, (int, float))
                and 0 <= self.training.warmup_ratio < 1):
            raise ConfigError(f"warmup ratio must be in [0, 1), got {self.training.warmup_ratio!r}")
        _positive_float("upstream learning rate", self.upstream.lr)
        _positive_float("encoder learning-rate multiplier", self.training.encoder_lr_multiplier)
        for name, value in (("patience", self.training.patience),
                            ("eval every", self.training.eval_every),
                            ("warmup steps", self.training.warmup_steps),
                            ("threads", self.threads)):
            _non_negative_int(name, value)
        if self.upstream.epochs is not None and task.trains:
            _positive_int("upstream epochs", self.upstream.epochs)
        if self.upstream.max_sentences is not None:
            _positive_int("upstream max sentences", self.upstream.max_sentences, minimum=10)
        if not (isinstance(self.training.weight_decay, (int, float))
                and self.training.weight_decay >= 0):
            raise ConfigError(f"weight decay must be >= 0, got {self.training.weight_decay!r}")
        if not (isinstance(self.training.grad_clip, (int, float)) and self.training.grad_clip >= 0):
            raise ConfigError(f"gradient clip must be >= 0, got {self.training.grad_clip!r}")
        score_range = self.downstream.score_range
        if score_range is not None and not (
                isinstance(score_range, (list, tuple)) and len(score_range) == 2
                and all(isinstance(x, (int, float)) for x in score_range)
                and score_range[0] < score_range[1]):
            raise ConfigError(f"score range must be two numbers, low < high, got {score_range!r}")
        fraction = self.downstream.train_fraction
        if not (isinstance(fraction, (int, float)) and 0 < fraction <= 1):
            raise ConfigError(f"train fraction must be in (0, 1], got {fraction!r}")
        if not self.downstream.data:
            raise ConfigError("choose a downstream dataset")
        return self

    def _check_task(self, task) -> None:
        """What the upstream task allows: methods, encoders, heads — asked of the task."""
        from engine.upstream.registry import tasks, tasks_allowing

        if self.method not in task.methods:
            allowing = " or ".join(f"--upstream {t.name}" for t in tasks_allowing(self.method))
            reason = ("needs pre-trained weights" if self.method == "zero-shot"
                      else f"does not apply to the {task.name} upstream")
            raise ConfigError(f"{self.method} {reason}: use it with {allowing}")
        if self.model.head == "cross" and not task.cross_encoder:
            readers = " or ".join(f"--upstream {t.name}" for t in tasks() if t.cross_encoder)
            raise ConfigError(f"the cross-encoder head reads a pair as one sequence, which only "
                              f"a pre-trained checkpoint can ({readers})")
        if task.poolings and self.upstream.pooling not in task.poolings:
            raise ConfigError(f"the {task.name} upstream pools sentence vectors by "
                              f"{' or '.join(task.poolings)}, not {self.upstream.pooling}")
        if task.encoders is not None and self.model.encoder not in task.encoders:
            raise ConfigError(f"the {task.name} upstream pre-trains the "
                              f"{' or '.join(task.encoders)} encoder; choose --encoder "
                              f"{task.encoders[0]}")
        task.check(self)

    # ---- dict / TOML ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _drop_none(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ExperimentConfig":
        try:
            return _build(cls, data, "")
        except ConfigError:
            raise
        except (TypeError, ValueError) as exc:  # pragma: no cover - defensive
            raise ConfigError(f"invalid experiment settings: {exc}") from None

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())

    @classmethod
    def from_toml(cls, path: str | Path) -> "ExperimentConfig":
        return cls.from_dict(read_toml(path))

    def replace(self, **changes: Any) -> "ExperimentConfig":
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """A short human name: 'sentiment(sst2) / finetune → stsb'."""
        up = self.upstream.task
        source = upstream_source(self)
        if source:
            up += f"({source})"
        text = f"{up} / {self.method} → {self.downstream.data}"
        if self.downstream.train_fraction < 1:
            text += f" [{self.downstream.train_fraction:.0%}]"
        return text


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file is a ConfigError naming it."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def _build(cls, data: dict[str, Any], prefix: str):
    if not isinstance(data, dict):
        raise ConfigError(f"[{prefix.rstrip('.')}] must be a table")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting '{prefix}{unknown[0]}'; "
                          f"known: {', '.join(sorted(known))}")
    kwargs = {}
    for name, value in data.items():
        nested = _NESTED.get((cls, name))
        kwargs[name] = _build(nested, value, f"{prefix}{name}.") if nested else value
    return cls(**kwargs)


_NESTED = {
    (ExperimentConfig, "upstream"): UpstreamConfig,
    (ExperimentConfig, "downstream"): DownstreamConfig,
    (ExperimentConfig, "model"): ModelConfig,
    (ExperimentConfig, "training"): TrainingConfig,
}


def _drop_none(value):
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    return value


def _choice(name: str, value: Any, options: tuple[str, ...]) -> None:
    if value not in options:
        raise ConfigError(f"unknown {name} {value!r}; choose one of: {', '.join(options)}")


def _positive_int(name: str, value: Any, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _non_negative_int(name: str, value: Any) -> None:
    _positive_int(name, value, minimum=0)


def _positive_float(name: str, value: Any) -> None:
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value <= 0):
        raise ConfigError(f"{name} must be a number > 0, got {value!r}")


def upstream_source(config: ExperimentConfig) -> str:
    """What the upstream learned from: corpus, vectors or checkpoint (short, for labels)."""
    return config.upstream.kind.source(config.upstream)
