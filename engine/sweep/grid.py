"""Sweeps: a grid of experiments (arms × encoders × datasets × train fractions × seeds).

A sweep file is TOML::

    name = "Does pre-training help? (demo)"
    arms = ["none/scratch", "none/feature", "sentiment/finetune", "mlm/finetune"]
    encoders = ["transformer"]
    downstreams = ["demo"]
    train_fractions = [0.1, 0.3, 1.0]
    seeds = [0, 1, 2]

    [base]                      # settings every cell shares (an experiment file)
    [base.upstream]
    data = "demo"

    [overrides."mlm/finetune".training]   # settings for one arm only
    encoder_lr_multiplier = 0.3

``upstreams = [...]`` with ``methods = [...]`` may replace ``arms`` (their product).
An arm is "upstream/method"; its control is the ``scratch`` arm of the same encoder,
dataset and fraction (the control task's, ``none/scratch``, when present).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from transfer_explorer.engine.config import METHODS, ExperimentConfig, read_toml
from transfer_explorer.engine.errors import ArgumentError, ConfigError
from transfer_explorer.engine.i18n import N_, _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MAX_WORKERS = 256  # processes at a time; more only oversubscribes the machine
PRESETS = ("demo", "lesson-demo", "stsb-cpu", "korsts-cpu", "lesson-stsb", "lesson-korsts")
# The grid's axes: what each holds.
# (encoders and downstreams are checked as each cell's settings: model.encoder,
# downstream.data.)
_AXES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "arms": (str, N_("text")),
    "encoders": (object, ""),
    "downstreams": (object, ""),
    "fractions": ((int, float), N_("a number")),
    "seeds": (int, N_("a whole number")),
}
# Settings that do not change a cell's result, so they are left out of its identity.
_NOT_IDENTITY = ("data_root", "threads", "name", "device")


@dataclass(frozen=True)
class Cell:
    arm: str  # "upstream/method"
    encoder: str
    downstream: str
    fraction: float
    seed: int
    config: ExperimentConfig = field(compare=False, hash=False)

    @property
    def key(self) -> str:
        """A stable id of what this cell computes (for resuming a sweep)."""
        data = {k: v for k, v in self.config.to_dict().items() if k not in _NOT_IDENTITY}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]

    @property
    def group(self) -> tuple[str, str, str, float]:
        """Cells that differ only by seed."""
        return self.arm, self.encoder, self.downstream, self.fraction

    def label(self) -> str:
        return _("{arm} · {encoder} · {downstream} · {fraction:g} · seed {seed}").format(
            arm=self.arm,
            encoder=self.encoder,
            downstream=self.downstream,
            fraction=self.fraction,
            seed=self.seed,
        )


@dataclass
class Sweep:
    name: str
    arms: list[str]
    encoders: list[str]
    downstreams: list[str]
    fractions: list[float]
    seeds: list[int]
    base: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)

    @classmethod
    def from_toml(cls, path: str | Path) -> Sweep:
        return cls.from_dict(read_toml(path), str(path))

    @classmethod
    def preset(cls, name: str) -> Sweep:
        """A bundled sweep. Its ``name`` stays as written (it is stored, and identifies the
        sweep); :func:`shown_name` gives it in the reader's language."""
        if name not in PRESETS:
            raise ConfigError(
                _("unknown preset {name!r}; choose one of: {choices}").format(
                    name=name, choices=", ".join(PRESETS)
                )
            )
        presets = resources.files("transfer_explorer.resources") / "presets"
        preset = presets / f"{name}.toml"
        if isinstance(preset, Path):  # an installed file: read it like any other, never a FIFO
            from transfer_explorer.engine.disk.safe_read import read_text

            text = read_text(preset, "a sweep preset (TOML)")
        else:  # inside a zip: no special files there
            text = preset.read_text("utf-8")
        return cls.from_dict(tomllib.loads(text), f"preset {name}")

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "sweep") -> Sweep:
        known = {
            "name",
            "arms",
            "upstreams",
            "methods",
            "encoders",
            "downstreams",
            "train_fractions",
            "seeds",
            "base",
            "overrides",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                _("{where}: unknown key {key!r}; known: {known}").format(
                    where=where, key=unknown[0], known=", ".join(sorted(known))
                )
            )
        if "arms" in data:
            arms = list(data["arms"])
        elif "upstreams" in data and "methods" in data:
            arms = [f"{u}/{m}" for u in data["upstreams"] for m in data["methods"]]
        else:
            raise ConfigError(
                _('{where}: give arms = ["upstream/method", …] or upstreams and methods').format(
                    where=where
                )
            )
        base = data.get("base", {})
        sweep = cls(
            name=data.get("name", Path(where).stem),
            arms=arms,
            encoders=list(
                data.get("encoders", [base.get("model", {}).get("encoder", "transformer")])
            ),
            downstreams=list(
                data.get("downstreams", [base.get("downstream", {}).get("data", "demo")])
            ),
            fractions=[float(f) for f in data.get("train_fractions", [1.0])],
            seeds=[int(s) for s in data.get("seeds", [0])],
            base=base,
            overrides=data.get("overrides", {}),
        )
        sweep.validate(where)
        return sweep

    def validate(self, where: str = "sweep") -> None:
        """The sweep's own shape. Each cell's settings are checked once, when it runs
        (engine.experiment.check, before anything is recorded)."""
        from transfer_explorer.engine.upstream.registry import task_names

        for axis, (kind, wanted) in _AXES.items():
            values = getattr(self, axis)
            if isinstance(values, (str, bytes)) or not isinstance(values, (list, tuple)):
                raise ConfigError(
                    _("{where}: {axis} must be a list, got {value!r}").format(
                        where=where, axis=axis, value=values
                    )[:200]
                )
            if not values:
                raise ConfigError(_("{where}: {axis} is empty").format(where=where, axis=axis))
            wrong = (
                next((v for v in values if not isinstance(v, kind) or isinstance(v, bool)), None)
                if kind is not object
                else None
            )
            if wrong is not None:
                raise ConfigError(
                    _("{where}: {axis} holds {value!r}, not {wanted}").format(
                        where=where, axis=axis, value=wrong, wanted=_(wanted)
                    )[:200]
                )
            repeated = sorted({v for v in values if values.count(v) > 1}, key=str)
            if repeated:
                values_said = ", ".join(map(repr, repeated[:5]))
                if len(repeated) > 5:
                    values_said = _("{values} … and {more} more").format(
                        values=values_said, more=len(repeated) - 5
                    )
                raise ConfigError(
                    _("{where}: {axis} repeats {values}; give each value once").format(
                        where=where, axis=axis, values=values_said
                    )
                )
        for arm in self.arms:
            upstream, _slash, method = arm.partition("/")
            if upstream not in task_names() or method not in METHODS:
                raise ConfigError(
                    _(
                        "{where}: arm {arm!r} is not upstream/method (upstreams: {upstreams}; "
                        "methods: {methods})"
                    ).format(
                        where=where,
                        arm=arm,
                        upstreams=", ".join(task_names()),
                        methods=", ".join(METHODS),
                    )
                )
        for arm in self.overrides:
            if arm not in self.arms:
                raise ConfigError(
                    _("{where}: overrides for {arm!r}, which is not an arm").format(
                        where=where, arm=arm
                    )
                )

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "arms": self.arms,
            "encoders": self.encoders,
            "downstreams": self.downstreams,
            "train_fractions": self.fractions,
            "seeds": self.seeds,
            "base": self.base,
            "overrides": self.overrides,
        }

    @property
    def key(self) -> str:
        """Identity of the sweep: the same definition resumes the same sweep record."""
        data = self.to_dict()
        data["base"] = {k: v for k, v in data["base"].items() if k not in _NOT_IDENTITY}
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:20]

    def cells(self, data_root: str | None = None, threads: int | None = None) -> list[Cell]:
        """Every experiment of the grid, ordered so cells sharing an upstream are adjacent."""
        out = []
        for arm in self.arms:
            upstream, _slash, method = arm.partition("/")
            for encoder in self.encoders:
                for downstream in self.downstreams:
                    for fraction in self.fractions:
                        for seed in self.seeds:
                            merged = _merge(
                                copy.deepcopy(self.base), copy.deepcopy(self.overrides.get(arm, {}))
                            )
                            merged = _merge(
                                merged,
                                {
                                    "method": method,
                                    "seed": seed,
                                    "upstream": {"task": upstream},
                                    "model": {"encoder": encoder},
                                    "downstream": {"data": downstream, "train_fraction": fraction},
                                },
                            )
                            if data_root:
                                merged["data_root"] = data_root
                            if threads is not None:
                                merged["threads"] = threads
                            config = ExperimentConfig.from_dict(merged)
                            out.append(Cell(arm, encoder, downstream, fraction, seed, config))
        return out

    def control_arm(self) -> str | None:
        """The arm every other arm is judged against: the control task's scratch arm, else
        any scratch arm."""
        from transfer_explorer.engine.upstream.registry import control_task

        control = f"{control_task().name}/scratch"
        if control in self.arms:
            return control
        return next((a for a in self.arms if a.endswith("/scratch")), None)


