"""What pre-training is worth in labelled pairs: the effective data transferred.

Hernandez et al. (2021), *Scaling Laws for Transfer*: the labelled data a model trained
from scratch would need to do as well as the pre-trained one. Read off the scratch
control's data-size curve — measured dev score against the number of training pairs —
interpolating linearly in log pairs between the measured sizes. Above the control's
best measured score the answer is "more than all N"; where the arm is below the control
at its own size there is nothing transferred to count ("–").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from transfer_explorer.engine.i18n import _


@dataclass(frozen=True)
class Worth:
    """An arm's score expressed as the labelled pairs the control needs to reach it."""

    own_pairs: int
    pairs: float | None = None  # None: below the control at its own size
    beyond: int | None = None  # the control's largest size, when the arm beats all of it

    @property
    def below(self) -> bool:
        return self.pairs is None and self.beyond is None

    @property
    def multiple(self) -> float | None:
        """Effective pairs ÷ the arm's own labelled pairs (a lower bound when beyond)."""
        value = self.pairs if self.pairs is not None else self.beyond
        return None if value is None or not self.own_pairs else value / self.own_pairs

    def amount(self) -> str:
        """'226', '> all 5,749' or '–' (below the control)."""
        if self.below:
            return "–"
        if self.beyond is not None:
            return _("> all {pairs:,}").format(pairs=self.beyond)
        return f"{self.pairs:,.0f}"

    def text(self) -> str:
        """'226 pairs (×3.8)', '> all 5,749 pairs (×100+)' or '–'."""
        if self.below:
            return "–"
        multiple = self.multiple
        # not below: pairs or beyond is set, and own_pairs > 0 (a measured control size)
        assert multiple is not None
        times = f"×{multiple:,.1f}" if multiple < 10 else f"×{multiple:,.0f}"
        if self.beyond is not None:
            # TRANSLATORS: {times} is "×100": at least 100 times the arm's own pairs
            return _("> all {pairs:,} pairs ({times}+)").format(pairs=self.beyond, times=times)
        return _("{pairs:,.0f} pairs ({times})").format(pairs=self.pairs, times=times)

    def sort_value(self) -> float:
        """For ordering: below < any number of pairs < beyond."""
        if self.below:
            return -1.0
        if self.beyond is not None:
            return math.inf
        assert self.pairs is not None  # neither below nor beyond: the pairs are known
        return float(self.pairs)


def effective_pairs(control: list[tuple[int, float]], own_pairs: int, score: float) -> Worth:
    """``control``: (training pairs, mean dev score) of the scratch control at each measured
    size; ``own_pairs`` and ``score``: the arm's. Returns the pairs the control needs."""
    curve = sorted((n, s) for n, s in control if n > 0 and not math.isnan(s))
    own = next((s for n, s in curve if n == own_pairs), None)
    if not curve or own is None or score < own:
        return Worth(own_pairs)  # below the control at its own size (or no control there)
    # walk up the control's curve from the arm's own size to where it reaches the score
    start = [n for n, _score in curve].index(own_pairs)
    for (n0, s0), (n1, s1) in zip(curve[start:], curve[start + 1 :]):
        if s0 < score <= s1:
            share = (score - s0) / (s1 - s0)
            return Worth(own_pairs, math.exp(math.log(n0) + share * (math.log(n1) - math.log(n0))))
    if score == own:
        return Worth(own_pairs, float(own_pairs))
    return Worth(own_pairs, beyond=curve[-1][0])
