"""On-disk upstream cache: <cache>/upstream/<key>/{encoder.safetensors, meta.json}.

Written atomically (temporary folder + rename) and verified when read (a SHA-256 of the
weights file is kept in meta.json), so a crash or a damaged file never yields bad weights.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

WEIGHTS, META = "encoder.safetensors", "meta.json"


def entry_dir(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "upstream" / key


def load(cache_dir: Path, key: str) -> tuple[dict[str, torch.Tensor], dict] | None:
    folder = entry_dir(cache_dir, key)
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        weights = folder / WEIGHTS
        if _sha256(weights) != meta["sha256"]:
            raise ValueError("checksum mismatch")
        return load_file(str(weights)), meta
    except FileNotFoundError:
        return None
    except Exception:  # damaged entry: drop it and train again
        shutil.rmtree(folder, ignore_errors=True)
        return None


def save(cache_dir: Path, key: str, state: dict[str, torch.Tensor], meta: dict) -> Path:
    final = entry_dir(cache_dir, key)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=final.parent))
    try:
        save_file({k: v.detach().cpu().contiguous() for k, v in state.items()},
                  str(tmp / WEIGHTS))
        meta = {**meta, "sha256": _sha256(tmp / WEIGHTS)}
        (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            os.replace(tmp, final)
        except OSError:  # another process cached the same key first: keep theirs
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
