"""A model card for an exported run: README.md with its settings, data and metrics, and its
curves drawn as a PNG (Pillow; the engine has no Qt)."""

from __future__ import annotations

import json
import math
from pathlib import Path

# (stage, metric) panels drawn on the card, in order, when the run recorded them
PANELS = (
    ("downstream", "loss", "training loss"),
    ("downstream", "dev_spearman", "dev Spearman"),
    ("downstream", "dev_accuracy", "dev accuracy"),
    ("upstream", "loss", "upstream loss"),
)
COLORS = ((31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189))


def curves_png(curves: dict, path: Path, width: int = 900, panel_height: int = 260) -> bool:
    """Draw the run's main curves, one panel each; False when there is nothing to draw."""
    from PIL import Image, ImageDraw, ImageFont

    panels = [
        (title, curves[(stage, name)], color)
        for (stage, name, title), color in zip(PANELS, COLORS)
        if len(curves.get((stage, name), ([], []))[0]) >= 2
    ]
    if not panels:
        return False
    image = Image.new("RGB", (width, panel_height * len(panels)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
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
            _, py = at(x0, y)
            draw.text((8, py - 6), f"{y:.3g}", fill=(60, 60, 60), font=font)
            draw.line((left - 4, py, left, py), fill=(120, 120, 120))
        draw.text((left, lower + 8), f"step {x0:g}", fill=(60, 60, 60), font=font)
        draw.text((right - 90, lower + 8), f"step {x1:g}", fill=(60, 60, 60), font=font)
        draw.line([at(x, y) for x, y in points], fill=color, width=2)
    image.save(path)
    return True


def model_card(run: dict, meta: dict, kind: str, notes: list[str], curves: str | None) -> str:
    """README.md for the exported folder."""
    config = run.get("config") or {}
    metrics = run.get("metrics") or {}
    name = run.get("name") or f"run {run['id']}"
    lines = [
        f"# {name}",
        "",
        f"A sentence-pair model trained with Transfer Explorer (run {run['id']}, "
        f"{run.get('created_at', '')}): upstream **{meta.get('upstream')}**, method "
        f"**{meta.get('method')}**, downstream **{meta.get('dataset')}** "
        f"({meta.get('task')}), head **{meta.get('head')}**.",
        "",
        "## Load it",
        "",
    ]
    lines += _how_to_load(kind, meta)
    lines += ["", "## Results", "", "| split | metric | value |", "|---|---|---|"]
    for split in ("dev", "test"):
        for key, value in (metrics.get(split) or {}).items():
            if isinstance(value, (int, float)) and value is not None and math.isfinite(value):
                lines.append(f"| {split} | {key} | {value:.2f} |")
    if meta.get("task") == "regression":
        low, high = meta["score_range"]
        lines += [
            "",
            f"Scores are on the dataset's scale, {low:g}–{high:g}; Pearson and "
            "Spearman are ×100. `cosine_spearman` is Spearman of the cosine of the two "
            "sentence vectors (what sentence-transformers' EmbeddingSimilarityEvaluator "
            "reports as spearman_cosine, ×100).",
        ]
    for note in notes:
        lines += ["", f"Note: {note}."]
    if curves:
        lines += ["", "## Curves", "", f"![training curves]({curves})"]
    lines += [
        "",
        "## Settings",
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
            "or, with this app's head:",
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
            "`predict` gives the score in 0–1 (the app maps it onto the "
            "dataset's scale), or, with this app:",
            "",
            *ours,
        ]
    files = "`model.safetensors` (weights), `model.json` (settings and shape), `tokenizer.json`"
    return [f"{files}; load them with Transfer Explorer installed:", "", *ours]
