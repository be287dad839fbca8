"""Upstream ``sentiment``: a supervised sentence classifier (e.g. SST-2, NSMC).

A task *unrelated* to similarity: it shows what supervised pre-training on another
problem carries over (and what it does not).
"""

from __future__ import annotations

from transfer_explorer.engine.i18n import N_
from transfer_explorer.engine.upstream.task import LABELLED_SENTENCES, UNRELATED_TASK, TrainedTask


class Sentiment(TrainedTask):
    name = "sentiment"
    label = N_("sentiment analysis")
    explanation = N_(
        "The encoder first learns to classify sentences as positive or negative — "
        "a supervised task on other labelled data."
    )
    corpus = LABELLED_SENTENCES
    default_corpus = {"en": "sst2", "ko": "nsmc"}
    default_epochs = 1  # one pass is enough for a classifier to learn something
    family = UNRELATED_TASK
    order = 10

    eval_batch = 256

    def build_model(self, spec, corpus, train):
        from transfer_explorer.engine.models import SentimentModel, build_encoder

        num_labels = max(len(corpus.label_names), int(train.labels.max()) + 1)
        return SentimentModel(build_encoder(spec), num_labels)

    def loss(self, model, batch, spec):
        import torch

        logits = model(batch["ids"], batch["mask"])
        return torch.nn.functional.cross_entropy(logits, batch["label"])

    def evaluate(self, model, corpus, dev, dev_batches, spec, ctx):
        import numpy as np

        from transfer_explorer.engine.events import Prediction
        from transfer_explorer.engine.metrics import classification_metrics
        from transfer_explorer.engine.training.train import Evaluation

        pred = np.zeros(len(dev), dtype=np.int64)
        for batch in dev_batches.epoch():
            batch = batch.to(ctx.device)
            pred[batch.index] = model(batch["ids"], batch["mask"]).argmax(-1).cpu().numpy()
        metrics = classification_metrics(dev.labels, pred, model.classifier.out_features)
        shown = [
            Prediction(s, "", float(g), float(p))
            for s, g, p in zip(dev.sentences[:500], dev.labels[:500], pred[:500])
        ]
        return Evaluation(metrics, metrics["accuracy"], tuple(shown))


TASK = Sentiment()
