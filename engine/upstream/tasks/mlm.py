"""Upstream ``mlm``: masked-language-model pre-training on unlabelled text (BERT's recipe)."""

from __future__ import annotations

import math

from transfer_explorer.engine.upstream.task import BERT_STYLE, UNLABELLED_TEXT, TrainedTask

MASK_RATE = 0.15
FIRST_REAL_ID = 3  # ids below are [PAD] [UNK] [MASK]: never used as random replacements


def mask_tokens(ids, mask, vocab_size: int, generator=None):
    """BERT masking: 15% of real tokens are predicted; of those 80% -> [MASK], 10% -> a random
    token, 10% unchanged. Returns corrupted ids, flat positions and the original tokens."""
    import torch

    from transfer_explorer.engine.text import MASK_ID, PAD_ID

    draw = torch.rand(ids.shape, generator=generator, device="cpu").to(ids.device)
    selected = (draw < MASK_RATE) & mask & (ids != PAD_ID)
    if not selected.any():  # tiny batches: always predict at least one token
        selected = selected.clone()
        selected[0, 0] = True
    positions = selected.reshape(-1).nonzero().squeeze(1)
    targets = ids.reshape(-1)[positions]
    corrupted = ids.clone().reshape(-1)
    choice = torch.rand(positions.shape, generator=generator, device="cpu").to(ids.device)
    corrupted[positions[choice < 0.8]] = MASK_ID
    random_pos = positions[(choice >= 0.8) & (choice < 0.9)]
    corrupted[random_pos] = torch.randint(
        FIRST_REAL_ID, vocab_size, random_pos.shape, generator=generator, device="cpu"
    ).to(ids.device)
    return corrupted.view_as(ids), positions, targets


class MaskedLM(TrainedTask):
    name = "mlm"
    label = "masked-LM (BERT-style)"
    explanation = (
        "The Transformer first learns to fill in masked words of unlabelled text — "
        "BERT's masked-language-model recipe, at a small scale."
    )
    corpus = UNLABELLED_TEXT
    default_corpus = {"en": "sst2", "ko": "nsmc"}
    default_epochs = 1
    encoders = ("transformer",)  # a masked LM needs attention over both sides of a token
    family = BERT_STYLE
    order = 30

    def train(self, up, corpus, tokenizer, spec, ctx):
        import torch
        from torch.nn import functional as F

        from transfer_explorer.engine.batching import TextBatches
        from transfer_explorer.engine.training.context import seed_everything
        from transfer_explorer.engine.models import MaskedLMModel, build_encoder
        from transfer_explorer.engine.training.train import Evaluation, adamw, fit
        from transfer_explorer.engine.upstream.common import (
            corpus_split,
            tokenize,
            upstream_fit_settings,
        )

        seed_everything(up.seed)
        train, dev = corpus_split(up, corpus, "train"), corpus_split(up, corpus, "dev")
        model = MaskedLMModel(build_encoder(spec)).to(ctx.device)
        batches = TextBatches(
            tokenize(tokenizer, train.sentences, spec.max_length),
            None,
            up.batch_size,
            shuffle=True,
            seed=up.seed,
        )
        dev_batches = TextBatches(
            tokenize(tokenizer, dev.sentences, spec.max_length), None, 128, shuffle=False
        )

        def loss_fn(m, batch):
            ids, positions, targets = mask_tokens(batch["ids"], batch["mask"], spec.vocab_size)
            return F.cross_entropy(m(ids, batch["mask"], positions), targets)

        @torch.no_grad()
        def evaluate() -> Evaluation:
            model.eval()
            generator = torch.Generator().manual_seed(1234)  # same masks at every evaluation
            total_loss, correct, count = 0.0, 0, 0
            for batch in dev_batches.epoch():
                batch = batch.to(ctx.device)
                ids, positions, targets = mask_tokens(
                    batch["ids"], batch["mask"], spec.vocab_size, generator
                )
                logits = model(ids, batch["mask"], positions)
                total_loss += F.cross_entropy(logits, targets, reduction="sum").item()
                correct += (logits.argmax(-1) == targets).sum().item()
                count += len(targets)
            loss = total_loss / max(count, 1)
            metrics = {
                "masked_accuracy": 100 * correct / max(count, 1),
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


TASK = MaskedLM()
