"""On-disk upstream cache: <cache>/upstream/<key>/{encoder.safetensors, meta.json}.

Written atomically (temporary folder + rename) and verified when read (a SHA-256 of the
weights file is kept in meta.json), so a crash or a damaged file never yields bad weights.
The temporary folder (``.KEY-XXXXXXXX``) is locked while it is written
(engine.temp_folders); one a killed process left behind is removed the next time the cache
is used. Files are read through engine.safe_read: a FIFO in an entry is damage (the entry is
dropped), never a wait.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load as load_tensors
from safetensors.torch import save_file

from transfer_explorer.engine.disk.safe_read import open_regular, read_bytes, read_json
from transfer_explorer.engine.disk.temp_folders import (
    clean_stale,
    land_dir,
    make_temp_dir,
    prefixed_pattern,
)

WEIGHTS, META = "encoder.safetensors", "meta.json"
# the temporary folders save() writes: '.' + key + '-' + mkdtemp's 8 characters
TEMPS = prefixed_pattern(r"\.[^.].*-")


def entry_dir(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / "upstream" / key


def clean(cache_dir: Path) -> None:
    """Remove the temporary folders of saves that were killed half-way (stale, unlocked)."""
    clean_stale(Path(cache_dir) / "upstream", TEMPS)


def load(cache_dir: Path, key: str) -> tuple[dict[str, torch.Tensor], dict] | None:
    clean(cache_dir)
    folder = entry_dir(cache_dir, key)
    try:
        meta = read_json(folder / META, "an upstream cache entry")
        data = read_bytes(folder / WEIGHTS, "an upstream cache entry")
        if hashlib.sha256(data).hexdigest() != meta["sha256"]:
            raise ValueError("checksum mismatch")
        return load_tensors(data), meta
    except FileNotFoundError:
        return None
    except Exception:  # damaged entry (a FIFO or a folder in a file's place too): train again
        shutil.rmtree(folder, ignore_errors=True)
        return None


def save(cache_dir: Path, key: str, state: dict[str, torch.Tensor], meta: dict) -> Path:
    final = entry_dir(cache_dir, key)
    final.parent.mkdir(parents=True, exist_ok=True)
    clean(cache_dir)
    temp = make_temp_dir(final.parent, f".{key}-")
    tmp = temp.path
    try:
        save_file({k: v.detach().cpu().contiguous() for k, v in state.items()}, str(tmp / WEIGHTS))
        meta = {**meta, "sha256": _sha256(tmp / WEIGHTS)}
        (tmp / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
        try:
            land_dir(temp, final)
        except OSError:  # another process cached the same key first: keep theirs
            temp.discard()
    except BaseException:
        temp.discard()
        raise
    return final


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_regular(path, "an upstream cache entry") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
