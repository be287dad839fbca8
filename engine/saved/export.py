"""A finished run's model as a folder the ecosystem loads without this app.

- Runs on a Hugging Face checkpoint → a sentence-transformers folder: ``SentenceTransformer``
  (transformer + pooling) for bi-encoders, a modular ``CrossEncoder`` (transformer + pooling +
  a ``Dense`` score layer, sigmoid) for cross-encoders. The pair-feature MLP head of a ``bi``
  run has no sentence-transformers module (it reads both sentences), so that folder gives the
  fine-tuned embeddings and cosine; the head is kept beside them for ``load_model``.
- The project's own encoders → ``model.safetensors`` + ``model.json`` (settings and shape) +
  ``tokenizer.json``, optionally ``model.onnx``.

Every folder also holds ``model.json`` and a model card (README.md with the run's settings,
data, metrics and curves as PNG), so ``transfer_explorer.load_model(folder)`` scores with it.
The folder is written beside the target (``.TARGET.XXXXXXXX``) and renamed into place: a
failed export leaves nothing half-written. The rename is the only step that touches the
target: rename(2) puts the folder there when nothing is, replaces an *empty* folder
atomically, and fails on a non-empty one — so of two exports to one target at once, one
wins and the other is told, in one line, that another export wrote it meanwhile (nothing
of its own is left). The temporary folder is locked while it is written
(engine.temp_folders); ones a killed export left beside the target (stale and unlocked)
are removed by the next export to that target.

A target that is a symbolic link is followed on purpose when it points at an empty folder:
the model is written into the folder it points at, and the link keeps pointing there. A
link that points nowhere (dangling, or a loop), at a file, or at a folder with files in it
is refused with one line that says where it points.

Every file read from the run's folder goes through engine.safe_read: a FIFO there is a
one-line error, never a wait.
"""

from __future__ import annotations

import errno
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from transfer_explorer.engine.codec import CHECKPOINT_FORMAT
from transfer_explorer.engine.disk.safe_read import (
    check_file,
    copy_file,
    load_safetensors,
    read_json,
)
from transfer_explorer.engine.disk.temp_folders import (
    clean_stale,
    land_dir,
    make_temp_dir,
    sibling_pattern,
)
from transfer_explorer.engine.errors import UserError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.saved.artifacts import (
    HEAD,
    META,
    MODEL,
    TOKENIZER,
    quiet_transformers,
    usual_permissions,
)

CURVES_PNG = "curves.png"
ONNX_FILE = "model.onnx"
# Own encoders torch's ONNX exporter handles (BiLSTM's packed sequences it does not).
ONNX_ENCODERS = ("transformer", "mean")


@dataclass
class ExportResult:
    folder: Path
    kind: str  # "sentence-transformers", "cross-encoder" or "transfer-explorer"
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def export_model(run: dict, curves: dict, target: str | Path, onnx: bool = False) -> ExportResult:
    """Write run ``run`` (a store row) into the new folder ``target``."""
    target = Path(target).expanduser()
    folder = check_target(target)  # where it lands: target, or the folder its link points at
    if run["status"] != "finished":
        raise UserError(
            _("run {run} is {status}; only a finished run has a model to export").format(
                run=run["id"], status=run["status"]
            )
        )
    source = Path(run.get("artifacts") or "")
    settings = _("a run's model settings (model.json)")
    if check_file(source / META, settings) is None:
        raise UserError(
            _("run {run}: its saved model is missing ({path})").format(run=run["id"], path=source)
        )
    try:
        meta = read_json(source / META, settings)
    except (OSError, ValueError) as exc:
        raise UserError(
            _("run {run}: its saved model is damaged ({path}: {error})").format(
                run=run["id"],
                path=source / META,
                error=getattr(exc, "strerror", None) or _("not valid JSON"),
            )
        ) from None
    clean_stale(folder.parent, sibling_pattern(folder.name))  # killed exports' leftovers
    try:
        temp = make_temp_dir(folder.parent, f".{folder.name}.")
    except OSError as exc:
        raise UserError(
            _("--model {target}: cannot write in {folder} ({error})").format(
                target=target, folder=folder.parent, error=exc.strerror or exc
            )
        ) from None
    work = temp.path
    try:
        if meta.get("kind") == CHECKPOINT_FORMAT:
            result = _export_checkpoint_run(source, meta, work)
        else:
            result = _export_own_run(source, meta, work, onnx)
        if onnx and meta.get("kind") == CHECKPOINT_FORMAT:
            result.notes.append(
                _(
                    "ONNX: sentence-transformers exports this folder itself "
                    "(SentenceTransformer(folder, backend='onnx'))"
                )
            )
        _write_card(run, meta, curves, work, result)
        usual_permissions(work)
        _land(temp, folder, target)
    except BaseException:
        temp.discard()
        raise
    result.folder = target
    result.files = sorted(
        p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()
    )
    return result


