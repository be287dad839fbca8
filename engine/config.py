"""Experiment settings: dataclasses, validated before anything trains, TOML in and out."""

from __future__ import annotations

import dataclasses
import math
import reprlib
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import N_, _

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
# "split": a single file's own split column (train/dev/test per row); "none" turns it off.
COLUMN_FIELDS = ("sentence1", "sentence2", "score", "label", "sentence", "split")
# Bounds of the numeric settings (validate names them in its messages).
MAX_INT = 2**63 - 1  # SQLite integers, torch and numpy seeds are 64-bit
MAX_POSITIONS = 4096  # our encoders learn one position vector per token up to this
MAX_VOCABULARY = 1_000_000
MAX_THREADS = 1024
MAX_LEARNING_RATE = 10.0  # any step size above this only diverges
MAX_LR_MULTIPLIER = 10.0
MAX_WEIGHT_DECAY = 10.0  # AdamW shrinks weights by lr × decay every step
MAX_SCORE = 1e6  # |low|, |high| of a score range (float32 keeps ~7 digits)
SCORE_RESOLUTION = 1e-3  # high - low >= this × max(1, |low|, |high|)
MAX_TOML_DEPTH = 16  # tables and arrays in a settings or sweep file
MAX_TOML_BYTES = 16 * 2**20
# Settings that hold text; True where they may be left out (None).
_TEXT_FIELDS = {"str": False, "str | None": True}
# The upstream tasks themselves live in engine.upstream.registry (one module each).


@dataclass
class UpstreamConfig:
    """What the encoder learns before the similarity task."""

    task: str = "none"  # a name in engine.upstream.registry
    data: str | None = None  # corpus name or path; glove: vectors (package or .txt)
    model: str | None = None  # hf: hub name or local folder of a checkpoint
    pooling: str = "mean"  # sentence vector, where the task offers a choice: mean of
    # tokens, the first ([CLS], hf) or the last (causal-lm)
    epochs: int | None = None  # None: the task's default
    batch_size: int = 32
    lr: float = 1e-3
    max_sentences: int | None = None  # cap the upstream corpus (None: all of train)
    seed: int = 0  # separate from the run seed so upstreams are shared

    @property
    def kind(self):
        """The task object (engine.upstream.registry) that knows what this upstream needs."""
        from transfer_explorer.engine.upstream.registry import get_task

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
    head: str = "auto"  # bi: MLP on [u,v,|u-v|,u*v]; cosine: score = cos(u,v); cross: pair in one
    # sequence (hf). auto: cosine for hf finetune on scores, else bi


@dataclass
class DownstreamConfig:
    data: str = "demo"
    columns: dict[str, str] = field(default_factory=dict)  # our field -> file column
    train_fraction: float = 1.0
    score_range: list[float] | None = None  # local files: [low, high]; scores outside it
    # are refused (default: inferred from the data)

    def train_pairs(self, available: int) -> int:
        """How many of ``available`` training pairs train_fraction keeps (at least two)."""
        if self.train_fraction >= 1:
            return available
        return max(2, round(available * self.train_fraction))


@dataclass
class TrainingConfig:
    epochs: int = 5
    batch_size: int = 32
    lr: float | None = None  # None: 1e-3, or 2e-5 when fine-tuning a Hugging Face checkpoint
    head_lr: float | None = None  # the new head's rate; None: 1e-3 when fine-tuning a
    # checkpoint (a fresh head at 2e-5 barely moves), else lr
    encoder_lr_multiplier: float = 1.0  # finetune: encoder lr = lr * this
    weight_decay: float = 0.01
    grad_clip: float = 1.0
    warmup_steps: int = 0
    warmup_ratio: float | None = None  # None: 0.1 when fine-tuning a checkpoint, else 0
    amp: str = "auto"  # mixed precision on CUDA: auto (bf16 if supported, else fp16)
    schedule: str = "auto"  # constant | linear (decay after warmup); auto: linear when
    # fine-tuning a checkpoint, else constant
    patience: int = 0  # stop after this many evaluations without improvement (0: off)
    eval_every: int = 0  # also evaluate on dev every N steps (0: once per epoch)
    log_every: int = 10


