"""What a sweep's numbers say, in plain words — built only from what was measured.

Every sentence comes from a verdict (a paired t-test over seeds), a difference of means
or an effective-data figure in the matrix; nothing is canned, so the text changes when
the numbers do. Tasks are named by their family in the registry ("a related task",
"BERT-style" …), so the lesson's comparisons need no task names.

Each sentence is one whole message with named placeholders (engine.i18n), one for each
combination of verdicts, so that a translation can order its clauses as its grammar wants.
"""

from __future__ import annotations

from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.sweep.report import ALPHA, Matrix, Summary, verdict
from transfer_explorer.engine.upstream.task import (
    BERT_STYLE,
    GPT_STYLE,
    RELATED_TASK,
    UNRELATED_TASK,
    family_label,
)

HELPS, HURTS, NOISE = "helps", "hurts", "within noise"

# An arm's sentence for each combination of verdicts it has (the sizes where it helps, hurts,
# is within noise).
# TRANSLATORS: {name} is an arm with its family, e.g. "nli/finetune (a related task)";
# {helps}, {hurts}, {noise} are where, e.g. "at 1% (+12.3) and 10% (+5.0)" or
# "at every size (+3.0 to +20.3 points)".
_ARM_SENTENCES = {
    (True, False, False): N_("{name} helps {helps}."),
    (False, True, False): N_("{name} hurts {hurts}."),
    (False, False, True): N_("{name} is within noise {noise}."),
    (True, True, False): N_("{name} helps {helps} and hurts {hurts}."),
    (True, False, True): N_("{name} helps {helps} and is within noise {noise}."),
    (False, True, True): N_("{name} hurts {hurts} and is within noise {noise}."),
    (True, True, True): N_("{name} helps {helps}, hurts {hurts} and is within noise {noise}."),
}

# One arm against another, for each combination of where the first is ahead, behind, level.
# TRANSLATORS: {first} and {second} are arms, e.g. "nli/finetune"; {ahead}, {behind},
# {level} list sizes with the difference, e.g. "1% (+26.3), 10% (+21.0) and 100% (+4.7)".
_VERSUS_SENTENCES = {
    (True, False, False): N_("{first} is ahead of {second} at {ahead}."),
    (False, True, False): N_("{first} is behind {second} at {behind}."),
    (False, False, True): N_("{first} and {second} are level at {level}."),
    (True, True, False): N_("{first} is ahead of {second} at {ahead}; behind it at {behind}."),
    (True, False, True): N_("{first} is ahead of {second} at {ahead}; level with it at {level}."),
    (False, True, True): N_("{first} is behind {second} at {behind}; level with it at {level}."),
    (True, True, True): N_(
        "{first} is ahead of {second} at {ahead}; behind it at {behind}; level with it at {level}."
    ),
}

_COMPARISONS = (
    (RELATED_TASK, UNRELATED_TASK, N_("A related task against an unrelated one: {comparison}")),
    (BERT_STYLE, GPT_STYLE, N_("BERT-style against GPT-style: {comparison}")),
)


def _family(arm: str) -> str:
    from transfer_explorer.engine.errors import UserError
    from transfer_explorer.engine.upstream.registry import get_task

    try:
        return get_task(arm.partition("/")[0]).family
    except UserError:
        return ""


def _share(fraction: float) -> str:
    return f"{fraction:.0%}" if fraction >= 0.01 else f"{fraction:.1%}"


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    # TRANSLATORS: the end of a list: "{items}" is "1% (+12.3), 10% (+5.0)"
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _where(cells: list[Summary], label: str, all_fractions: list[float]) -> str:
    """'at every size', or 'at 1% (+12.3) and 10% (+5.0)'."""
    chosen = [
        (c.fraction, c.verdict) for c in cells if c.verdict is not None and c.verdict.label == label
    ]
    if not chosen:
        return ""
    if len(chosen) == len(all_fractions) and len(all_fractions) > 1:
        gains = [v.mean_difference for _fraction, v in chosen]
        return _("at every size ({low:+.1f} to {high:+.1f} points)").format(
            low=min(gains), high=max(gains)
        )
    return _("at {sizes}").format(
        sizes=_join([f"{_share(fraction)} ({v.mean_difference:+.1f})" for fraction, v in chosen])
    )


def arm_sentence(arm: str, cells: list[Summary], fractions: list[float]) -> str:
    """'nli/finetune (a related task) helps at 1% (+12.3) and is within noise at 100% (+0.4).'"""
    where = {label: _where(cells, label, fractions) for label in (HELPS, HURTS, NOISE)}
    shape = (bool(where[HELPS]), bool(where[HURTS]), bool(where[NOISE]))
    if not any(shape):
        return ""
    family = _family(arm)
    name = f"{arm} ({family_label(family)})" if family else arm
    return _(_ARM_SENTENCES[shape]).format(
        name=name, helps=where[HELPS], hurts=where[HURTS], noise=where[NOISE]
    )


