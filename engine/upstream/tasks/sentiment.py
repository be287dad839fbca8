"""Upstream ``sentiment``: a supervised sentence classifier (e.g. SST-2, NSMC)."""
from __future__ import annotations

import numpy as np
import torch

from engine.batching import TextBatches
from engine.config import UpstreamConfig
from engine.context import StageContext, seed_everything
from engine.data.types import TextDataset
from engine.errors import DataError
from engine.events import Prediction
from engine.metrics import classification_metrics
from engine.models import SentimentModel, build_encoder
from engine.train import Evaluation, fit
from engine.upstream.common import adamw, corpus_split, tokenize, upstream_fit_settings

EVAL_BATCH = 256


def train_sentiment(cfg: UpstreamConfig, corpus: TextDataset, tokenizer, spec,
                    ctx: StageContext):
    if not corpus.labelled:
        raise DataError(f"the sentiment upstream needs labelled sentences; {corpus.name} has "
                        "no labels (use it with word2vec or mlm instead)")
    seed_everything(cfg.seed)
    train, dev = corpus_split(cfg, corpus, "train"), corpus_split(cfg, corpus, "dev")
    num_labels = max(len(corpus.label_names), int(train.labels.max()) + 1)
    model = SentimentModel(build_encoder(spec), num_labels).to(ctx.device)
    batches = TextBatches(tokenize(tokenizer, train.sentences, spec.max_length), train.labels,
                          cfg.batch_size, shuffle=True, seed=cfg.seed)
    dev_batches = TextBatches(tokenize(tokenizer, dev.sentences, spec.max_length), dev.labels,
                              EVAL_BATCH, shuffle=False)

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
        shown = [Prediction(s, "", float(g), float(p))
                 for s, g, p in zip(dev.sentences[:500], dev.labels[:500], pred[:500])]
        return Evaluation(metrics, metrics["accuracy"], tuple(shown))

    result = fit("upstream", model, adamw(model.parameters(), cfg.lr), batches, loss_fn,
                 evaluate, upstream_fit_settings(cfg, len(batches)), ctx.emit, ctx.control,
                 ctx.device)
    metrics = dict(result.best.metrics) if result.best else {}
    return model.encoder.state_dict(), "encoder", metrics