def _land(temp, folder: Path, target: Path) -> None:
    """The written folder into place, in one rename: onto nothing or an empty folder."""
    if os.name == "nt":  # Windows renames onto nothing only: the empty folder goes first
        try:
            folder.rmdir()  # only ever removes an empty one
        except OSError:
            pass
    try:
        land_dir(temp, folder)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            raise UserError(
                _(
                    "--model {target}: no longer a new or empty folder — another "
                    "export wrote it meanwhile; nothing was changed"
                ).format(target=target)
            ) from None
        raise UserError(
            _(
                "--model {target}: cannot put the folder in place ({error}); nothing was changed"
            ).format(target=target, error=exc.strerror or exc)
        ) from None


def check_target(target: Path) -> Path:
    """Refuse a target that is not a new or an empty folder (one line); returns the folder
    to write — ``target``, or the empty folder a symbolic link ``target`` points at."""
    target = Path(target)
    try:
        folder = _link_destination(target) if target.is_symlink() else target
        if folder is target and target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise UserError(
                _(
                    "--model {target}: already exists and is not an empty folder; give a new folder"
                ).format(target=target)
            )
        if not folder.parent.is_dir():
            raise UserError(
                _("--model {target}: the folder {folder} does not exist").format(
                    target=target, folder=folder.parent
                )
            )
    except OSError as exc:  # permission denied on the way, a name too long, ...
        raise UserError(
            _("--model {target}: cannot look at it ({error})").format(
                target=target, error=exc.strerror or exc
            )
        ) from None
    return folder


def _link_destination(target: Path) -> Path:
    """The empty folder the symbolic link ``target`` points at; anything else is refused."""
    link = os.readlink(target)
    try:
        folder = Path(os.path.realpath(target, strict=True))
    except OSError:  # dangling, or a loop of links
        raise UserError(
            _(
                "--model {target}: a symbolic link to {link}, which does not exist; "
                "give a new folder, or a link to an empty folder"
            ).format(target=target, link=link)
        ) from None
    if not folder.is_dir():
        raise UserError(
            _(
                "--model {target}: a symbolic link to {link}, which is a file; "
                "give a new folder, or a link to an empty folder"
            ).format(target=target, link=folder)
        )
    if any(folder.iterdir()):
        raise UserError(
            _(
                "--model {target}: a symbolic link to {link}, which is not an "
                "empty folder; give a new folder, or a link to an empty folder"
            ).format(target=target, link=folder)
        )
    return folder


# ---- Hugging Face checkpoints → sentence-transformers -------------------------------------


def _export_checkpoint_run(source: Path, meta: dict, work: Path) -> ExportResult:
    try:
        from sentence_transformers import CrossEncoder, SentenceTransformer
        from sentence_transformers.base.modules import Dense, Transformer
        from sentence_transformers.sentence_transformer.modules import Pooling
    except ImportError:
        raise UserError(
            _(
                "exporting a checkpoint run needs sentence-transformers 6 or later: "
                "pip install 'transfer-explorer[bench]'"
            )
        ) from None
    import torch

    from transfer_explorer.engine.models.hf import check_checkpoint_files, resolve_model_name

    encoder = (
        str(source / meta.get("encoder_folder", "encoder"))
        if meta["encoder_saved"]
        else resolve_model_name(meta["checkpoint"])
    )
    check_checkpoint_files(encoder)  # sentence-transformers opens them: a FIFO would block
    pooling = "cls" if meta["pooling"] == "cls" else "mean"
    cross = meta.get("head") == "cross"
    max_length = meta["max_length"]
    with quiet_transformers():
        transformer = Transformer(encoder, max_seq_length=max_length)
    if cross:
        transformer.max_seq_length = _pair_length(transformer, max_length)
        if getattr(transformer.auto_model.config, "type_vocab_size", 0) > 1:
            # the app feeds segment ids (0 for the first sentence, 1 for the second), as
            # BERT was pre-trained; a tokenizer that does not list them would drop them
            transformer.processing_kwargs = {"text": {"return_token_type_ids": True}}
    dim = transformer.get_embedding_dimension()
    pool = Pooling(dim, pooling_mode=pooling)
    head = load_safetensors(source / HEAD, _("the model's head weights"))
    if cross:
        weight, bias = head["head.weight"], head["head.bias"]
        score = Dense(
            dim,
            weight.shape[0],
            activation_function=torch.nn.Identity(),
            init_weight=weight,
            init_bias=bias,
            module_output_name="scores",
        )
        regression = meta["task"] == "regression"
        model = CrossEncoder(
            modules=[transformer, pool, score],
            activation_fn=torch.nn.Sigmoid() if regression else torch.nn.Identity(),
            device="cpu",
        )
        kind = "cross-encoder"
    else:
        model = SentenceTransformer(
            modules=[transformer, pool], device="cpu", similarity_fn_name="cosine"
        )
        kind = "sentence-transformers"
    with quiet_transformers():
        model.save(str(work))
    (work / "README.md").unlink(missing_ok=True)  # our card replaces the library's generic one
    _copy(source, work, HEAD)
    meta = {**meta, "encoder_saved": True, "encoder_folder": ".", "exported_as": kind}
    (work / META).write_text(json.dumps(meta, indent=1), encoding="utf-8")
    notes = []
    if meta.get("head") == "bi":
        notes.append(
            _(
                "the MLP head on [u, v, |u-v|, u*v] has no sentence-transformers module: "
                "SentenceTransformer(folder) gives the trained embeddings and cosine; "
                "transfer_explorer.load_model(folder) gives the head's scores"
            )
        )
    return ExportResult(work, kind, notes=notes)


