"""Draw the rooms of the code and the imports between them, from the code itself.

Usage: python docs/make_architecture.py   (writes docs/architecture.png and the Mermaid block
in docs/architecture.md between its markers)

grimp (which import-linter uses) reads every import. The repository keeps engine/, gui/
and resources/ beside transfer_explorer/ and installs them into it (pyproject.toml's
package-dir), so the graph is built from a temporary folder of links that has the installed
shape. Modules are grouped into rooms; an arrow A → B says some module of A imports one of B
(the number on it: how many module pairs).
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
PNG = ROOT / "docs" / "architecture.png"
PAGE = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- architecture: begin -->", "<!-- architecture: end -->"

# Rows, top to bottom: a room may import the rows below it (pyproject's layers contract).
ROWS = [
    ["cli", "gui", "api"],
    ["sweep"],
    ["experiment"],
    ["upstream"],
    ["training", "store"],
    ["saved"],
    ["models", "data"],
    ["disk"],
]
ADAPTERS = ("cli", "gui", "api")
CORE = "core"  # engine/*.py: config, control, batching, codec, text, events, errors, labels …
NOTES = {"cli": "command line", "gui": "window", "api": "Python API", "core": "engine/*.py"}


def room_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["transfer_explorer", "engine"]:
        if len(parts) == 2:
            return CORE
        package = ROOT / "engine" / parts[2]
        return parts[2] if package.is_dir() else CORE
    if len(parts) >= 2 and parts[1] in ("cli", "gui", "api"):
        return parts[1]
    return None  # the launcher, resources, the package root


def import_graph() -> Counter:
    import grimp

    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "transfer_explorer"
        package.mkdir()
        for item in (ROOT / "transfer_explorer").iterdir():
            if item.name != "__pycache__":
                (package / item.name).symlink_to(item)
        for folder in ("engine", "gui", "resources"):
            (package / folder).symlink_to(ROOT / folder)
        sys.path.insert(0, tmp)
        try:
            graph = grimp.build_graph("transfer_explorer", include_external_packages=False)
        finally:
            sys.path.remove(tmp)
    edges: Counter = Counter()
    for module in graph.modules:
        source = room_of(module)
        for target_module in graph.find_modules_directly_imported_by(module):
            target = room_of(target_module)
            if source and target and source != target:
                edges[(source, target)] += 1
    return edges


def mermaid(edges: Counter) -> str:
    lines = ["```mermaid", "flowchart TD"]
    for (source, target), count in sorted(edges.items()):
        if CORE not in (source, target):
            lines.append(f"    {source} -->|{count}| {target}")
    lines.append(
        f"    %% every room also imports {CORE} ({NOTES[CORE]}); {CORE} imports the "
        "upstream registry (config, labels) and, on first use, experiment (engine.run)"
    )
    lines.append("```")
    return "\n".join(lines)


def draw(edges: Counter) -> None:
    width, row_height, box_w, box_h = 900, 92, 170, 48
    image = Image.new("RGB", (width, row_height * len(ROWS) + 40), "white")
    pen = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 15)
        small = ImageFont.truetype("DejaVuSans.ttf", 11)
    except OSError:
        font = small = ImageFont.load_default()
    centre: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(ROWS):
        for i, room in enumerate(row):
            x = int((i + 1) * (width - 200) / (len(row) + 1))
            centre[room] = (x, 30 + r * row_height + box_h // 2)
    centre[CORE] = (width - 95, 30 + (len(ROWS) - 1) * row_height + box_h // 2)
    # the adapters' arrows first and faint (they use much of the engine), then the engine's
    for adapters in (True, False):
        for (source, target), count in sorted(edges.items()):
            if CORE in (source, target) or (source in ADAPTERS) != adapters:
                continue
            (x1, y1), (x2, y2) = centre[source], centre[target]
            upward = y2 < y1
            colour = (200, 40, 40) if upward else (200, 208, 222) if adapters else (70, 90, 125)
            start = (x1, y1 + (box_h // 2 if y2 > y1 else -box_h // 2 if upward else 0))
            end = (x2, y2 - (box_h // 2 if y2 > y1 else -box_h // 2 if upward else 0))
            pen.line([start, end], fill=colour, width=1 if adapters else 2)
            _arrow_head(pen, start, end, colour)
            if not adapters:
                mid = ((start[0] + end[0]) // 2 + 5, (start[1] + end[1]) // 2 - 7)
                pen.text(mid, str(count), fill=colour, font=small)
    for room, (x, y) in centre.items():
        box = [x - box_w // 2, y - box_h // 2, x + box_w // 2, y + box_h // 2]
        fill = (235, 242, 250) if room in ("cli", "gui", "api") else (246, 246, 240)
        pen.rounded_rectangle(box, radius=8, fill=fill, outline=(60, 60, 60), width=2)
        label = room if room not in NOTES else f"{room}\n({NOTES[room]})"
        pen.multiline_text((x, y), label, fill=(20, 20, 20), font=font, anchor="mm", align="center")
    pen.text(
        (10, image.height - 22),
        "a room imports only rows below it (red would be an "
        "upward import; the number: module pairs); every room also imports core; faint: "
        "the adapters",
        fill=(80, 80, 80),
        font=small,
    )
    image.save(PNG)


def _arrow_head(pen, start, end, colour) -> None:
    import math

    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    points = [end] + [
        (end[0] - 10 * math.cos(angle + d), end[1] - 10 * math.sin(angle + d)) for d in (0.4, -0.4)
    ]
    pen.polygon(points, fill=colour)


def main() -> None:
    edges = import_graph()
    draw(edges)
    text = PAGE.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{mermaid(edges)}\n{END}"
    PAGE.write_text(
        re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S),
        encoding="utf-8",
    )
    upward = [(s, t) for (s, t) in edges if CORE not in (s, t) and _row(t) < _row(s)]
    print(f"{len(edges)} arrows between rooms; {len(upward)} upward: {upward}; wrote {PNG}")


def _row(room: str) -> int:
    return next((r for r, row in enumerate(ROWS) if room in row), -1)


if __name__ == "__main__":
    main()
