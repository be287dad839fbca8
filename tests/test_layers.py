"""The engine never imports Qt: importing all of it with Qt blocked still runs an experiment.

The import-linter contracts are checked on the installed wheel (tests/test_wheel.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCK_QT = """
import importlib.abc, sys
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if (name.split('.')[0] in ('PySide6', 'pyqtgraph', 'superqt')
                or name.startswith(('transfer_explorer.gui', 'transfer_explorer.launcher'))):
            raise ImportError('engine imported ' + name)
sys.meta_path.insert(0, BlockQt())
import pkgutil, importlib
from transfer_explorer import engine
for info in pkgutil.walk_packages(engine.__path__, 'transfer_explorer.engine.'):
    importlib.import_module(info.name)
from transfer_explorer.engine import ExperimentConfig, run
r = run(ExperimentConfig(), db=sys.argv[1])
assert r.status == 'finished', r.error
print('ok', r.metrics['dev']['spearman'])
"""


def test_engine_imports_and_runs_with_qt_blocked(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", BLOCK_QT, str(tmp_path / "r.sqlite")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")
