"""Upstream ``none``: no pre-training. The encoder starts from random (Xavier/Glorot) weights.

It is the control: ``none/scratch`` is what every other arm is judged against. A corpus
may still be named; it then only feeds the shared tokenizer.
"""

from __future__ import annotations

from transfer_explorer.engine.i18n import N_
from transfer_explorer.engine.upstream.task import (
    NO_CORPUS,
    RANDOM_INIT,
    UpstreamResult,
    UpstreamRun,
    UpstreamTask,
)


class RandomInit(UpstreamTask):
    name = "none"
    label = N_("none — random init")
    explanation = N_("No pre-training: the encoder starts from random (Xavier/Glorot) weights.")
    corpus = NO_CORPUS
    control = True
    family = RANDOM_INIT
    order = 0
    method_notes = {
        "feature": N_(
            "A frozen random encoder still gives useful features — a surprisingly "
            "strong baseline, so keep it in view."
        ),
        "finetune": N_("With no upstream, fine-tuning is the same as training from scratch."),
    }

    def corpus_name(self, up):
        return up.data  # optional: text for the tokenizer only

    def source(self, up) -> str:
        return ""

    def build(self, run: UpstreamRun) -> UpstreamResult:
        return UpstreamResult(self.name)


TASK = RandomInit()
