"""The bench/ and docs/ scripts are not run by CI, so keep them importable and runnable.

(A refactor of engine.downstream once broke bench/engine_overhead.py without any test noticing.)
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(ROOT.glob("bench/*.py")) + sorted(ROOT.glob("docs/*.py"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_script_imports(path):
    if "PySide6" in path.read_text():  # a headless engine install (a GPU server) has no Qt
        pytest.importorskip("PySide6")
    spec = importlib.util.spec_from_file_location(f"script_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # module-level imports resolve; main() is not called
    assert callable(getattr(module, "main", None))


def test_engine_overhead_bench_runs_on_demo_data(tmp_path):
    """A real (short) run of the overhead bench: both loops train and a ratio is printed."""
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/engine_overhead.py"),
            "--repeats",
            "1",
            "--threads",
            "1",
            "--data-root",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert "data demo" in out.stdout and "ratio" in out.stdout
    ratio = float(out.stdout.split("ratio ")[1].split(";")[0])
    assert 0.2 < ratio < 5  # both sides trained the same batches; a broken side is far off
