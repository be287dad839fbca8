"""The weights of the best evaluation so far, kept until training ends and then restored.

A small model's copy stays in memory. A large one's (a MiniLM's 90 MB, a BERT-base's 420 MB)
goes to a temporary file in the cache folder, as Hugging Face's Trainer keeps its best
checkpoint on disk: in memory it would sit beside every later step's activations, at the
run's peak. The file is anonymous (deleted by the OS when closed or when the process dies),
so a stopped, failed or killed run leaves nothing behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import IO

import torch
from torch import nn

IN_MEMORY_MAX_BYTES = 32 * 2**20  # the tiny encoders' few MB stay in memory: no disk writes


def trainable_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """What training can change: trainable parameters and buffers (frozen weights never do)."""
    frozen = {name for name, p in model.named_parameters() if not p.requires_grad}
    return {name: t.detach() for name, t in model.state_dict().items() if name not in frozen}


class BestWeights:
    """``keep()`` at each new best, ``before_step()`` before the weights change,
    ``restore()`` once training ends, ``close()`` always.

    The copy is made only when training goes on after a best: a run whose last evaluation
    is its best (one epoch, or still improving) never copies its weights at all."""

    def __init__(self, model: nn.Module, spill_dir: Path | None = None):
        self.model = model
        self.spill_dir = spill_dir
        self._memory: dict[str, torch.Tensor] | None = None
        self._file: IO[bytes] | None = None
        self._pending = False  # the model's own weights are the best ones

    @property
    def on_disk(self) -> bool:
        return self._file is not None

    def keep(self) -> None:
        self._pending = True

    def before_step(self) -> None:
        if self._pending:
            self._copy()
            self._pending = False

    def _copy(self) -> None:
        state = trainable_state(self.model)
        size = sum(t.numel() * t.element_size() for t in state.values())
        spill = (
            self._open_file(self.spill_dir)
            if self.spill_dir is not None and size > IN_MEMORY_MAX_BYTES
            else None
        )
        if spill is not None:
            spill.seek(0)
            spill.truncate()
            torch.save(state, spill)
            spill.flush()
        elif self._memory is None:
            self._memory = {name: t.clone() for name, t in state.items()}
        else:  # into the previous best's tensors: never two copies at once
            for name, tensor in state.items():
                self._memory[name].copy_(tensor)

    def _open_file(self, spill_dir: Path) -> IO[bytes] | None:
        """The spill file (opened in ``spill_dir`` at first use); None when it cannot be."""
        if self._file is None:
            try:
                spill_dir.mkdir(parents=True, exist_ok=True)
                self._file = tempfile.TemporaryFile(dir=spill_dir, prefix="best-weights-")
            except OSError:  # a read-only or full cache folder: keep the copy in memory
                self.spill_dir = None
                return None
        return self._file

    def restore(self) -> bool:
        """Put the best weights in the model; False when there was no best."""
        if self._pending:
            return True  # no step since the best: the model holds it
        if self._file is not None:
            self._file.seek(0)
            state = torch.load(self._file, map_location="cpu", weights_only=True)
        elif self._memory is not None:
            state = self._memory
        else:
            return False
        self.model.load_state_dict(state, strict=False)
        return True

    def close(self) -> None:
        self._memory = None
        if self._file is not None:
            self._file.close()
            self._file = None
