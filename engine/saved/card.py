"""A model card for an exported run: README.md with its settings, data and metrics, and its
curves drawn as a PNG (Pillow; the engine has no Qt)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from transfer_explorer.engine.i18n import N_, _

# (stage, metric) panels drawn on the card, in order, when the run recorded them
PANELS = (
    ("downstream", "loss", N_("training loss")),
    ("downstream", "dev_spearman", N_("dev Spearman")),
    ("downstream", "dev_accuracy", N_("dev accuracy")),
    ("upstream", "loss", N_("upstream loss")),
)
FONT_SIZE = 13  # a TrueType font's size for the labels (pixels); close to pillow's default
COLORS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189))


def curves_png(curves: dict, path: Path, width: int = 900, panel_height: int = 260) -> bool:
    """Draw the run's main curves, one panel each; False when there is nothing to draw."""
    from PIL import Image, ImageDraw, ImageFont

    panels = [
        (_(title), curves[(stage, name)], color)
        for (stage, name, title), color in zip(PANELS, COLORS)
        if len(curves.get((stage, name), ([], []))[0]) >= 2
    ]
    if not panels:
        return False
    image = Image.new("RGB", (width, panel_height * len(panels)), "white")
    draw = ImageDraw.Draw(image)
    font = _font(ImageFont, [title for title, _curve, _color in panels] + [_("step {step:g}")])
    for i, (title, (steps, values), color) in enumerate(panels):
        top = i * panel_height
        left, right, upper, lower = 70, width - 20, top + 30, top + panel_height - 35
        points = [(s, v) for s, v in zip(steps, values) if math.isfinite(v)]
        if len(points) < 2:
            continue
        xs, ys = zip(*points)
        x0, x1 = min(xs), max(xs) or 1
        y0, y1 = min(ys), max(ys)
        if y1 == y0:
            y0, y1 = y0 - 1, y1 + 1

        def at(x, y):  # (called within this iteration only, so its variables are current)
            return (
                left + (x - x0) / ((x1 - x0) or 1) * (right - left),  # noqa: B023
                lower - (y - y0) / (y1 - y0) * (lower - upper),  # noqa: B023
            )

        draw.rectangle((left, upper, right, lower), outline=(120, 120, 120))
        draw.text((left, top + 8), title, fill="black", font=font)
        for y in (y0, (y0 + y1) / 2, y1):
            _px, py = at(x0, y)
            draw.text((8, py - 6), f"{y:.3g}", fill=(60, 60, 60), font=font)
            draw.line((left - 4, py, left, py), fill=(120, 120, 120))
        draw.text(
            (left, lower + 8), _("step {step:g}").format(step=x0), fill=(60, 60, 60), font=font
        )
        last = _("step {step:g}").format(step=x1)
        draw.text(
            (min(right - 90, right - draw.textlength(last, font=font)), lower + 8),
            last,
            fill=(60, 60, 60),
            font=font,
        )
        draw.line([at(x, y) for x, y in points], fill=color, width=2)
    image.save(path)
    return True


def _font(image_font, texts: list[str]):
    """Pillow's built-in font, which draws ASCII only; for other text (Hangul) the shipped
    NanumGothic, when there is one."""
    if all(text.isascii() for text in texts):
        return image_font.load_default()
    from transfer_explorer.engine.fonts import hangul_font_file

    path = hangul_font_file()
    if path is None:  # no font that draws it: boxes beat no card at all
        return image_font.load_default()
    try:
        return image_font.truetype(str(path), FONT_SIZE)
    except OSError:  # an unreadable font file
        return image_font.load_default()


def model_card(run: dict, meta: dict, kind: str, notes: list[str], curves: str | None) -> str:
    """README.md for the exported folder."""
    config = run.get("config") or {}
    metrics = run.get("metrics") or {}
    name = run.get("name") or _("run {run}").format(run=run["id"])
    lines = [
        f"# {name}",
        "",
        _(
            "A sentence-pair model trained with Transfer Explorer (run {run}, "
            "{created}): upstream **{upstream}**, method "
            "**{method}**, downstream **{dataset}** "
            "({task}), head **{head}**."
        ).format(
            run=run["id"],
            created=run.get("created_at", ""),
            upstream=meta.get("upstream"),
            method=meta.get("method"),
            dataset=meta.get("dataset"),
            task=meta.get("task"),
            head=meta.get("head"),
        ),
        "",
        "## " + _("Load it"),
        "",
    ]
    lines += _how_to_load(kind, meta)
    lines += ["", "## " + _("Results"), "", _("| split | metric | value |"), "|---|---|---|"]
    for split in ("dev", "test"):
        for key, value in (metrics.get(split) or {}).items():
            if isinstance(value, (int, float)) and value is not None and math.isfinite(value):
                lines.append(f"| {split} | {key} | {value:.2f} |")
    if meta.get("task") == "regression":
        low, high = meta["score_range"]
        lines += [
            "",
            _(
                "Scores are on the dataset's scale, {low:g}–{high:g}; Pearson and "
                "Spearman are ×100. `cosine_spearman` is Spearman of the cosine of the two "
                "sentence vectors (what sentence-transformers' EmbeddingSimilarityEvaluator "
                "reports as spearman_cosine, ×100)."
            ).format(low=low, high=high),
        ]
    for note in notes:
        lines += ["", _("Note: {note}.").format(note=note)]
    if curves:
        lines += ["", "## " + _("Curves"), "", "![" + _("training curves") + f"]({curves})"]
    lines += [
        "",
        "## " + _("Settings"),
        "",
        "```json",
        json.dumps(config, indent=1, sort_keys=True),
        "```",
        "",
    ]
    return "\n".join(lines)


def _how_to_load(kind: str, meta: dict) -> list[str]:
    ours = [
        "```python",
        "import transfer_explorer",
        "model = transfer_explorer.load_model('THIS_FOLDER')",
        "model.score('A man is playing a guitar.', 'Someone plays the guitar.')",
        "```",
    ]
    if kind == "sentence-transformers":
        return [
            "```python",
            "from sentence_transformers import SentenceTransformer",
            "model = SentenceTransformer('THIS_FOLDER')",
            "u, v = model.encode(['A man is playing a guitar.', 'Someone plays the guitar.'])",
            "model.similarity(u, v)  # cosine",
            "```",
            "",
            _("or, with this app's head:"),
            "",
            *ours,
        ]
    if kind == "cross-encoder":
        return [
            "```python",
            "from sentence_transformers import CrossEncoder",
            "model = CrossEncoder('THIS_FOLDER')",
            "model.predict([('A man is playing a guitar.', 'Someone plays the guitar.')])",
            "```",
            "",
            _(
                "`predict` gives the score in 0–1 (the app maps it onto the "
                "dataset's scale), or, with this app:"
            ),
            "",
            *ours,
        ]
    return [
        _(
            "`model.safetensors` (weights), `model.json` (settings and shape), "
            "`tokenizer.json`; load them with Transfer Explorer installed:"
        ),
        "",
        *ours,
    ]