# Flat setting names (the CLI's flags, the Python API's keywords) -> (section, field) in
# ExperimentConfig; None section = top level.
FLAT_SETTINGS: dict[str, tuple[str | None, str, type]] = {
    "upstream": ("upstream", "task", str),
    "upstream_data": ("upstream", "data", str),
    "upstream_epochs": ("upstream", "epochs", int),
    "upstream_batch_size": ("upstream", "batch_size", int),
    "upstream_lr": ("upstream", "lr", float),
    "upstream_max_sentences": ("upstream", "max_sentences", int),
    "upstream_seed": ("upstream", "seed", int),
    "model_name": ("upstream", "model", str),
    "pooling": ("upstream", "pooling", str),
    "head": ("model", "head", str),
    "amp": ("training", "amp", str),
    "warmup_ratio": ("training", "warmup_ratio", float),
    "head_lr": ("training", "head_lr", float),
    "schedule": ("training", "schedule", str),
    "method": (None, "method", str),
    "downstream": ("downstream", "data", str),
    "train_fraction": ("downstream", "train_fraction", float),
    "encoder": ("model", "encoder", str),
    "size": ("model", "size", str),
    "vocab_size": ("model", "vocab_size", int),
    "max_length": ("model", "max_length", int),
    "epochs": ("training", "epochs", int),
    "batch_size": ("training", "batch_size", int),
    "lr": ("training", "lr", float),
    "encoder_lr_multiplier": ("training", "encoder_lr_multiplier", float),
    "weight_decay": ("training", "weight_decay", float),
    "warmup_steps": ("training", "warmup_steps", int),
    "patience": ("training", "patience", int),
    "eval_every": ("training", "eval_every", int),
    "log_every": ("training", "log_every", int),
    "device": (None, "device", str),
    "seed": (None, "seed", int),
    "threads": (None, "threads", int),
    "name": (None, "name", str),
    "data_root": (None, "data_root", str),
}


