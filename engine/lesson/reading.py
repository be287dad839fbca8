"""A step's reading: what its measured numbers say, in a few sentences.

Built only from the step's matrix (mean ± std over seeds, paired t-tests against the
control, effective data), so it changes when the numbers do; a step with nothing measured
yet has nothing to say.
"""

from __future__ import annotations

import math

from scipy import stats

from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.lesson.steps import Step
from transfer_explorer.engine.sweep.report import ALPHA, Matrix, Summary
from transfer_explorer.engine.sweep.story import arm_sentence, best_worth, story, versus


def reading(step: Step, matrix: Matrix) -> str:
    """The step's reading of ``matrix`` (its sweep summarised), or "" when nothing is in."""
    if not matrix.cells:
        return ""
    if not step.arms:  # the summary: the whole paragraph of the tour, and each arm's worth
        return " ".join(s for s in (story(matrix), worth_by_arm(matrix)) if s)
    by_arm: dict[str, list[Summary]] = {}
    for cell in matrix.cells:
        by_arm.setdefault(cell.arm, []).append(cell)
    fractions = matrix.fractions
    control = matrix.control
    sentences = []
    if control is not None and step.arms == (control,):  # what labelled data buys the control
        sentences.append(data_need(by_arm.get(control, []), matrix.metric))
    for arm in step.arms:
        if arm != control and arm in by_arm:
            sentences.append(arm_sentence(arm, by_arm[arm], fractions))
    if step.versus is not None and all(arm in by_arm for arm in step.versus):
        first, second = step.versus
        sentences.append(versus(first, second, by_arm[first], by_arm[second]))
    if len(step.arms) > 1 and control is not None:
        # worth is read only where an arm helps beyond noise: a level arm is worth nothing
        helping = [
            c
            for c in matrix.cells
            if c.arm == control or (c.verdict is not None and c.verdict.label == "helps")
        ]
        sentences.append(best_worth(helping, control))
    return " ".join(s for s in sentences if s)


def data_need(cells: list[Summary], metric: str) -> str:
    """The control's smallest share against its largest: what more labels bought, and
    whether that is beyond the spread between seeds (Welch's t-test: different subsets)."""
    measured = sorted((c for c in cells if c.n), key=lambda c: c.fraction)
    if len(measured) < 2:
        return ""
    few, many = measured[0], measured[-1]
    (low, low_sd), (high, high_sd) = few.dev_mean_std, many.dev_mean_std
    values = {
        "few": f"{few.pairs:,}" if few.pairs is not None else f"{few.fraction:.0%}",
        "many": f"{many.pairs:,}" if many.pairs is not None else f"{many.fraction:.0%}",
        "low": low,
        "low_sd": low_sd,
        "high": high,
        "high_sd": high_sd,
        "gain": high - low,
        "metric": metric,
    }
    said = _(
        "From random weights, {few} labelled pairs give {low:.1f} ± {low_sd:.1f} and "
        "{many} give {high:.1f} ± {high_sd:.1f} (dev {metric} ×100, mean ± std over seeds)."
    ).format(**values)
    p = _welch(few.dev, many.dev)
    if p is None:
        verdict = _("One seed per share cannot tell a gain from noise.")
    elif p >= ALPHA:
        verdict = _(
            "The {gain:+.1f} points are within the spread between seeds (p = {p:.2f}): "
            "more seeds would tell."
        ).format(gain=high - low, p=p)
    elif high > low:
        verdict = _(
            "The labels are worth {gain:+.1f} points, well beyond the spread between seeds "
            "(p = {p:.3f}): a model that starts from nothing needs labelled data."
        ).format(gain=high - low, p=p)
    else:
        verdict = _(
            "Fewer labels scored higher ({gain:+.1f} points, p = {p:.3f}): this model has "
            "not learned from more data — too few epochs, or a rate too high?"
        ).format(gain=high - low, p=p)
    return f"{said} {verdict}"


def _welch(a: list[float], b: list[float]) -> float | None:
    """Welch's t-test p-value; None when either side has fewer than two values."""
    if len(a) < 2 or len(b) < 2:
        return None
    if _constant(a) and _constant(b):
        return 0.0 if a[0] != b[0] else 1.0
    p = float(stats.ttest_ind(a, b, equal_var=False).pvalue)
    return 1.0 if math.isnan(p) else p


def _constant(values: list[float]) -> bool:
    return max(values) == min(values)


def worth_by_arm(matrix: Matrix) -> str:
    """'Worth in labelled pairs, where an arm helps: hf/finetune > all 5,749 pairs (×101+) at
    1%; mlm/finetune 137 pairs (×2.4) at 1%.' — each arm at the share where it is worth most."""
    best: dict[str, tuple[float, str]] = {}  # arm → (multiple, what it is worth where)
    for cell in matrix.cells:
        worth = cell.worth
        helps = cell.verdict is not None and cell.verdict.label == "helps"
        if not helps or worth is None or worth.below or (worth.multiple or 0) <= 1:
            continue
        multiple = worth.multiple or 0.0
        if cell.arm not in best or multiple > best[cell.arm][0]:
            said = _("{arm} {worth} at {share}").format(
                arm=cell.arm, worth=worth.text(), share=f"{cell.fraction:.0%}"
            )
            best[cell.arm] = (multiple, said)
    if not best:
        return ""
    items = [said for _multiple, said in sorted(best.values(), key=lambda b: -b[0])]
    return _("Worth in labelled pairs, where an arm helps: {items}.").format(items="; ".join(items))
