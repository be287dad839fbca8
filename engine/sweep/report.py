"""Summarise a sweep: mean ± std over seeds per cell, and a verdict against the control.

The verdict compares an arm with the scratch control of the same encoder, dataset and
train fraction, seed by seed (a paired comparison: both saw the same training subset).
It says *helps* or *hurts* when a paired t-test over the seeds gives p < 0.05, else
*within noise*; with fewer than two paired seeds it cannot say more than *within noise*.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from dataclasses import dataclass, field

from scipy import stats

from transfer_explorer.engine.i18n import N_, _
from transfer_explorer.engine.sweep.effective_data import Worth, effective_pairs

ALPHA = 0.05
TEST_NAME = N_("paired t-test over seeds")
# A verdict's label is stored and compared as written; verdict_word() says it to a reader.
VERDICT_WORDS = {
    "helps": N_("helps"),
    "hurts": N_("hurts"),
    "within noise": N_("within noise"),
    "control": N_("control"),
}


def verdict_word(label: str) -> str:
    """A verdict's label ("helps", "hurts", "within noise", "control") in the language in use."""
    return _(VERDICT_WORDS[label]) if label in VERDICT_WORDS else label


@dataclass
class Verdict:
    label: str  # helps | hurts | within noise | control
    mean_difference: float = 0.0
    p_value: float | None = None
    n: int = 0
    test: str = TEST_NAME

    def explain(self, control: str) -> str:
        if self.label == "control":
            return _("the control every other arm is compared with")
        if self.p_value is not None:
            p = _("p = {p:.3f}").format(p=self.p_value)
        else:
            p = _("p not defined")
        # TRANSLATORS: {verdict} is helps / hurts / within noise; {test} the test's name
        return _(
            "{verdict}: {difference:+.1f} points vs {control} on dev, {test}, n = {n}, {p} "
            "(threshold {alpha})"
        ).format(
            verdict=verdict_word(self.label),
            difference=self.mean_difference,
            control=control,
            test=_(self.test),
            n=self.n,
            p=p,
            alpha=ALPHA,
        )


def verdict(arm: dict[int, float], control: dict[int, float]) -> Verdict:
    """Compare ``arm`` with ``control`` on the seeds both have ({seed: metric})."""
    seeds = sorted(set(arm) & set(control))
    differences = [arm[s] - control[s] for s in seeds]
    if not differences:
        return Verdict("within noise", 0.0, None, 0)
    mean = statistics.fmean(differences)
    if len(differences) < 2:
        return Verdict("within noise", mean, None, len(differences))
    if statistics.pstdev(differences) == 0:  # identical differences: the t-test is undefined
        label = "within noise" if mean == 0 else ("helps" if mean > 0 else "hurts")
        return Verdict(label, mean, 0.0 if mean else 1.0, len(differences))
    p = float(stats.ttest_rel([arm[s] for s in seeds], [control[s] for s in seeds]).pvalue)
    label = "within noise" if not p < ALPHA else ("helps" if mean > 0 else "hurts")
    return Verdict(label, mean, p, len(differences))


@dataclass
class Summary:
    """One cell of the matrix: an arm at one fraction (for one encoder and dataset)."""

    arm: str
    encoder: str
    downstream: str
    fraction: float
    dev: list[float] = field(default_factory=list)
    test: list[float] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)
    seconds: float = 0.0
    verdict: Verdict | None = None
    pairs: int | None = None  # labelled training pairs the cell used
    worth: Worth | None = None  # what the arm's mean is worth in the control's pairs
    worth_range: tuple[Worth, Worth] | None = None  # the same at mean − std and mean + std

    def worth_text(self) -> str:
        """'226 pairs (×3.8) [187 … 272]': effective pairs, and where mean ∓ std lands."""
        if self.worth is None:
            return ""
        text = self.worth.text()
        if self.worth_range is not None and not self.worth.below:
            low, high = (w.amount() for w in self.worth_range)
            if (low, high) != (self.worth.amount(),) * 2:
                text += f" [{low} … {high}]"
        return text

    @staticmethod
    def _mean_std(values: list[float]) -> tuple[float, float]:
        if not values:
            return math.nan, math.nan
        return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0

    @property
    def dev_mean_std(self) -> tuple[float, float]:
        return self._mean_std(self.dev)

    @property
    def test_mean_std(self) -> tuple[float, float]:
        return self._mean_std(self.test)

    @property
    def n(self) -> int:
        return len(self.dev)


@dataclass
class Matrix:
    name: str
    control: str | None
    metric: str
    cells: list[Summary]

    @property
    def arms(self) -> list[str]:
        return list(dict.fromkeys(c.arm for c in self.cells))

    @property
    def fractions(self) -> list[float]:
        return sorted({c.fraction for c in self.cells})

    @property
    def groups(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((c.encoder, c.downstream) for c in self.cells))

    def cell(self, arm: str, fraction: float, encoder: str, downstream: str) -> Summary | None:
        return next(
            (
                c
                for c in self.cells
                if (c.arm, c.fraction, c.encoder, c.downstream)
                == (arm, fraction, encoder, downstream)
            ),
            None,
        )


