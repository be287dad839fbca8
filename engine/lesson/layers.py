"""What a transfer keeps, drops and adds — read off the real models, not drawn by hand.

The upstream model (say the sentiment classifier: encoder + output layer) and the
downstream pair model (encoder + similarity head) are built with the experiment's encoder
settings; a block whose weights both hold is *kept* (copied from the upstream), one only
the upstream holds is *dropped*, one only the downstream holds is *new* (random weights).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from torch import nn

from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.i18n import N_, _

KEPT, DROPPED, NEW = "kept", "dropped", "new"
_NAMES = {
    "embedding": N_("word embeddings"),
    "position": N_("position embeddings"),
    "norm": N_("layer norm"),
    "lstm": N_("BiLSTM"),
    "classifier": N_("output layer"),
    "head": N_("similarity head"),
}


@dataclass(frozen=True)
class Block:
    key: str  # the module's path, e.g. "encoder.layers.0"
    weights: int  # how many numbers it holds
    fate: str  # kept | dropped | new (for the downstream: kept | new)

    @property
    def label(self) -> str:
        """'transformer layer 1', 'word embeddings', 'output layer' … in the language in use."""
        last = self.key.rsplit(".", 1)[-1]
        if last.isdigit():
            return _("transformer layer {n}").format(n=int(last) + 1)
        return _(_NAMES[last]) if last in _NAMES else last


def blocks(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The model's blocks with weights, in order: the encoder's parts (each layer of a
    stack on its own), then the heads."""
    out = []
    for name, child in model.named_children():
        if name == "encoder":
            out += [(f"encoder.{k}", m) for k, m in blocks(child)]
            continue
        if not any(True for _p in child.parameters()):
            continue
        stack = getattr(child, "layers", None)
        if isinstance(stack, nn.ModuleList):
            out += [(f"{name}.{i}", layer) for i, layer in enumerate(stack)]
        else:
            out.append((name, child))
    return out


def run_encoder(run: dict) -> dict | None:
    """The encoder a finished run of our own built (its real vocabulary size …), from the
    model.json beside its weights; None when it kept no model or is a checkpoint's."""
    from transfer_explorer.engine.disk.safe_read import read_json
    from transfer_explorer.engine.errors import UserError

    folder = run.get("artifacts")
    if not folder or not (Path(folder) / "model.json").is_file():
        return None
    try:
        encoder = read_json(Path(folder) / "model.json", "model.json").get("encoder")
    except (UserError, AttributeError):
        return None
    return encoder if isinstance(encoder, dict) else None


def step_encoder(store, rows: list[dict], control: str | None) -> dict | None:
    """The encoder a finished run among ``rows`` (a step's cells, as Store.cell_runs gives
    them) built, other than the control's — so the layers are counted with the vocabulary
    the step really used; None before any such run."""
    for row in reversed(rows):
        if row["arm"] == control:
            continue
        run = store.get_run(row["run_id"])
        encoder = run_encoder(run) if run else None
        if encoder:
            return encoder
    return None


def transfer_layers(
    config: ExperimentConfig, encoder: dict | None = None, num_labels: int = 2
) -> tuple[list[Block], list[Block]]:
    """(the sentiment model's blocks, the similarity model's blocks) for ``config``'s
    encoder — or ``encoder``, the one a run built (:func:`run_encoder`) — each with its
    fate in the transfer."""
    from transfer_explorer.engine.models import PairModel, SentimentModel, build_encoder
    from transfer_explorer.engine.models.encoders import EncoderSpec, encoder_spec

    try:
        spec = EncoderSpec(**encoder) if encoder else None
    except TypeError:  # written by another version
        spec = None
    if spec is None:
        spec = encoder_spec(
            config.model.encoder,
            config.model.size,
            config.model.vocab_size,
            config.model.max_length,
        )
    upstream = SentimentModel(build_encoder(spec), num_labels)
    downstream = PairModel(build_encoder(spec), 1, regression=True)
    up, down = dict(blocks(upstream)), dict(blocks(downstream))

    def count(module: nn.Module) -> int:
        return sum(p.numel() for p in module.parameters())

    return (
        [Block(k, count(m), KEPT if k in down else DROPPED) for k, m in up.items()],
        [Block(k, count(m), KEPT if k in up else NEW) for k, m in down.items()],
    )


def layers_reading(upstream: list[Block], downstream: list[Block]) -> str:
    """'4 blocks (1,2… weights) are copied …' — counted from the blocks."""
    kept = [b for b in upstream if b.fate == KEPT]
    dropped = [b for b in upstream if b.fate == DROPPED]
    new = [b for b in downstream if b.fate == NEW]
    return _(
        "The similarity model starts with the sentiment model's {kept} encoder blocks "
        "({kept_weights:,} weights, copied); the sentiment output layer ({dropped_weights:,} "
        "weights) is dropped, and the new similarity head ({new_weights:,} weights) starts "
        "from random ones."
    ).format(
        kept=len(kept),
        kept_weights=sum(b.weights for b in kept),
        dropped_weights=sum(b.weights for b in dropped),
        new_weights=sum(b.weights for b in new),
    )
