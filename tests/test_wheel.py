"""The built wheel, installed into a fresh venv: one top-level package, a working command,
and the import-linter contracts of pyproject.toml (checked there, where every layer lives
under transfer_explorer/ on disk).

Offline: the wheel is built with --no-build-isolation, installed with --no-index --no-deps, and
the fresh venv borrows this venv's dependencies through a plain path entry (a ``.pth`` line,
which does not run this venv's editable-install hook).
"""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile("[\uac00-\ud7a3]")
SOURCES = (
    "engine",
    "gui",
    "resources",
    "transfer_explorer",
    "pyproject.toml",
    "README.md",
    "LICENSE",
)


def _source_packages() -> set[str]:
    names = {"transfer_explorer"} | {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "transfer_explorer").rglob("*/__init__.py")
    }
    for layer in ("engine", "gui", "resources"):
        for init in (ROOT / layer).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT).parts
            names.add(".".join(("transfer_explorer", *parts)))
    return names


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(wheel path, the fresh venv's bin folder, a scratch folder outside the repository)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:  # a copy: building in the checkout would leave build/ behind
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy2(ROOT / name, src / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    wheel = next((tmp / "dist").glob("transfer_explorer-*.whl"))

    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bin_dir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    fresh_site = Path(
        subprocess.run(
            [
                str(bin_dir / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (fresh_site / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            str(bin_dir / "python"),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    work = tmp / "work"
    work.mkdir()
    return wheel, bin_dir, work


def test_the_wheel_holds_one_top_level_package_and_every_subpackage(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"transfer_explorer"}
    packages = {str(Path(n).parent).replace("/", ".") for n in names if n.endswith("/__init__.py")}
    assert packages == _source_packages()
    shipped = {n for n in names if n.startswith("transfer_explorer/resources/")}
    for folder in ("demo", "presets"):
        for path in (ROOT / "resources" / folder).iterdir():
            assert f"transfer_explorer/resources/{folder}/{path.name}" in shipped
    for path in (ROOT / "resources" / "i18n").rglob("*.[mqpt][os]"):  # .qm .ts .mo .po
        assert f"transfer_explorer/resources/{path.relative_to(ROOT / 'resources')}" in shipped


def test_a_fresh_install_speaks_korean(installed):
    """The compiled translations are in the wheel: the command line's errors and the window's
    translator both find them in the installed package, not in the checkout."""
    _, bin_dir, work = installed
    env = {**os.environ, "LANG": "ko_KR.UTF-8", "LANGUAGE": "", "LC_ALL": ""}
    proc = subprocess.run(
        [str(bin_dir / "transfer-explorer"), "show", "99", "--db", str(work / "empty.sqlite")],
        cwd=work, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert proc.returncode == 2 and HANGUL.search(proc.stderr), proc.stderr
    code = (
        "from importlib import resources\n"
        "from PySide6.QtCore import QTranslator\n"
        "folder = str(resources.files('transfer_explorer.resources') / 'i18n')\n"
        "t = QTranslator()\n"
        "print(folder, t.load('transfer_explorer_ko', folder), t.isEmpty())"
    )
    out = subprocess.run(
        [str(bin_dir / "python"), "-c", code], cwd=work, capture_output=True, text=True, check=True
    ).stdout.split()
    assert str(bin_dir.parent) in out[0] and out[1:] == ["True", "False"]


def test_only_transfer_explorer_is_importable_from_the_fresh_venv(installed):
    _, bin_dir, work = installed
    code = (
        "import importlib.util, transfer_explorer.engine, transfer_explorer.gui\n"
        "print(transfer_explorer.__file__)\n"
        "print([n for n in ('engine', 'gui', 'resources') if importlib.util.find_spec(n)])"
    )
    out = subprocess.run(
        [str(bin_dir / "python"), "-c", code], cwd=work, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert str(bin_dir.parent) in out[0]  # the installed copy, not the checkout
    assert out[1] == "[]"
    proc = subprocess.run(
        [str(bin_dir / "python"), "-c", "import engine"], cwd=work, capture_output=True, text=True
    )
    assert proc.returncode != 0 and "No module named 'engine'" in proc.stderr


def test_the_installed_command_runs_an_experiment(installed):
    _, bin_dir, work = installed
    proc = subprocess.run(
        [
            str(bin_dir / "transfer-explorer"),
            "run",
            "--epochs",
            "1",
            "--quiet",
            "--json",
            "--db",
            str(work / "runs.sqlite"),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert '"status": "finished"' in proc.stdout
    help_ = subprocess.run(
        [str(bin_dir / "python"), "-m", "transfer_explorer", "--help"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert help_.returncode == 0 and "run" in help_.stdout


def test_import_linter_contracts_hold_on_the_installed_package(installed):
    """pyproject.toml's contracts: the engine imports no Qt, the window nothing of the command
    line, and no tab another tab."""
    _, bin_dir, work = installed
    code = (
        "import sys\nfrom importlinter.cli import lint_imports_command\n"
        f"sys.argv = ['lint-imports', '--config', {str(ROOT / 'pyproject.toml')!r}]\n"
        "lint_imports_command()"
    )
    proc = subprocess.run(
        [str(bin_dir / "python"), "-c", code], cwd=work, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "5 kept, 0 broken" in proc.stdout