def _merge(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def load_sweep(
    file: str | Path | None = None, preset: str | None = None, data_root: str | None = None
) -> Sweep:
    """A sweep file or preset with every cell's settings built and checked, so that a
    definition of the wrong shape (a number where a list belongs, say) or a setting that
    cannot work is a ConfigError when it is opened, not when it runs — for the CLI and the
    window alike."""
    where = _("preset {name}").format(name=preset) if preset else str(file)
    with invalid_sweep(where):
        if preset:
            sweep = Sweep.preset(preset)
        elif file is not None:
            sweep = Sweep.from_toml(file)
        else:  # invalid_sweep turns it into a ConfigError, as reading None did before
            raise TypeError("give a sweep file or a preset")
    return check_sweep(sweep, where, data_root)


def check_sweep(
    sweep: Sweep, where: str = "sweep", data_root: str | None = None, cells: bool = True
) -> Sweep:
    """The sweep's shape and (``cells``) every cell's settings, checked as a sweep file is —
    for a :class:`Sweep` built in Python too (the API's ``sweep()``, like the CLI). A sweep
    that runs checks its cells' settings once more, each with the rest of its checks."""
    if not isinstance(sweep, Sweep):
        raise ArgumentError(
            _("a sweep is a Sweep, a preset name or a TOML file, got {kind}").format(
                kind=type(sweep).__name__
            )
        )
    with invalid_sweep(where):
        sweep.validate(where)
        for cell in sweep.cells(data_root) if cells else ():
            cell.config.validate()  # pure Python: no data read, no torch
    if not isinstance(sweep.name, str):  # it heads the matrix and names the sweep record
        raise ConfigError(
            _("{where}: name must be text, got {value!r}").format(where=where, value=sweep.name)[
                :200
            ]
        )
    return sweep


@contextlib.contextmanager
def invalid_sweep(where: str):
    """A definition of the wrong shape (a number where a list belongs …): one line."""
    try:
        yield
    except ConfigError:
        raise
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        reason = " ".join(str(exc).splitlines()) or type(exc).__name__
        raise ConfigError(
            _("{where}: not a valid sweep ({reason})").format(where=where, reason=reason)[:300]
        ) from None


def shown_name(name: str) -> str:
    """A sweep's name to show: a bundled preset's in the language in use (tools/i18n.py
    extracts the presets' names into the catalog), any other as written."""
    return _(name) if name else name
