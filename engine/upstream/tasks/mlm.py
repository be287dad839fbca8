"""Upstream ``mlm``: masked-language-model pre-training on unlabelled text (BERT's recipe)."""

from __future__ import annotations

from transfer_explorer.engine.i18n import N_
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
    label = N_("masked-LM (BERT-style)")
    explanation = N_(
        "The Transformer first learns to fill in masked words of unlabelled text — "
        "BERT's masked-language-model recipe, at a small scale."
    )
    corpus = UNLABELLED_TEXT
    default_corpus = {"en": "sst2", "ko": "nsmc"}
    default_epochs = 1
    encoders = ("transformer",)  # a masked LM needs attention over both sides of a token
    family = BERT_STYLE
    order = 30

    def build_model(self, spec, corpus, train):
        from transfer_explorer.engine.models import MaskedLMModel, build_encoder

        return MaskedLMModel(build_encoder(spec))

    def loss(self, model, batch, spec):
        from torch.nn import functional as F

        ids, positions, targets = mask_tokens(batch["ids"], batch["mask"], spec.vocab_size)
        return F.cross_entropy(model(ids, batch["mask"], positions), targets)

    def evaluate(self, model, corpus, dev, dev_batches, spec, ctx):
        import torch

        from transfer_explorer.engine.training.train import Evaluation
        from transfer_explorer.engine.upstream.common import language_model_metrics

        generator = torch.Generator().manual_seed(1234)  # same masks at every evaluation

        def predict(batch):
            ids, positions, targets = mask_tokens(
                batch["ids"], batch["mask"], spec.vocab_size, generator
            )
            return model(ids, batch["mask"], positions), targets

        return Evaluation(
            *language_model_metrics(dev_batches, predict, ctx.device, "masked_accuracy")
        )


TASK = MaskedLM()
