"""A finished run's model on disk, so the Playground and ``score`` can use it later.

Own encoders: ``model.safetensors`` (everything) + ``tokenizer.json``. Hugging Face
checkpoints: the head in ``head.safetensors``; the encoder under ``encoder/`` only when
training changed it (finetune, scratch) — frozen or zero-shot runs point at the checkpoint.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from safetensors.torch import save

from transfer_explorer.engine.codec import CHECKPOINT_FORMAT, OWN_FORMAT
from transfer_explorer.engine.data.types import PairDataset
from transfer_explorer.engine.disk.safe_read import load_safetensors, read_json, read_text
from transfer_explorer.engine.disk.temp_folders import clean_stale, make_temp_file
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.models.encoders import EncoderSpec

MODEL, HEAD, TOKENIZER, META = (
    "model.safetensors",
    "head.safetensors",
    "tokenizer.json",
    "model.json",
)
# What a run's folder holds while a weights file is written (the name before this version
# had no random part); a killed run's are removed by the next run that saves a model.
WEIGHTS_TEMPS = r"[^/]+\.safetensors(?:\.[a-z0-9_]{8})?\.tmp"


def _umask() -> int:
    mask = os.umask(0o022)  # read it (the only way), then put it back
    os.umask(mask)
    return mask


UMASK = _umask()


def usual_permissions(path: Path) -> None:
    """What the user's umask gives a new file or folder (safetensors and mkdtemp write
    owner-only ones, so a shared model would be unreadable to others), throughout ``path``."""
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        item.chmod((0o777 if item.is_dir() else 0o666) & ~UMASK)


def _save(state: dict, path: Path) -> None:
    """Written to a locked temporary beside ``path``, then renamed over it."""
    data = save({k: v.detach().cpu().contiguous() for k, v in state.items()})
    temp = make_temp_file(path.parent, path.name + ".")
    assert temp.fd is not None  # a new temporary holds its descriptor until released
    try:
        with os.fdopen(os.dup(temp.fd), "wb") as f:
            f.write(data)
        usual_permissions(temp.path)
        os.replace(temp.path, path)
    except BaseException:
        temp.discard()
        raise
    temp.release()


def clean_stale_temps(folder: Path) -> None:
    """Remove the weights temporaries a killed run left in ``folder`` and, for a run's
    folder (named by its id), in the other runs' folders beside it."""
    folder = Path(folder)
    clean_stale(folder, WEIGHTS_TEMPS)
    if folder.name.isdigit():
        try:
            siblings = [
                e.path
                for e in os.scandir(folder.parent)
                if e.name.isdigit() and e.is_dir(follow_symlinks=False)
            ]
        except OSError:
            return
        for sibling in siblings:
            clean_stale(Path(sibling), WEIGHTS_TEMPS)


def save_run_model(
    folder: Path, model, codec, spec: EncoderSpec | None, data: PairDataset, config, extra: dict
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    clean_stale_temps(folder)
    meta = {
        "task": data.task,
        "score_range": list(data.score_range),
        "label_names": list(data.label_names),
        "dataset": data.name,
        "head": model.head_kind,
        "method": config.method,
        "upstream": config.upstream.task,
        "config": config.to_dict(),
        **extra,
    }
    if codec.kind == CHECKPOINT_FORMAT:
        trained_encoder = config.method in ("finetune", "scratch")
        meta.update(
            kind=CHECKPOINT_FORMAT,
            checkpoint=config.upstream.model,
            pooling=config.upstream.pooling,
            encoder_saved=trained_encoder,
            max_length=config.model.max_length,
        )
        if trained_encoder:
            with quiet_transformers():  # its "Writing model shards" bar is not our progress
                model.encoder.model.save_pretrained(str(folder / "encoder"))
            codec.save(folder / "encoder")
        _save(
            {k: v for k, v in model.state_dict().items() if not k.startswith("encoder.")},
            folder / HEAD,
        )
    else:
        if spec is None:
            raise ValueError("a model with an encoder of our own needs its EncoderSpec to be saved")
        meta.update(kind=OWN_FORMAT, encoder=spec.to_dict(), max_length=spec.max_length)
        _save(model.state_dict(), folder / MODEL)
        codec.save(folder)
    (folder / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")


def load_run_model(folder: Path):
    """(model in eval mode, codec, meta) — weights read with safetensors only; every file
    read is checked to be a regular file (engine.safe_read), never a FIFO to wait on."""
    from transfer_explorer.engine.codec import HFCodec, OwnCodec
    from transfer_explorer.engine.models import PairModel, build_encoder
    from transfer_explorer.engine.models.heads import CrossEncoderModel

    folder = Path(folder)
    meta = read_json(folder / META, _("a model's settings (model.json)"))
    regression = meta["task"] == "regression"
    outputs = 1 if regression else len(meta["label_names"])
    head = meta.get("head", "bi")
    codec: HFCodec | OwnCodec
    if meta.get("kind") == CHECKPOINT_FORMAT:
        from transfer_explorer.engine.models.hf import load_hf

        # exported folders keep the encoder at their root (encoder_folder ".")
        source = (
            str(folder / meta.get("encoder_folder", "encoder"))
            if meta["encoder_saved"]
            else meta["checkpoint"]
        )
        encoder, tokenizer = load_hf(source, meta["pooling"])
        codec = HFCodec(tokenizer, encoder.uses_token_types)
        model = (
            CrossEncoderModel(encoder, outputs, regression)
            if head == "cross"
            else PairModel(encoder, outputs, regression, head)
        )
        model.load_state_dict(
            load_safetensors(folder / HEAD, _("the model's head weights")), strict=False
        )
    else:
        from tokenizers import Tokenizer

        encoder = build_encoder(EncoderSpec(**meta["encoder"]))
        model = PairModel(encoder, outputs, regression, head)
        model.load_state_dict(load_safetensors(folder / MODEL, _("the model's weights")))
        codec = OwnCodec(
            Tokenizer.from_str(read_text(folder / TOKENIZER, _("the model's tokenizer")))
        )
    return model.eval(), codec, meta


@contextlib.contextmanager
def quiet_transformers():
    from transformers.utils import logging as hf_logging

    was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_on:
            hf_logging.enable_progress_bar()
