"""Upstream ``causal-lm``: next-token prediction on unlabelled text (GPT's recipe).

The Transformer reads under a causal mask — each token sees only those before it — and
keeps that mask downstream, as GPT does when fine-tuned. On a BiLSTM the two directions
become a forward and a backward language model (ELMo's recipe, the classic feature-based
pre-training). The output layer is tied to the input embeddings and dropped at transfer.
"""

from __future__ import annotations

import math

from transfer_explorer.engine.upstream.task import GPT_STYLE, UNLABELLED_TEXT, TrainedTask

EVAL_BATCH = 128


class CausalLM(TrainedTask):
    name = "causal-lm"
    label = "causal-LM (GPT-style)"
    explanation = (
        "The encoder first learns to predict the next word of unlabelled text, "
        "reading left to right — GPT's recipe, at a small scale (on a BiLSTM: a "
        "forward and a backward language model, ELMo's). A left-to-right model has "
        "read the whole sentence only at its last word, unlike a masked LM that "
        "sees both sides of every word; its sentence vector is the mean of its "
        "states (advanced setting pooling: or the last token's)."
    )
    corpus = UNLABELLED_TEXT
    default_corpus = {"en": "sst2", "ko": "nsmc"}
    default_epochs = 1
    poolings = ("mean", "last")
    family = GPT_STYLE
    order = 35

    def encoder_options(self, config) -> dict:
        return {"causal": True, "pooling": config.upstream.pooling}

    def train(self, up, corpus, tokenizer, spec, ctx):
        import torch
        from torch.nn import functional as F

        from transfer_explorer.engine.batching import TextBatches
        from transfer_explorer.engine.training.context import seed_everything
        from transfer_explorer.engine.models import CausalLMModel, build_encoder
        from transfer_explorer.engine.training.train import Evaluation, adamw, fit
        from transfer_explorer.engine.upstream.common import (
            corpus_split,
            tokenize,
            upstream_fit_settings,
        )

        seed_everything(up.seed)
        train, dev = corpus_split(up, corpus, "train"), corpus_split(up, corpus, "dev")
        model = CausalLMModel(build_encoder(spec)).to(ctx.device)
        batches = TextBatches(
            tokenize(tokenizer, train.sentences, spec.max_length),
            None,
            up.batch_size,
            shuffle=True,
            seed=up.seed,
        )
        dev_batches = TextBatches(
            tokenize(tokenizer, dev.sentences, spec.max_length), None, EVAL_BATCH, shuffle=False
        )

        def loss_fn(m, batch):
            logits, targets = m(batch["ids"], batch["mask"])
            if not len(targets):  # one-token sentences only: nothing to predict
                return logits.sum() * 0.0
            return F.cross_entropy(logits, targets)

        @torch.no_grad()
        def evaluate() -> Evaluation:
            model.eval()
            total_loss, correct, count = 0.0, 0, 0
            for batch in dev_batches.epoch():
                batch = batch.to(ctx.device)
                logits, targets = model(batch["ids"], batch["mask"])
                total_loss += F.cross_entropy(logits, targets, reduction="sum").item()
                correct += (logits.argmax(-1) == targets).sum().item()
                count += len(targets)
            loss = total_loss / max(count, 1)
            metrics = {
                "next_token_accuracy": 100 * correct / max(count, 1),
                "loss": loss,
                "perplexity": math.exp(min(loss, 50)),
            }
            return Evaluation(metrics, -loss)

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


TASK = CausalLM()
