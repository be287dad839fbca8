"""Type-check the engine with mypy: ``python tools/typecheck.py`` (exit 0 when clean).

The repository keeps engine/, gui/ and resources/ beside transfer_explorer/ and installs
them into it (pyproject.toml's package-dir), which mypy cannot follow. So mypy runs on a
temporary folder of links in the installed shape, with pyproject.toml's [tool.mypy]
settings; the messages name the files as that folder does (transfer_explorer/engine/…,
which is engine/… here).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "transfer_explorer"
        package.mkdir()
        for item in (ROOT / "transfer_explorer").iterdir():
            if item.name != "__pycache__":
                (package / item.name).symlink_to(item)
        for folder in ("engine", "gui", "resources"):
            (package / folder).symlink_to(ROOT / folder)
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "-p",
            "transfer_explorer.engine",
            *sys.argv[1:],
        ]
        return subprocess.run(command, cwd=tmp).returncode


if __name__ == "__main__":
    sys.exit(main())
