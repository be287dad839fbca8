"""What a sweep's numbers say, in plain words — built only from what was measured.

Every sentence comes from a verdict (a paired t-test over seeds), a difference of means
or an effective-data figure in the matrix; nothing is canned, so the text changes when
the numbers do. Tasks are named by their family in the registry ("a related task",
"BERT-style" …), so the lesson's comparisons need no task names.
"""

from __future__ import annotations

from transfer_explorer.engine.sweep.report import ALPHA, Matrix, Summary, verdict
from transfer_explorer.engine.upstream.task import (
    BERT_STYLE,
    GPT_STYLE,
    RELATED_TASK,
    UNRELATED_TASK,
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
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _where(cells: list[Summary], label: str, all_fractions: list[float]) -> str:
    """'at every size', or 'at 1% (+12.3) and 10% (+5.0)'."""
    chosen = [
        (c.fraction, c.verdict) for c in cells if c.verdict is not None and c.verdict.label == label
    ]
    if not chosen:
        return ""
    if len(chosen) == len(all_fractions) and len(all_fractions) > 1:
        gains = [v.mean_difference for _, v in chosen]
        return f"at every size ({min(gains):+.1f} to {max(gains):+.1f} points)"
    return "at " + _join(
        [f"{_share(fraction)} ({v.mean_difference:+.1f})" for fraction, v in chosen]
    )


def arm_sentence(arm: str, cells: list[Summary], fractions: list[float]) -> str:
    """'nli/finetune (a related task) helps at 1% (+12.3), is within noise at 100%.'"""
    family = _family(arm)
    parts = []
    for label, verb in (
        ("helps", "helps"),
        ("hurts", "hurts"),
        ("within noise", "is within noise"),
    ):
        where = _where(cells, label, fractions)
        if where:
            parts.append(f"{verb} {where}")
    if not parts:
        return ""
    name = f"{arm} ({family})" if family else arm
    return f"{name} {_join(parts)}."


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
    ahead = [f"{_share(f)} ({d:+.1f})" for f, label, d in rows if label == "helps"]
    behind = [f"{_share(f)} ({d:+.1f})" for f, label, d in rows if label == "hurts"]
    level = [f"{_share(f)} ({d:+.1f})" for f, label, d in rows if label == "within noise"]
    parts = []
    if ahead:
        parts.append(f"{name_a} is ahead of {name_b} at {_join(ahead)}")
    if behind:
        parts.append(f"behind it at {_join(behind)}")
    if level:
        parts.append(
            f"{'level with it' if parts else f'{name_a} and {name_b} are level'} at {_join(level)}"
        )
    return "; ".join(parts) + "." if parts else ""


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
            f"On {downstream} ({encoder}), against {matrix.control} "
            f"(paired t-test over seeds, p < {ALPHA}; points of dev "
            f"{matrix.metric} ×100):"
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
        for first, second, title in (
            (RELATED_TASK, UNRELATED_TASK, "A related task against an unrelated one"),
            (BERT_STYLE, GPT_STYLE, "BERT-style against GPT-style"),
        ):
            if first in families and second in families:
                a, b = families[first], families[second]
                text = _versus(a, b, _compare(by_arm[a], by_arm[b]))
                if text:
                    sentences.append(f"{title}: {text}")
        worth = _best_worth(cells, matrix.control)
        if worth:
            sentences.append(worth)
        if len(sentences) > 1:  # a sweep in flight may have nothing to say yet
            paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _best_worth(cells: list[Summary], control: str) -> str:
    """The largest effective data among the arms, said as 'worth N pairs'."""
    candidates = [
        (c, c.worth)
        for c in cells
        if c.arm != control and c.worth is not None and not c.worth.below and c.pairs
    ]
    if not candidates:
        return (
            (
                "No arm reached the control's score at its own size, so no pre-training "
                "here was worth any labelled pairs."
            )
            if any(c.worth is not None for c in cells)
            else ""
        )
    best, worth = max(candidates, key=lambda cw: (cw[1].multiple or 0.0, -cw[0].fraction))
    mean = best.dev_mean_std[0]
    said = f"Most worth: {best.arm} with {best.pairs:,} labelled pairs scores {mean:.1f}"
    if worth.beyond is not None:
        return (
            f"{said}, more than {control} reaches with all {worth.beyond:,} "
            f"(×{worth.multiple:,.0f} or more)."
        )
    return f"{said}; {control} needs {worth.pairs:,.0f} pairs for that (×{worth.multiple:,.1f})."