def _compare(first: list[Summary], second: list[Summary]) -> list[tuple[float, str, float]]:
    """Per shared fraction: (fraction, verdict of first vs second, mean difference)."""
    out = []
    by_fraction = {c.fraction: c for c in second}
    for a in first:
        b = by_fraction.get(a.fraction)
        if b is None or not a.n or not b.n:
            continue
        v = verdict(dict(zip(a.seeds, a.dev)), dict(zip(b.seeds, b.dev)))
        out.append((a.fraction, v.label, v.mean_difference))
    return out


def _versus(name_a: str, name_b: str, rows: list[tuple[float, str, float]]) -> str:
    said = {}
    for wanted in (HELPS, HURTS, NOISE):
        sizes = [f"{_share(f)} ({d:+.1f})" for f, label, d in rows if label == wanted]
        said[wanted] = _join(sizes) if sizes else ""
    shape = (bool(said[HELPS]), bool(said[HURTS]), bool(said[NOISE]))
    if not any(shape):
        return ""
    return _(_VERSUS_SENTENCES[shape]).format(
        first=name_a, second=name_b, ahead=said[HELPS], behind=said[HURTS], level=said[NOISE]
    )


def versus(first: str, second: str, first_cells: list[Summary], second_cells: list[Summary]) -> str:
    """'mlm/finetune is ahead of causal-lm/finetune at 10% (+4.1); level with it at 100% (+0.3).'
    (paired t-test over seeds at each shared size)."""
    return _versus(first, second, _compare(first_cells, second_cells))


def story(matrix: Matrix) -> str:
    """A short paragraph per encoder/dataset group of the matrix."""
    if matrix.control is None or not matrix.cells:
        return ""
    paragraphs = []
    for encoder, downstream in matrix.groups:
        cells = [c for c in matrix.cells if (c.encoder, c.downstream) == (encoder, downstream)]
        fractions = sorted({c.fraction for c in cells})
        by_arm: dict[str, list[Summary]] = {}
        for cell in cells:
            by_arm.setdefault(cell.arm, []).append(cell)
        sentences = [
            _(
                "On {downstream} ({encoder}), against {control} (paired t-test over seeds, "
                "p < {alpha}; points of dev {metric} ×100):"
            ).format(
                downstream=downstream,
                encoder=encoder,
                control=matrix.control,
                alpha=ALPHA,
                metric=matrix.metric,
            )
        ]
        sentences += [
            s
            for arm, arm_cells in by_arm.items()
            if arm != matrix.control
            for s in [arm_sentence(arm, arm_cells, fractions)]
            if s
        ]
        families: dict[str, str] = {}
        for arm in by_arm:
            families.setdefault(_family(arm), arm)
        for first, second, title in _COMPARISONS:
            if first in families and second in families:
                a, b = families[first], families[second]
                text = _versus(a, b, _compare(by_arm[a], by_arm[b]))
                if text:
                    sentences.append(_(title).format(comparison=text))
        worth = best_worth(cells, matrix.control)
        if worth:
            sentences.append(worth)
        if len(sentences) > 1:  # a sweep in flight may have nothing to say yet
            paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def best_worth(cells: list[Summary], control: str) -> str:
    """The largest effective data among the arms, said as 'worth N pairs'."""
    measured = [(c, c.worth) for c in cells if c.arm != control and c.worth is not None and c.pairs]
    # "more than all N" at the largest size is ×1: it says nothing about what was saved
    candidates = [(c, w) for c, w in measured if not w.below and (w.multiple or 0) > 1]
    if not candidates:
        return (
            _(
                "No arm reached the control's score at its own size, so no pre-training "
                "here was worth any labelled pairs."
            )
            if measured and all(w.below for _c, w in measured)
            else ""
        )
    best, worth = max(candidates, key=lambda cw: (cw[1].multiple or 0.0, -cw[0].fraction))
    mean = best.dev_mean_std[0]
    if worth.beyond is not None:
        return _(
            "Most worth: {arm} with {pairs:,} labelled pairs scores {score:.1f}, more than "
            "{control} reaches with all {beyond:,} (×{multiple:,.0f} or more)."
        ).format(
            arm=best.arm,
            pairs=best.pairs,
            score=mean,
            control=control,
            beyond=worth.beyond,
            multiple=worth.multiple,
        )
    return _(
        "Most worth: {arm} with {pairs:,} labelled pairs scores {score:.1f}; {control} "
        "needs {worth:,.0f} pairs for that (×{multiple:,.1f})."
    ).format(
        arm=best.arm,
        pairs=best.pairs,
        score=mean,
        control=control,
        worth=worth.pairs,
        multiple=worth.multiple,
    )
