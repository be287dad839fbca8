"""The README and the docs pages say what is true: their example commands run as written,
every name of the package they mention imports, and every local link points at a file.

(The API page's notebook example runs in tests/test_api.py.)"""

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent  # the venv's transfer-explorer command


def example_lines(page: Path, marker: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker}[^>]*-->\s*```sh\n(.*?)```", text, re.S)
    assert match, f"{page.name}: the {marker} block is missing"
    return [line for line in match.group(1).splitlines() if line.strip()]


@pytest.mark.parametrize(
    "page, marker", [("README.md", "readme-example"), ("docs/cli.md", "cli-example")]
)
def test_the_example_commands_run_as_written(page, marker, tmp_path):
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "TRANSFER_EXPLORER_HOME": str(tmp_path / "home"),
        "HF_HUB_OFFLINE": "1",
    }
    for line in example_lines(ROOT / page, marker):
        assert shlex.split(line)[0] == "transfer-explorer", line
        proc = subprocess.run(
            line, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, f"{line}\n{proc.stderr[-2000:]}"
    assert (tmp_path / "home" / "runs.sqlite").is_file()  # they used the default store


def mentioned_names() -> set[str]:
    """``transfer_explorer.x.y`` in the pages, and ``from transfer_explorer… import a, b``."""
    names = set()
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        names.update(re.findall(r"\btransfer_explorer(?:\.\w+)+", text))
        for package, imported in re.findall(
            r"from (transfer_explorer[\w.]*) import ([\w, ()]+)", text
        ):
            names.update(
                f"{package}.{name.strip(' ()')}"
                for name in imported.split(",")
                if name.strip(" ()")
            )
    return names


def test_every_name_the_pages_mention_imports():
    missing = []
    for name in sorted(mentioned_names()):
        module, attribute = name, None
        while True:
            try:
                found = importlib.import_module(module)
                break
            except ModuleNotFoundError:
                module, _, tail = module.rpartition(".")
                attribute = tail if attribute is None else f"{tail}.{attribute}"
        for part in (attribute or "").split(".") if attribute else ():
            found = getattr(found, part, None)
        if found is None:
            missing.append(name)
    assert not missing, f"named in the docs, but not importable: {missing}"
    assert {"transfer_explorer.Experiment", "transfer_explorer.load_model"} <= mentioned_names()


def test_every_local_link_points_at_a_file():
    broken = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            if not (page.parent / target).exists() and "shared" not in target:
                broken.append(f"{page.name}: {target}")
    assert not broken, broken