def _copy(source: Path, work: Path, name: str) -> None:
    """One file of the run's folder into the export; a FIFO or device there is refused."""
    try:
        copy_file(
            source / name, work / name, _("a file of a run's model ({name})").format(name=name)
        )
    except FileNotFoundError:
        raise UserError(
            _("{path}: the saved model is incomplete ({name} is missing)").format(
                path=source, name=name
            )
        ) from None


def _pair_length(transformer, max_length: int) -> int:
    """The pair length the app trained with: two sentences, within the checkpoint's positions."""
    from transfer_explorer.engine.codec import _positions

    limit = _positions(
        transformer.tokenizer,
        getattr(transformer.auto_model.config, "max_position_embeddings", None),
    )
    return 2 * max_length if limit is None else min(2 * max_length, limit)


# ---- the project's own encoders ------------------------------------------------------------


def _export_own_run(source: Path, meta: dict, work: Path, onnx: bool) -> ExportResult:
    for name in (MODEL, TOKENIZER, META):
        _copy(source, work, name)
    result = ExportResult(work, "transfer-explorer")
    if onnx:
        result.notes.append(_export_onnx(work, meta))
    return result


def _export_onnx(work: Path, meta: dict) -> str:
    """``model.onnx``: (ids1, mask1, ids2, mask2) → the head's output, dynamic batch and length."""
    kind = meta["encoder"]["kind"]
    if kind not in ONNX_ENCODERS:
        return _(
            "ONNX: not written — torch's exporter does not handle the {kind} encoder "
            "(it does: {supported})"
        ).format(kind=kind, supported=", ".join(ONNX_ENCODERS))
    try:
        import onnxscript  # noqa: F401  torch's exporter needs it
    except ImportError:
        raise UserError(
            _("--onnx needs onnx and onnxscript: pip install 'transfer-explorer[onnx]'")
        ) from None
    import torch

    from transfer_explorer.engine.batching import pad
    from transfer_explorer.engine.saved.artifacts import load_run_model

    model, codec, _meta = load_run_model(work)
    # example inputs of different lengths, so the two sentences keep their own length axis
    ids1, mask1 = pad(codec.encode(["a short sentence", "another"], 16), codec.pad_id)
    ids2, mask2 = pad(
        codec.encode(["and a longer one, with more words in it", "x"], 16), codec.pad_id
    )
    batch = torch.export.Dim("batch")
    first, second = torch.export.Dim("length1"), torch.export.Dim("length2")
    shapes = {
        "ids1": {0: batch, 1: first},
        "mask1": {0: batch, 1: first},
        "ids2": {0: batch, 1: second},
        "mask2": {0: batch, 1: second},
    }
    with warnings.catch_warnings():  # the exporter's notes on axis names are not the user's
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (ids1, mask1, ids2, mask2),
            str(work / ONNX_FILE),
            input_names=list(shapes),
            output_names=["score"],
            dynamic_shapes=shapes,
            dynamo=True,
            verbose=False,
        )
    return _("ONNX: {file} (inputs ids1, mask1, ids2, mask2; output the head's score 0–1)").format(
        file=ONNX_FILE
    )


# ---- the model card --------------------------------------------------------------------------


def _write_card(run: dict, meta: dict, curves: dict, work: Path, result: ExportResult) -> None:
    from transfer_explorer.engine.saved.card import curves_png, model_card

    drew = curves_png(curves, work / CURVES_PNG)
    (work / "README.md").write_text(
        model_card(run, meta, result.kind, result.notes, CURVES_PNG if drew else None),
        encoding="utf-8",
    )