def summarize(rows: list[dict], arms: list[str], control: str | None, name: str = "") -> Matrix:
    """``rows``: Store.sweep_cells(); the latest finished run of each cell counts."""
    latest: dict[str, dict] = {}
    for row in rows:
        if row["status"] == "finished":
            latest[row["cell_key"]] = row
    cells: dict[tuple, Summary] = {}
    metric = "spearman"
    for row in latest.values():
        group = (row["arm"], row["encoder"], row["downstream"], row["fraction"])
        summary = cells.setdefault(group, Summary(*group))
        metric = row["metric_name"] or metric
        summary.dev.append(row["dev_metric"])
        summary.test.append(row["test_metric"] if row["test_metric"] is not None else math.nan)
        summary.seeds.append(row["seed"])
        summary.seconds += row["seconds"] or 0.0
        summary.pairs = (row.get("metrics") or {}).get("train_pairs", summary.pairs)
    for summary in cells.values():
        if control is None:
            continue
        if summary.arm == control:
            summary.verdict = Verdict("control")
            continue
        ctrl = cells.get((control, summary.encoder, summary.downstream, summary.fraction))
        if ctrl is not None:
            summary.verdict = verdict(
                dict(zip(summary.seeds, summary.dev)), dict(zip(ctrl.seeds, ctrl.dev))
            )
    if control is not None:
        _add_worth(cells, control)
    order = {arm: i for i, arm in enumerate(arms)}
    ordered = sorted(
        cells.values(), key=lambda c: (c.encoder, c.downstream, order.get(c.arm, 99), c.fraction)
    )
    return Matrix(name, control, metric, ordered)


def _add_worth(cells: dict[tuple, Summary], control: str) -> None:
    """Each arm's mean (and mean ± std over seeds) read off its group's control curve."""
    for summary in cells.values():
        if summary.arm == control or not summary.n or summary.pairs is None:
            continue
        curve = [
            (c.pairs, c.dev_mean_std[0])
            for c in cells.values()
            if (c.arm, c.encoder, c.downstream) == (control, summary.encoder, summary.downstream)
            and c.pairs is not None
            and c.n
        ]
        if summary.pairs not in {n for n, _score in curve}:
            continue  # the control at this size has not finished (yet): nothing to read
        mean, std = summary.dev_mean_std
        summary.worth = effective_pairs(curve, summary.pairs, mean)
        summary.worth_range = (
            effective_pairs(curve, summary.pairs, mean - std),
            effective_pairs(curve, summary.pairs, mean + std),
        )


def _fmt(mean_std: tuple[float, float], n: int) -> str:
    mean, std = mean_std
    return "–" if math.isnan(mean) else f"{mean:.1f} ± {std:.1f} (n={n})"


def to_markdown(matrix: Matrix) -> str:
    out = []
    for encoder, downstream in matrix.groups:
        out.append(
            _(
                "**{downstream}, {encoder}** — dev / test {metric} ×100, mean ± std over seeds; "
                "verdict vs {control} ({test}, p < {alpha}); worth: the labelled pairs "
                "{control} needs for the same dev score (× the arm's own pairs; "
                "[at mean − std … mean + std])"
            ).format(
                downstream=downstream,
                encoder=encoder,
                metric=matrix.metric,
                control=matrix.control,
                test=_(TEST_NAME),
                alpha=ALPHA,
            )
            + "\n"
        )
        header = (
            "| "
            + _("upstream / method")
            + " | "
            + " | ".join(_("{share:.0%} of train").format(share=f) for f in matrix.fractions)
            + " |"
        )
        out += [header, "|---|" + "---|" * len(matrix.fractions)]
        for arm in matrix.arms:
            parts = []
            for fraction in matrix.fractions:
                cell = matrix.cell(arm, fraction, encoder, downstream)
                if cell is None:
                    parts.append("–")
                    continue
                verdict_text = (
                    f" — **{verdict_word(cell.verdict.label)}**"
                    if cell.verdict and cell.verdict.label != "control"
                    else ""
                )
                worth = (
                    "; " + _("worth {pairs}").format(pairs=cell.worth_text())
                    if cell.worth is not None
                    else ""
                )
                parts.append(
                    f"{_fmt(cell.dev_mean_std, cell.n)} / "
                    f"{_fmt(cell.test_mean_std, cell.n).split(' (')[0]}{verdict_text}"
                    f"{worth}"
                )
            out.append(f"| {arm} | " + " | ".join(parts) + " |")
        out.append("")
    return "\n".join(out)


def to_csv(matrix: Matrix) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "arm",
            "encoder",
            "downstream",
            "train_fraction",
            "n",
            "dev_mean",
            "dev_std",
            "test_mean",
            "test_std",
            "verdict",
            "mean_difference_vs_control",
            "p_value",
            "train_pairs",
            "worth_pairs",
            "worth_multiple",
            "worth_low",
            "worth_high",
            "seconds",
        ]
    )
    for c in matrix.cells:
        v = c.verdict
        writer.writerow(
            [
                c.arm,
                c.encoder,
                c.downstream,
                c.fraction,
                c.n,
                *(round(x, 3) for x in c.dev_mean_std),
                *(round(x, 3) for x in c.test_mean_std),
                v.label if v else "",
                round(v.mean_difference, 3) if v else "",
                "" if not v or v.p_value is None else round(v.p_value, 4),
                "" if c.pairs is None else c.pairs,
                *_worth_columns(c),
                round(c.seconds, 1),
            ]
        )
    return buffer.getvalue()


def worth_value(worth: Worth | None) -> float | str:
    """A number for tables: pairs, 'inf' beyond all measured sizes, '' below or unknown."""
    if worth is None or worth.below:
        return ""
    if worth.beyond is not None:
        return "inf"
    assert worth.pairs is not None  # neither below nor beyond: the pairs are known
    return round(worth.pairs, 1)


def _worth_columns(cell: Summary) -> list:
    if cell.worth is None:
        return ["", "", "", ""]
    multiple = cell.worth.multiple
    low, high = cell.worth_range or (None, None)
    return [
        worth_value(cell.worth),
        "" if multiple is None or cell.worth.beyond is not None else round(multiple, 2),
        worth_value(low),
        worth_value(high),
    ]
