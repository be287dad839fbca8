"""A finished run's model on disk: weights (safetensors), tokenizer and what rebuilds it."""
from __future__ import annotations

import json
from pathlib import Path

from safetensors.torch import load_file, save_file

from engine.data.types import PairDataset
from engine.models import PairModel
from engine.models.encoders import EncoderSpec

MODEL, TOKENIZER, META = "model.safetensors", "tokenizer.json", "model.json"


def save_run_model(folder: Path, model: PairModel, tokenizer, spec: EncoderSpec,
                   data: PairDataset, extra: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tmp = folder / (MODEL + ".tmp")
    save_file(state, str(tmp))
    tmp.replace(folder / MODEL)
    tokenizer.save(str(folder / TOKENIZER))
    meta = {"encoder": spec.to_dict(), "task": data.task, "score_range": list(data.score_range),
            "label_names": list(data.label_names), "dataset": data.name, **extra}
    (folder / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")


def load_run_model(folder: Path):
    """(model in eval mode, tokenizer, meta) — weights read with safetensors only."""
    from tokenizers import Tokenizer

    from engine.models import build_encoder

    folder = Path(folder)
    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    spec = EncoderSpec(**meta["encoder"])
    regression = meta["task"] == "regression"
    model = PairModel(build_encoder(spec), 1 if regression else len(meta["label_names"]),
                      regression)
    model.load_state_dict(load_file(str(folder / MODEL)))
    return model.eval(), Tokenizer.from_file(str(folder / TOKENIZER)), meta
