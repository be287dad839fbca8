"""The engine never imports Qt: checked by import-linter and by importing it with Qt blocked."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt', 'gui', 'transfer_explorer'):
            raise ImportError('engine imported ' + name)
sys.meta_path.insert(0, BlockQt())
import pkgutil, importlib, engine
for info in pkgutil.walk_packages(engine.__path__, 'engine.'):
    importlib.import_module(info.name)
from engine import ExperimentConfig, run
r = run(ExperimentConfig(), db=sys.argv[1])
assert r.status == 'finished', r.error
print('ok', r.metrics['dev']['spearman'])
"""


def test_engine_imports_and_runs_with_qt_blocked(tmp_path):
    proc = subprocess.run([sys.executable, "-c", BLOCK_QT, str(tmp_path / "r.sqlite")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")


def test_import_linter_contract_holds():
    """The contracts in pyproject.toml ([tool.importlinter]): the engine imports no Qt, the
    window nothing of the CLI, and no tab another tab. import-linter is a test extra."""
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), "import-linter is missing: pip install -e '.[test]'"
    proc = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "3 kept, 0 broken" in proc.stdout
