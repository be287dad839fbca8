"""What every stage needs from the run: where to report, how to stop, which device."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from transfer_explorer.engine.control import RunControl
from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import _


@dataclass
class StageContext:
    emit: Callable
    control: RunControl
    device: torch.device
    cache_dir: Path
    threads: int = 0


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA, then Apple MPS, then CPU; asking for a missing one is an error."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if name == "cuda" and not cuda:
        raise ConfigError(
            _(
                "device cuda was asked for, but PyTorch sees no CUDA GPU here; "
                "use --device cpu or auto"
            )
        )
    if name == "mps" and not mps:
        raise ConfigError(
            _(
                "device mps was asked for, but Apple's MPS is not available; "
                "use --device cpu or auto"
            )
        )
    return torch.device(name)


def available_devices() -> list[str]:
    devices = ["auto", "cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        devices.append("mps")
    return devices