@dataclass
class ExperimentConfig:
    upstream: UpstreamConfig = field(default_factory=UpstreamConfig)
    method: str = "scratch"
    downstream: DownstreamConfig = field(default_factory=DownstreamConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    seed: int = 0
    device: str = "auto"
    threads: int = 0  # torch CPU threads (0: torch's default)
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
    def validate(self) -> ExperimentConfig:
        """Refuse settings that cannot work, with a message naming the setting."""
        self._check_text()  # a TOML file can put a number or a list where text belongs
        task = self.upstream.kind  # refuses an unknown task, naming the known ones
        _choice(N_("method"), self.method, METHODS)
        _choice(N_("encoder"), self.model.encoder, ENCODERS)
        _choice(N_("size"), self.model.size, SIZES)
        _choice(N_("device"), self.device, DEVICES)
        _choice(N_("head"), self.model.head, HEADS)
        _choice(N_("pooling"), self.upstream.pooling, POOLINGS)
        _choice(N_("mixed precision"), self.training.amp, AMP_MODES)
        _choice(N_("schedule"), self.training.schedule, SCHEDULES)
        self._check_task(task)
        if self.method == "zero-shot" and self.model.head not in ("auto", "cosine"):
            raise ConfigError(
                _(
                    "zero-shot scores pairs by the cosine of their sentence vectors; "
                    "it has no trained head (leave --head out)"
                )
            )
        if self.method == "feature" and self.model.head == "cosine":
            raise ConfigError(
                _(
                    "a frozen encoder with the cosine head has nothing to train — "
                    "that is --method zero-shot"
                )
            )
        self._check_numbers(task)
        _check_score_range(self.downstream.score_range)
        if not self.downstream.data:
            raise ConfigError(_("choose a downstream dataset"))
        return self

    def _check_text(self) -> None:
        """Text settings hold text (or nothing, where optional); columns map text to text."""
        for prefix, section in _sections(self):
            for f in fields(section):
                # field types are strings here (from __future__ import annotations)
                optional = _TEXT_FIELDS.get(f.type) if isinstance(f.type, str) else None
                value = getattr(section, f.name)
                if optional is None or isinstance(value, str) or (optional and value is None):
                    continue
                raise ConfigError(
                    _("{setting} must be text, got {value}").format(
                        setting=f"{prefix}{f.name}", value=_short(value)
                    )
                )
        _check_columns(self.downstream.columns)

    def _check_numbers(self, task) -> None:
        """Every number finite and in its range, integers within 64 bits (SQLite, torch)."""
        training, up = self.training, self.upstream
        _positive_int(N_("epochs"), training.epochs)
        _positive_int(N_("batch size"), training.batch_size)
        _positive_int(N_("upstream batch size"), up.batch_size)
        _positive_int(N_("log every"), training.log_every)
        _seed(N_("seed"), self.seed)
        _seed(N_("upstream seed"), up.seed)
        if task.checkpoint:  # its positions are known once it is loaded (engine.codec)
            _positive_int(N_("max length"), self.model.max_length, minimum=4)
        else:
            _int_between(
                N_("max length"),
                self.model.max_length,
                4,
                MAX_POSITIONS,
                N_("the encoder learns one position vector per token"),
            )
        _int_between(N_("vocabulary size"), self.model.vocab_size, 100, MAX_VOCABULARY)
        _int_between(N_("threads"), self.threads, 0, MAX_THREADS)
        for name, value in (
            (N_("learning rate"), training.lr),
            (N_("head learning rate"), training.head_lr),
        ):
            if value is not None:
                _positive_float(name, value, MAX_LEARNING_RATE)
        if training.warmup_ratio is not None:
            _float_in(
                N_("warmup ratio"), training.warmup_ratio, N_("in [0, 1)"), lambda x: 0 <= x < 1
            )
        _positive_float(N_("upstream learning rate"), up.lr, MAX_LEARNING_RATE)
        _positive_float(
            N_("encoder learning-rate multiplier"),
            training.encoder_lr_multiplier,
            MAX_LR_MULTIPLIER,
        )
        for name, value in (
            (N_("patience"), training.patience),
            (N_("eval every"), training.eval_every),
            (N_("warmup steps"), training.warmup_steps),
        ):
            _non_negative_int(name, value)
        if up.epochs is not None:  # unused by a task that does not train, but still a number
            _positive_int(N_("upstream epochs"), up.epochs, minimum=1 if task.trains else 0)
        if up.max_sentences is not None:
            _positive_int(N_("upstream max sentences"), up.max_sentences, minimum=10)
        _float_in(
            N_("weight decay"),
            training.weight_decay,
            _("in [0, {maximum:g}]").format(maximum=MAX_WEIGHT_DECAY),
            lambda x: 0 <= x <= MAX_WEIGHT_DECAY,
        )
        _float_in(N_("gradient clip"), training.grad_clip, N_("a number >= 0"), lambda x: x >= 0)
        _float_in(
            N_("train fraction"),
            self.downstream.train_fraction,
            N_("in (0, 1]"),
            lambda x: 0 < x <= 1,
        )

    def _check_task(self, task) -> None:
        """What the upstream task allows: methods, encoders, heads — asked of the task."""
        from transfer_explorer.engine.upstream.registry import tasks, tasks_allowing

        # TRANSLATORS: joins alternatives in a list, e.g. "--upstream a or --upstream b"
        either = _(" or ")
        if self.method not in task.methods:
            allowing = either.join(f"--upstream {t.name}" for t in tasks_allowing(self.method))
            if self.method == "zero-shot":
                message = _("{method} needs pre-trained weights: use it with {allowing}")
            else:
                message = _(
                    "{method} does not apply to the {task} upstream: use it with {allowing}"
                )
            raise ConfigError(message.format(method=self.method, task=task.name, allowing=allowing))
        if self.model.head == "cross" and not task.cross_encoder:
            readers = either.join(f"--upstream {t.name}" for t in tasks() if t.cross_encoder)
            raise ConfigError(
                _(
                    "the cross-encoder head reads a pair as one sequence, which only "
                    "a pre-trained checkpoint can ({readers})"
                ).format(readers=readers)
            )
        if task.poolings and self.upstream.pooling not in task.poolings:
            raise ConfigError(
                _("the {task} upstream pools sentence vectors by {choices}, not {pooling}").format(
                    task=task.name,
                    choices=either.join(task.poolings),
                    pooling=self.upstream.pooling,
                )
            )
        if task.encoders is not None and self.model.encoder not in task.encoders:
            raise ConfigError(
                _(
                    "the {task} upstream pre-trains the {encoders} encoder; "
                    "choose --encoder {encoder}"
                ).format(
                    task=task.name, encoders=either.join(task.encoders), encoder=task.encoders[0]
                )
            )
        task.check(self)

    # ---- dict / TOML ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return _drop_none(dataclasses.asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExperimentConfig:
        try:
            return _build(cls, data, "")
        except ConfigError:
            raise
        except (TypeError, ValueError) as exc:  # pragma: no cover - defensive
            raise ConfigError(_("invalid experiment settings: {error}").format(error=exc)) from None

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())

    @classmethod
    def from_toml(cls, path: str | Path) -> ExperimentConfig:
        return cls.from_dict(read_toml(path))

    def replace(self, **changes: Any) -> ExperimentConfig:
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
    """A TOML file as a dict; a file that cannot be read as TOML is a ConfigError naming it."""
    path = Path(path)
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(
            _("{path}: nested too deeply to be a settings file").format(path=path)
        ) from None
    except ValueError as exc:  # TOMLDecodeError, or an integer with too many digits
        raise ConfigError(
            _("{path}: not valid TOML ({reason})").format(path=path, reason=_first_line(exc))
        ) from None
    # settings nest a few tables deep; copying or hashing much deeper values would recurse
    if _depth(data) > MAX_TOML_DEPTH:
        raise ConfigError(
            _("{path}: nested more than {depth} levels deep; settings files need a few").format(
                path=path, depth=MAX_TOML_DEPTH
            )
        )
    return data


