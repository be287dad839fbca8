"""What an upstream task is: one object carries everything the app knows about it.

The runner, settings validation, the CLI, sweeps and the window ask a task (found through
:mod:`engine.upstream.registry`) instead of comparing its name. A module under
``engine/upstream/tasks/`` that defines ``TASK`` is a task: adding a task is adding a file.

Task modules import torch, gensim and friends inside their methods, so reading the
registry (``--help``, validating settings, the window's choices) stays light.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from transfer_explorer.engine.config import ENCODERS, TRAINING_METHODS
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.events import Log, StageFinished, StageStarted
from transfer_explorer.engine.i18n import N_, _

if TYPE_CHECKING:  # pragma: no cover
    import torch

    from transfer_explorer.engine.config import ExperimentConfig, UpstreamConfig
    from transfer_explorer.engine.data.types import PairDataset, TextDataset
    from transfer_explorer.engine.models.encoders import EncoderSpec
    from transfer_explorer.engine.training.context import StageContext

# What a task learns from; the window shows the matching source widget for each kind.
NO_CORPUS = "nothing"
LABELLED_SENTENCES = "labelled sentences"
SENTENCE_PAIRS = "labelled sentence pairs"
UNLABELLED_TEXT = "unlabelled text"
CHECKPOINT = "a pre-trained checkpoint"  # kept in ``upstream.model``
WORD_VECTORS = "pre-trained word vectors"  # kept in ``upstream.data``
TEXT_CORPORA = (LABELLED_SENTENCES, SENTENCE_PAIRS, UNLABELLED_TEXT)

DEMO_CORPUS = "demo"  # bundled and offline: the corpus when none is named

# Families of pre-training, the words the lesson compares (UpstreamTask.family). They are
# also keys (the lesson compares families), so they stay English; family_label() reads them.
RANDOM_INIT, RELATED_TASK = N_("random init"), N_("a related task")
UNRELATED_TASK = N_("an unrelated task")
BERT_STYLE, GPT_STYLE = N_("BERT-style"), N_("GPT-style")
WORD_VECTOR_FAMILY, LARGE_MODEL = N_("word vectors"), N_("a large pre-trained model")


def _either(names: list[str]) -> str:
    """'a or b or c', in the language in use."""
    said = names[0] if names else ""
    for name in names[1:]:
        # TRANSLATORS: choices in a list, "mlm or causal-lm"; used repeatedly for longer lists
        said = _("{first} or {second}").format(first=said, second=name)
    return said


def family_label(family: str) -> str:
    """A family of pre-training (UpstreamTask.family) in the language in use."""
    return _(family) if family else ""


class Translated:
    """A task's text attribute (``label``, ``explanation``) written in English and read in
    the language in use: ``task.label`` translates; ``Translated.english(task, "label")``
    gives the English as written. UpstreamTask wraps its subclasses' plain strings in it."""

    def __init__(self, english: str):
        self.text = english

    def __get__(self, obj, owner=None) -> str:
        return _(self.text)

    @staticmethod
    def english(task, attribute: str) -> str:
        for klass in type(task).__mro__:
            value = klass.__dict__.get(attribute)
            if isinstance(value, Translated):
                return value.text
            if isinstance(value, str):
                return value
        return ""


@dataclass
class UpstreamResult:
    """What the transfer step receives: weights (or none), what they cover, how they came."""

    task: str
    key: str = ""
    encoder_state: dict[str, torch.Tensor] | None = None  # None: random (Glorot) init
    scope: str = "encoder"  # what was pre-trained: "encoder" or "embedding"
    metrics: dict = field(default_factory=dict)
    cached: bool = False
    path: Path | None = None
    seconds: float = 0.0
    module: Any = None  # a checkpoint's encoder itself (torch.nn.Module)


@dataclass
class PreparedData:
    """The datasets of one experiment, read and checked before the run is recorded."""

    downstream: PairDataset
    corpus: TextDataset | None


@dataclass
class UpstreamRun:
    """What a task's steps share within one run; the tokenizer step fills the middle part."""

    config: ExperimentConfig
    data: PreparedData
    ctx: StageContext
    store: Any = None
    preloaded: Any = None  # what ``preload`` returned before the run existed
    codec: Any = None  # text -> ids for both stages
    tokenizer_key: str = ""
    spec: EncoderSpec | None = None  # our encoder's shape (None: the checkpoint's own)
    max_length: int = 0
    loaded: UpstreamResult | None = None  # an upstream in hand already (a checkpoint)

    def own_spec(self) -> EncoderSpec:
        """Our encoder's shape, which the tokenizer step sets (a checkpoint has none)."""
        if self.spec is None:
            raise RuntimeError("our encoder's shape is set by the tokenizer step, not yet run")
        return self.spec

    def corpus(self) -> TextDataset:
        """The upstream corpus (a task that learns from one has it read before the run)."""
        if self.data.corpus is None:
            raise RuntimeError("this upstream task learns from a corpus, and none was read")
        return self.data.corpus


