"""Upstream ``causal-lm``: next-token prediction on unlabelled text (GPT's recipe).

The Transformer reads under a causal mask — each token sees only those before it — and
keeps that mask downstream, as GPT does when fine-tuned. On a BiLSTM the two directions
become a forward and a backward language model (ELMo's recipe, the classic feature-based
pre-training). The output layer is tied to the input embeddings and dropped at transfer.
"""

from __future__ import annotations

from transfer_explorer.engine.i18n import N_
from transfer_explorer.engine.upstream.task import GPT_STYLE, UNLABELLED_TEXT, TrainedTask


class CausalLM(TrainedTask):
    name = "causal-lm"
    label = N_("causal-LM (GPT-style)")
    explanation = N_(
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

    def build_model(self, spec, corpus, train):
        from transfer_explorer.engine.models import CausalLMModel, build_encoder

        return CausalLMModel(build_encoder(spec))

    def loss(self, model, batch, spec):
        from torch.nn import functional as F

        logits, targets = model(batch["ids"], batch["mask"])
        if not len(targets):  # one-token sentences only: nothing to predict
            return logits.sum() * 0.0
        return F.cross_entropy(logits, targets)

    def evaluate(self, model, corpus, dev, dev_batches, spec, ctx):
        from transfer_explorer.engine.training.train import Evaluation
        from transfer_explorer.engine.upstream.common import language_model_metrics

        return Evaluation(
            *language_model_metrics(
                dev_batches,
                lambda batch: model(batch["ids"], batch["mask"]),
                ctx.device,
                "next_token_accuracy",
            )
        )


TASK = CausalLM()
