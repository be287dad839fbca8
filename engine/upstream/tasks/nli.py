"""Upstream ``nli``: natural-language inference, a task *related* to similarity.

Premise and hypothesis are read by the same bi-encoder as the downstream stage, and a
classifier on ``[u, v, |u−v|, u·v]`` says entailment, neutral or contradiction —
InferSent's and Sentence-BERT's recipe. The classifier is dropped at transfer; the
encoder, which has learned what two sentences share, is kept.
"""

from __future__ import annotations

import numpy as np

from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.upstream.task import RELATED_TASK, SENTENCE_PAIRS, TrainedTask

EVAL_BATCH = 256
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
    label = "natural-language inference (related task)"
    explanation = (
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
                f"the {self.name} upstream needs sentence pairs with a label "
                f"(entailment / neutral / contradiction); {corpus.name} has none"
            )

    def corpus_sentences(self, up, corpus) -> list[str]:
        train = pair_split(up, corpus, "train")
        return train.sentence1 + train.sentence2

    def corpus_fingerprint(self, corpus) -> str:
        return "|".join(corpus.fingerprint(split) for split in sorted(corpus.splits))

    def train(self, up, corpus, tokenizer, spec, ctx):
        import torch
        from torch.nn import functional as F

        from transfer_explorer.engine.batching import PairBatches
        from transfer_explorer.engine.training.context import seed_everything
        from transfer_explorer.engine.events import Prediction
        from transfer_explorer.engine.metrics import classification_metrics
        from transfer_explorer.engine.models import PairModel, build_encoder
        from transfer_explorer.engine.training.train import Evaluation, adamw, fit
        from transfer_explorer.engine.upstream.common import tokenize, upstream_fit_settings

        self.check_corpus(corpus)
        seed_everything(up.seed)
        train, dev = pair_split(up, corpus, "train"), pair_split(up, corpus, "dev")
        labels = corpus.num_labels
        model = PairModel(build_encoder(spec), labels, regression=False).to(ctx.device)

        def batches(part, size, shuffle):
            return PairBatches(
                tokenize(tokenizer, part.sentence1, spec.max_length),
                tokenize(tokenizer, part.sentence2, spec.max_length),
                part.targets,
                size,
                shuffle=shuffle,
                seed=up.seed,
            )

        train_batches = batches(train, up.batch_size, True)
        dev_batches = batches(dev, EVAL_BATCH, False)

        def loss_fn(m, batch):
            return F.cross_entropy(
                m(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"]), batch["target"]
            )

        @torch.no_grad()
        def evaluate() -> Evaluation:
            model.eval()
            pred = np.zeros(len(dev), dtype=np.int64)
            for batch in dev_batches.epoch():
                batch = batch.to(ctx.device)
                logits = model(batch["ids1"], batch["mask1"], batch["ids2"], batch["mask2"])
                pred[batch.index] = logits.argmax(-1).cpu().numpy()
            metrics = classification_metrics(dev.targets, pred, labels)
            shown = tuple(
                Prediction(a, b, float(g), float(p))
                for a, b, g, p in zip(
                    dev.sentence1[:500], dev.sentence2[:500], dev.targets[:500], pred[:500]
                )
            )
            return Evaluation(metrics, metrics["accuracy"], shown)

        result = fit(
            "upstream",
            model,
            adamw(model.parameters(), up.lr),
            train_batches,
            loss_fn,
            evaluate,
            upstream_fit_settings(self.epochs(up), len(train_batches)),
            ctx.emit,
            ctx.control,
            ctx.device,
        )
        metrics = dict(result.best.metrics) if result.best else {}
        return model.encoder.state_dict(), metrics


TASK = NaturalLanguageInference()