class UpstreamTask:
    """One upstream task. Subclasses set the class attributes and override the steps."""

    name: ClassVar[str]
    label: ClassVar[str]  # the window's choice
    explanation: ClassVar[str]  # plain words, for the explanation box
    corpus: ClassVar[str]  # what it learns from (a kind above)
    default_corpus: ClassVar[Mapping[str, str]] = {}  # language -> corpus, for presets/window
    default_epochs: ClassVar[int] = 0
    methods: ClassVar[tuple[str, ...]] = TRAINING_METHODS
    encoders: ClassVar[tuple[str, ...] | None] = ENCODERS  # None: it brings its own model
    control: ClassVar[bool] = False  # random init: the baseline every arm is judged against
    trains: ClassVar[bool] = False  # trained here (and cached) rather than loaded
    pretrained: ClassVar[bool] = False  # loads weights others trained
    checkpoint: ClassVar[bool] = False  # a large pre-trained model: small lr, warm-up, cosine
    cross_encoder: ClassVar[bool] = False  # can read a pair as one sequence
    scope: ClassVar[str] = "encoder"  # what it pre-trains: "encoder" or "embedding"
    poolings: ClassVar[tuple[str, ...]] = ()  # sentence-vector choices it offers (config.POOLINGS)
    tokenizer_kind: ClassVar[str] = "bpe"
    method_notes: ClassVar[Mapping[str, str]] = {}  # extra explanation per method
    family: ClassVar[str] = ""  # what kind of pre-training, in the lesson's words:
    # "a related task", "BERT-style", "GPT-style" …
    order: ClassVar[int] = 100  # position in lists

    def __init_subclass__(cls, **kwargs):
        """``label`` and ``explanation``, written as plain English class attributes, read in
        the language in use (mark them with N_ so they are extracted)."""
        super().__init_subclass__(**kwargs)
        for attribute in ("label", "explanation"):
            value = cls.__dict__.get(attribute)
            if isinstance(value, str):
                setattr(cls, attribute, Translated(value))

    @property
    def family_label(self) -> str:
        """This task's family of pre-training ("a related task" …) in the language in use."""
        return family_label(self.family)

    def __repr__(self) -> str:
        return f"<upstream task {self.name}>"

    def __reduce__(self):  # pickled by name: worker processes use their own registry
        from transfer_explorer.engine.upstream.registry import get_task

        return get_task, (self.name,)

    # ---- settings -----------------------------------------------------------------------------
    def check(self, config: ExperimentConfig) -> None:
        """Refuse settings only this task cannot use (the generic rules live in config)."""

    def epochs(self, up: UpstreamConfig) -> int:
        return self.default_epochs if up.epochs is None else up.epochs

    def corpus_name(self, up: UpstreamConfig) -> str | None:
        """The text corpus this task reads (None: it reads none)."""
        if self.corpus in TEXT_CORPORA:
            return up.data or DEMO_CORPUS
        return None

    def corpus_for(self, language: str) -> str:
        """The usual corpus for a downstream language (the demo when the task has none)."""
        return self.default_corpus.get(language, DEMO_CORPUS)

    def source(self, up: UpstreamConfig) -> str:
        """What it learned from, short (labels, run lists)."""
        return self.corpus_name(up) or ""

    def model_name(self, up: UpstreamConfig) -> str:
        """The model the run uses when it brings its own (a checkpoint's short name)."""
        return ""

    def choices(self) -> list[tuple[str, str]]:
        """Sources worth offering in the window: (value, note)."""
        return []

    def method_note(self, method: str) -> str:
        """One sentence on what ``method`` means with this task."""
        if method in self.method_notes:
            return _(self.method_notes[method])
        if method == "scratch" and not self.control:
            return _("The upstream is not used; only its tokenizer is shared.")
        if method == "feature" and self.scope == "embedding":
            return _("Here that means frozen word vectors; the encoder above them still trains.")
        if method == "feature":
            return _("Each sentence is encoded once, so training only the head is fast.")
        return ""

    # ---- before the run exists ----------------------------------------------------------------
    def load_corpus(self, up: UpstreamConfig, root: str | None, progress=None):
        """Read the corpus (``check_corpus`` then says whether this task can use it)."""
        from transfer_explorer.engine.data import load_texts

        name = self.corpus_name(up)
        if name is None:
            return None
        return load_texts(name, root, progress=progress)

    def check_corpus(self, corpus: TextDataset) -> None:
        if self.corpus == LABELLED_SENTENCES and not corpus.labelled:
            from transfer_explorer.engine.upstream.registry import tasks

            others = [t.name for t in tasks() if t.corpus == UNLABELLED_TEXT]
            raise DataError(
                _(
                    "the {task} upstream needs labelled sentences; {corpus} has none "
                    "(use it with {others} instead)"
                ).format(task=self.name, corpus=corpus.name, others=_either(others))
            )

    def corpus_sentences(self, up: UpstreamConfig, corpus) -> list[str]:
        """The corpus text the shared tokenizer learns from."""
        from transfer_explorer.engine.upstream.common import corpus_split

        return corpus_split(up, corpus, "train").sentences

    def corpus_fingerprint(self, corpus) -> str:
        """What identifies the corpus's content (part of the cache keys)."""
        return corpus.fingerprint()

    def preload(self, config: ExperimentConfig) -> Any:
        """Load (or check) what can be refused before the run is recorded."""
        return None

    # ---- the run's steps ----------------------------------------------------------------------
    def encode_text(self, run: UpstreamRun) -> None:
        """Text → ids for both stages, and the encoder's shape: a tokenizer trained on the
        upstream corpus plus the downstream training text (the scratch control shares it)."""
        from transfer_explorer.engine.codec import own_codec
        from transfer_explorer.engine.models.encoders import encoder_spec

        config = run.config
        run.codec, run.tokenizer_key = own_codec(config, run.data, run.ctx, self.tokenizer_kind)
        # zero-shot on our own encoders: a sentence is the average of its word vectors
        kind = "mean" if config.method == "zero-shot" else config.model.encoder
        run.spec = encoder_spec(
            kind,
            config.model.size,
            run.codec.vocab_size,
            config.model.max_length,
            self.embedding_dim(config.upstream),
            **self.encoder_options(config),
        )
        run.max_length = run.spec.max_length

    def embedding_dim(self, up: UpstreamConfig) -> int:
        """The embedding width this task dictates (0: the encoder size's own)."""
        return 0

    def encoder_options(self, config: ExperimentConfig) -> dict:
        """How the task shapes our encoder (causal attention, pooling) — for every method,
        so the scratch control has the same architecture."""
        return {}

    def prepare(self, run: UpstreamRun) -> UpstreamResult:
        """The upstream result for the transfer step (scratch only borrows the tokenizer)."""
        if run.config.method == "scratch" and not self.control:
            run.ctx.emit(
                Log(
                    _(
                        "scratch: the upstream is not used (random init); "
                        "only its tokenizer is shared"
                    )
                )
            )
            return UpstreamResult(self.name)
        return self.build(run)

    def build(self, run: UpstreamRun) -> UpstreamResult:
        raise NotImplementedError

    def feature_cache_key(self, config: ExperimentConfig) -> str | None:
        """A key under which frozen features may be cached across runs (None: don't)."""
        return None


