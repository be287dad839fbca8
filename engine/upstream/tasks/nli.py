"""Upstream ``nli``: natural-language inference, a task *related* to similarity.

Premise and hypothesis are read by the same bi-encoder as the downstream stage, and a
classifier on ``[u, v, |u−v|, u·v]`` says entailment, neutral or contradiction —
InferSent's and Sentence-BERT's recipe. The classifier is dropped at transfer; the
encoder, which has learned what two sentences share, is kept.
"""

from __future__ import annotations

import numpy as np

from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.upstream.task import RELATED_TASK, SENTENCE_PAIRS, TrainedTask

MAX_DEV_PAIRS = 2000


def pair_split(up, corpus, split: str):
    """The train pairs capped at ``max_sentences`` (a seeded sample); dev capped for speed."""
    part = corpus.splits[split]
    cap = up.max_sentences if split == "train" else MAX_DEV_PAIRS
    if cap is None or len(part) <= cap:
        return part
    return part.subset(
        np.sort(np.random.default_rng(up.seed).choice(len(part), cap, replace=False))
    )


class NaturalLanguageInference(TrainedTask):
    name = "nli"
    label = N_("natural-language inference (related task)")
    explanation = N_(
        "The encoder first learns whether one sentence follows from another, "
        "contradicts it or neither — a supervised task on sentence pairs, closely "
        "related to similarity (InferSent / Sentence-BERT's recipe). Compare it "
        "with sentiment, an unrelated task."
    )
    corpus = SENTENCE_PAIRS
    default_corpus = {"en": "nli", "ko": "kornli"}
    default_epochs = 1
    family = RELATED_TASK
    order = 15

    def corpus_name(self, up):
        return up.data or "demo-nli"

    def corpus_for(self, language: str) -> str:
        return self.default_corpus.get(language, "demo-nli")

    def load_corpus(self, up, root, progress=None):
        from transfer_explorer.engine.data import load_pairs

        return load_pairs(self.corpus_name(up), root, progress=progress)

    def check_corpus(self, corpus) -> None:
        if getattr(corpus, "task", None) != "classification" or corpus.num_labels < 2:
            raise DataError(
                _(
                    "the {task} upstream needs sentence pairs with a label "
                    "(entailment / neutral / contradiction); {corpus} has none"
                ).format(task=self.name, corpus=corpus.name)
            )

    def corpus_sentences(self, up, corpus) -> list[str]:
        train = pair_split(up, corpus, "train")
        return train.sentence1 + train.sentence2

    def corpus_fingerprint(self, corpus) -> str:
        return "|".join(corpus.fingerprint(split) for split in sorted(corpus.splits))

    eval_batch = 256

    def splits(self, up, corpus):
        return pair_split(up, corpus, "train"), pair_split(up, corpus, "dev")

    def batches(self, up, tokenizer, spec, train, dev):
        from transfer_explorer.engine.batching import PairBatches
        from transfer_explorer.engine.upstream.common import tokenize

        def pairs(part, size, shuffle):
            return PairBatches(
                tokenize(tokenizer, part.sentence1, spec.max_length),
                tokenize(tokenizer, part.sentence2, spec.max_length),
                part.targets,
                size,
                shuffle=shuffle,
                seed=up.seed,
            )

        return pairs(train, up.batch_size, True), pairs(dev, self.eval_batch, False)

    def build_model(self, spec, corpus, train):
        from transfer_explorer.engine.models import PairModel, build_encoder

        return PairModel(build_encoder(spec), corpus.num_labels, regression=False)

    def loss(self, model, batch, spec):
        from torch.nn import functional as F

        logits = model(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"])
        return F.cross_entropy(logits, batch["target"])

    def evaluate(self, model, corpus, dev, dev_batches, spec, ctx):
        from transfer_explorer.engine.events import Prediction
        from transfer_explorer.engine.metrics import classification_metrics
        from transfer_explorer.engine.training.train import Evaluation

        pred = np.zeros(len(dev), dtype=np.int64)
        for batch in dev_batches.epoch():
            batch = batch.to(ctx.device)
            logits = model(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"])
            pred[batch.index] = logits.argmax(-1).cpu().numpy()
        metrics = classification_metrics(dev.targets, pred, corpus.num_labels)
        shown = tuple(
            Prediction(a, b, float(g), float(p))
            for a, b, g, p in zip(
                dev.sentence1[:500], dev.sentence2[:500], dev.targets[:500], pred[:500]
            )
        )
        return Evaluation(metrics, metrics["accuracy"], shown)


TASK = NaturalLanguageInference()