def _read_text(path: Path) -> str:
    """A small UTF-8 text file; a folder, a device, a binary file or a huge one is refused."""
    import os
    import stat

    from transfer_explorer.engine.disk.safe_read import open_regular

    def refuse(path: Path, info: os.stat_result) -> None:  # a FIFO or /dev/zero never ends
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise ConfigError(_("{path}: a folder, not a TOML file").format(path=path))
            raise ConfigError(_("{path}: not a regular file, not a TOML file").format(path=path))

    try:
        with open_regular(path, refuse=refuse) as f:  # never blocks, checks what it opened
            raw = f.read(MAX_TOML_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(_("{path}: no such file").format(path=path)) from None
    except OSError as exc:
        raise ConfigError(
            _("{path}: cannot read it ({reason})").format(
                path=path, reason=exc.strerror or _first_line(exc)
            )
        ) from None
    if len(raw) > MAX_TOML_BYTES:
        raise ConfigError(
            _("{path}: larger than {size} MiB; not a settings file").format(
                path=path, size=MAX_TOML_BYTES // 2**20
            )
        )
    if b"\0" in raw:
        raise ConfigError(_("{path}: a binary file, not TOML").format(path=path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            _("{path}: not UTF-8 text (TOML files are UTF-8)").format(path=path)
        ) from None


def _depth(value: Any) -> int:
    """How deeply tables and arrays nest (iterative: a deep value must not recurse)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_TOML_DEPTH:
            break
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _build(cls, data: dict[str, Any], prefix: str):
    if not isinstance(data, dict):
        raise ConfigError(_("[{table}] must be a table").format(table=prefix.rstrip(".")))
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(
            _("unknown setting '{setting}'; known: {known}").format(
                setting=f"{prefix}{unknown[0]}", known=", ".join(sorted(known))
            )
        )
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
        raise ConfigError(
            _("unknown {name} {value!r}; choose one of: {options}").format(
                name=_(name), value=value, options=", ".join(options)
            )
        )


def _positive_int(name: str, value: Any, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(
            _("{name} must be an integer >= {minimum}, got {value}").format(
                name=_(name), minimum=minimum, value=_short(value)
            )
        )
    if value > MAX_INT:  # SQLite, torch and numpy take 64-bit integers
        raise ConfigError(
            _("{name} must be an integer below 2**63, got {value}").format(
                name=_(name), value=value
            )
        )


def _non_negative_int(name: str, value: Any) -> None:
    _positive_int(name, value, minimum=0)


def _int_between(name: str, value: Any, low: int, high: int, why: str = "") -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        if why:
            message = _("{name} must be an integer from {low} to {high} ({why}), got {value}")
        else:
            message = _("{name} must be an integer from {low} to {high}, got {value}")
        raise ConfigError(
            message.format(
                name=_(name), low=low, high=high, why=_(why) if why else "", value=_short(value)
            )
        )


def _seed(name: str, value: Any) -> None:
    """Seeds feed torch, numpy (no negatives) and a SQLite column (64 bits)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
        raise ConfigError(
            _("{name} must be an integer from 0 to 2**63 - 1, got {value}").format(
                name=_(name), value=_short(value)
            )
        )


def _is_number(value: Any) -> bool:
    """A finite int or float (an int is finite however large; isfinite would overflow)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def _positive_float(name: str, value: Any, maximum: float | None = None) -> None:
    if not (_is_number(value) and value > 0 and (maximum is None or value <= maximum)):
        if maximum is not None:
            message = _("{name} must be a number > 0 and <= {maximum:g}, got {value}")
        else:
            message = _("{name} must be a number > 0, got {value}")
        raise ConfigError(message.format(name=_(name), maximum=maximum, value=_short(value)))


def _float_in(name: str, value: Any, text: str, ok) -> None:
    """A finite number for which ``ok`` holds; ``text`` says the range ("in (0, 1]")."""
    if not (_is_number(value) and ok(value)):
        raise ConfigError(
            _("{name} must be {range}, got {value}").format(
                name=_(name), range=_(text), value=_short(value)
            )
        )


def _check_score_range(score_range: Any) -> None:
    """Scores are scaled to [0, 1] and back in float32, which keeps about 7 digits: the
    range must be finite, within ±1e6, and wide enough for its size to keep 3 of them."""
    if score_range is None:
        return
    if not (
        isinstance(score_range, (list, tuple))
        and len(score_range) == 2
        and all(_is_number(x) for x in score_range)
        and score_range[0] < score_range[1]
    ):
        raise ConfigError(
            _("score range must be two finite numbers, low < high, got {value}").format(
                value=_short(score_range)
            )
        )
    low, high = score_range
    if max(abs(low), abs(high)) > MAX_SCORE:
        raise ConfigError(
            _(
                "score range must lie within ±{maximum:,.0f} (scores are scaled "
                "in float32), got {value}"
            ).format(maximum=MAX_SCORE, value=_short(score_range))
        )
    if high - low < SCORE_RESOLUTION * max(1.0, abs(low), abs(high)):
        raise ConfigError(
            _(
                "score range {value} is too narrow for float32: "
                "high - low must be at least {resolution:g} × max(1, |low|, |high|)"
            ).format(value=_short(score_range), resolution=SCORE_RESOLUTION)
        )


def _check_columns(columns: Any) -> None:
    if not isinstance(columns, dict):
        raise ConfigError(
            _('downstream.columns must be a table of FIELD = "column", got {value}').format(
                value=_short(columns)
            )
        )
    for ours, theirs in columns.items():
        if ours not in COLUMN_FIELDS:
            raise ConfigError(
                _("downstream.columns: unknown field {field!r} ({fields})").format(
                    field=ours, fields=", ".join(COLUMN_FIELDS)
                )
            )
        if not isinstance(theirs, str) or not theirs.strip():
            raise ConfigError(
                _("downstream.columns: {field} must name a column (text), got {value}").format(
                    field=ours, value=_short(theirs)
                )
            )
    split = columns.get("split")
    other = next(
        (ours for ours, theirs in columns.items() if ours != "split" and theirs == split), None
    )
    if other is not None:  # rows sorted into splits by their scores: never what was meant
        raise ConfigError(
            _(
                "downstream.columns: the column {column!r} is given for both split and {field}"
            ).format(column=split, field=other)
        )


def _sections(config: ExperimentConfig):
    """(prefix, dataclass) for the settings and each of their tables."""
    yield "", config
    for name in ("upstream", "downstream", "model", "training"):
        yield f"{name}.", getattr(config, name)


def _short(value: Any) -> str:
    """A value for a one-line message: repr, cut short, safe for deep nesting."""
    return _REPR.repr(value)


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
_REPR.maxlevel = 3


def upstream_source(config: ExperimentConfig) -> str:
    """What the upstream learned from: corpus, vectors or checkpoint (short, for labels)."""
    return config.upstream.kind.source(config.upstream)