CODE_VERSION = "3"  # bump when an upstream's training changes meaningfully (3: exact vocabulary)


class TrainedTask(UpstreamTask):
    """A task trained here on a corpus, and cached on disk by a hash of everything it used."""

    trains = True

    def build(self, run: UpstreamRun) -> UpstreamResult:
        from transfer_explorer.engine.text import vocabulary_fingerprint
        from transfer_explorer.engine.upstream import cache

        up, ctx, corpus, spec = run.config.upstream, run.ctx, run.corpus(), run.own_spec()
        # the exact vocabulary, not just the corpus it came from: weights index its rows
        key = self.cache_key(
            up,
            spec,
            vocabulary_fingerprint(run.codec.tokenizer),
            self.corpus_fingerprint(corpus),
        )
        hit = cache.load(ctx.cache_dir, key)
        if hit is not None:
            state, meta = hit
            ctx.emit(
                StageStarted(
                    "upstream",
                    0,
                    0,
                    cached=True,
                    description=_("{task} on {corpus} (cached)").format(
                        task=self.name, corpus=corpus.name
                    ),
                )
            )
            ctx.emit(
                Log(
                    _(
                        "upstream {task} on {corpus} loaded from the cache "
                        "(trained in {seconds:.0f} s, key {key})"
                    ).format(
                        task=self.name, corpus=corpus.name, seconds=meta.get("seconds", 0), key=key
                    )
                )
            )
            ctx.emit(StageFinished("upstream", meta.get("metrics", {}), cached=True))
            return UpstreamResult(
                self.name,
                key,
                state,
                meta["scope"],
                meta.get("metrics", {}),
                True,
                cache.entry_dir(ctx.cache_dir, key),
                meta.get("seconds", 0),
            )
        started = time.perf_counter()
        state, metrics = self.train(up, corpus, run.codec.tokenizer, spec, ctx)
        seconds = time.perf_counter() - started
        meta = {
            "task": self.name,
            "data": corpus.name,
            "scope": self.scope,
            "metrics": metrics,
            "seconds": seconds,
            "encoder": spec.to_dict(),
        }
        path = cache.save(ctx.cache_dir, key, state, meta)
        if run.store is not None:
            run.store.record_upstream(
                key, self.name, corpus.name, str(path), spec.to_dict(), metrics, seconds
            )
        ctx.emit(StageFinished("upstream", metrics, cached=False, seconds=seconds))
        return UpstreamResult(self.name, key, state, self.scope, metrics, False, path, seconds)

    def cache_key(
        self, up: UpstreamConfig, spec: EncoderSpec, vocabulary: str, corpus_fingerprint: str
    ) -> str:
        """Everything the trained weights depend on; ``vocabulary`` fixes the token ids."""
        import hashlib
        import json

        payload = {
            "task": self.name,
            "epochs": self.epochs(up),
            "batch_size": up.batch_size,
            "lr": up.lr,
            "max_sentences": up.max_sentences,
            "seed": up.seed,
            "encoder": spec.to_dict(),
            "tokenizer": vocabulary,
            "data": corpus_fingerprint,
            "version": CODE_VERSION,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:20]

    # ---- training: the steps every trained upstream shares -----------------------------------
    eval_batch = 128  # dev sentences (or pairs) per evaluation batch

    def train(
        self,
        up: UpstreamConfig,
        corpus: TextDataset,
        tokenizer,
        spec: EncoderSpec,
        ctx: StageContext,
    ) -> tuple[dict, dict]:
        """Train on ``corpus``; returns (the pre-trained weights of ``scope``, dev metrics).

        The steps every task shares, in an order that fixes the random streams (the model's
        initial weights are drawn right after seeding): check the corpus, seed, split, build
        the task's model, batch, then ``fit`` with four dev evaluations an epoch. A task says
        only what is its own — :meth:`build_model`, :meth:`loss`, :meth:`evaluate` — and,
        for data other than sentences, :meth:`splits` and :meth:`batches`. (A task trained
        by another library, word2vec, overrides ``train`` itself.)"""
        import torch

        from transfer_explorer.engine.training.context import seed_everything
        from transfer_explorer.engine.training.train import adamw, fit
        from transfer_explorer.engine.upstream.common import upstream_fit_settings

        self.check_corpus(corpus)
        seed_everything(up.seed)
        train, dev = self.splits(up, corpus)
        model = self.build_model(spec, corpus, train).to(ctx.device)
        train_batches, dev_batches = self.batches(up, tokenizer, spec, train, dev)

        @torch.no_grad()
        def evaluate():
            model.eval()
            return self.evaluate(model, corpus, dev, dev_batches, spec, ctx)

        result = fit(
            "upstream",
            model,
            adamw(model.parameters(), up.lr),
            train_batches,
            lambda m, batch: self.loss(m, batch, spec),
            evaluate,
            upstream_fit_settings(self.epochs(up), len(train_batches)),
            ctx.emit,
            ctx.control,
            ctx.device,
        )
        metrics = dict(result.best.metrics) if result.best else {}
        return model.encoder.state_dict(), metrics

    def splits(self, up: UpstreamConfig, corpus):
        """(train, dev): the train split capped at ``max_sentences``, dev capped for speed."""
        from transfer_explorer.engine.upstream.common import corpus_split

        return corpus_split(up, corpus, "train"), corpus_split(up, corpus, "dev")

    def batches(self, up: UpstreamConfig, tokenizer, spec: EncoderSpec, train, dev):
        """(train batches, shuffled with the upstream's seed; dev batches, in order) of
        sentences, with their labels when the corpus has them."""
        from transfer_explorer.engine.batching import TextBatches
        from transfer_explorer.engine.upstream.common import tokenize

        def text(part, size: int, shuffle: bool):
            return TextBatches(
                tokenize(tokenizer, part.sentences, spec.max_length),
                part.labels if self.corpus == LABELLED_SENTENCES else None,
                size,
                shuffle=shuffle,
                seed=up.seed if shuffle else 0,  # (as before: dev batches keep their order)
            )

        return text(train, up.batch_size, True), text(dev, self.eval_batch, False)

    def build_model(self, spec: EncoderSpec, corpus, train):
        """The task's model: our encoder (``build_encoder(spec)``) under the task's head."""
        raise NotImplementedError

    def loss(self, model, batch, spec: EncoderSpec):
        """The training loss of one batch (a scalar tensor)."""
        raise NotImplementedError

    def evaluate(self, model, corpus, dev, dev_batches, spec: EncoderSpec, ctx: StageContext):
        """The dev metrics (an ``Evaluation``: metrics, the score to keep the best by,
        sample predictions); called in eval mode, without gradients."""
        raise NotImplementedError
