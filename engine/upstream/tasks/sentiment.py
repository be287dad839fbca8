"""Upstream ``sentiment``: a supervised sentence classifier (e.g. SST-2, NSMC).

A task *unrelated* to similarity: it shows what supervised pre-training on another
problem carries over (and what it does not).
"""

from __future__ import annotations

from transfer_explorer.engine.upstream.task import LABELLED_SENTENCES, UNRELATED_TASK, TrainedTask

EVAL_BATCH = 256


class Sentiment(TrainedTask):
    name = "sentiment"
    label = "sentiment analysis"
    explanation = (
        "The encoder first learns to classify sentences as positive or negative — "
        "a supervised task on other labelled data."
    )
    corpus = LABELLED_SENTENCES
    default_corpus = {"en": "sst2", "ko": "nsmc"}
    default_epochs = 1  # one pass is enough for a classifier to learn something
    family = UNRELATED_TASK
    order = 10

    def train(self, up, corpus, tokenizer, spec, ctx):
        import numpy as np
        import torch

        from transfer_explorer.engine.batching import TextBatches
        from transfer_explorer.engine.training.context import seed_everything
        from transfer_explorer.engine.events import Prediction
        from transfer_explorer.engine.metrics import classification_metrics
        from transfer_explorer.engine.models import SentimentModel, build_encoder
        from transfer_explorer.engine.training.train import Evaluation, adamw, fit
        from transfer_explorer.engine.upstream.common import (
            corpus_split,
            tokenize,
            upstream_fit_settings,
        )

        self.check_corpus(corpus)
        seed_everything(up.seed)
        train, dev = corpus_split(up, corpus, "train"), corpus_split(up, corpus, "dev")
        num_labels = max(len(corpus.label_names), int(train.labels.max()) + 1)
        model = SentimentModel(build_encoder(spec), num_labels).to(ctx.device)
        batches = TextBatches(
            tokenize(tokenizer, train.sentences, spec.max_length),
            train.labels,
            up.batch_size,
            shuffle=True,
            seed=up.seed,
        )
        dev_batches = TextBatches(
            tokenize(tokenizer, dev.sentences, spec.max_length),
            dev.labels,
            EVAL_BATCH,
            shuffle=False,
        )

        def loss_fn(m, batch):
            return torch.nn.functional.cross_entropy(m(batch["ids"], batch["mask"]), batch["label"])

        @torch.no_grad()
        def evaluate() -> Evaluation:
            model.eval()
            pred = np.zeros(len(dev), dtype=np.int64)
            for batch in dev_batches.epoch():
                batch = batch.to(ctx.device)
                pred[batch.index] = model(batch["ids"], batch["mask"]).argmax(-1).cpu().numpy()
            metrics = classification_metrics(dev.labels, pred, num_labels)
            shown = [
                Prediction(s, "", float(g), float(p))
                for s, g, p in zip(dev.sentences[:500], dev.labels[:500], pred[:500])
            ]
            return Evaluation(metrics, metrics["accuracy"], tuple(shown))

        result = fit(
            "upstream",
            model,
            adamw(model.parameters(), up.lr),
            batches,
            loss_fn,
            evaluate,
            upstream_fit_settings(self.epochs(up), len(batches)),
            ctx.emit,
            ctx.control,
            ctx.device,
        )
        metrics = dict(result.best.metrics) if result.best else {}
        return model.encoder.state_dict(), metrics


TASK = Sentiment()
