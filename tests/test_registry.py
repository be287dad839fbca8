"""The upstream-task registry: one home per task, and nobody else branches on a task name."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from transfer_explorer.engine import ConfigError, ExperimentConfig
from transfer_explorer.engine.upstream import registry
from transfer_explorer.engine.upstream.task import TEXT_CORPORA, UpstreamTask

ROOT = Path(__file__).resolve().parents[1]
TASK_MODULES = ROOT / "engine" / "upstream" / "tasks"


def _literals(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    return []


def task_name_branches(path: Path, names: set[str]) -> list[str]:
    """Places in one file that compare something with a task's name written out, or keep
    a table keyed by task names (what a task registry is for)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(names & set(_literals(side)) for side in sides):
                found.append(f"{path.name}:{node.lineno} compares with a task name")
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & names) >= 2:
                found.append(f"{path.name}:{node.lineno} a table keyed by task names")
        elif isinstance(node, ast.match_case):
            if names & {
                n.value.value
                for n in ast.walk(node.pattern)
                if isinstance(n, ast.MatchValue) and isinstance(n.value, ast.Constant)
            }:
                found.append(f"{path.name}:{node.pattern.lineno} matches a task name")
    return found


def test_no_code_outside_the_task_modules_branches_on_a_task_name():
    names = set(registry.task_names())
    files = [
        p
        for folder in ("engine", "gui", "bench", "docs")
        for p in sorted((ROOT / folder).rglob("*.py"))
        if TASK_MODULES not in p.parents
    ]
    assert len(files) > 40  # the scan really looks at the code
    branches = [b for path in files for b in task_name_branches(path, names)]
    assert branches == []


def test_the_scan_finds_the_branches_it_forbids(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        textwrap.dedent("""
        if config.upstream.task == "mlm": pass
        ok = task in ("hf", "glove")
        LABELS = {"none": "random", "sentiment": "sst"}
        match task:
            case "word2vec": pass
        fine = method == "scratch"
    """)
    )
    found = task_name_branches(sample, set(registry.task_names()))
    assert [f.split(" ", 1)[0] for f in found] == [
        "sample.py:2",
        "sample.py:3",
        "sample.py:4",
        "sample.py:6",
    ]


def test_every_task_module_defines_one_complete_task():
    modules = sorted(p.stem for p in TASK_MODULES.glob("*.py") if p.stem != "__init__")
    tasks = registry.tasks()
    assert len(tasks) == len(modules)
    assert [t for t in tasks if t.control] == [registry.control_task()]
    for task in tasks:
        assert isinstance(task, UpstreamTask) and task.label and task.explanation
        assert set(task.methods) <= {"scratch", "feature", "finetune", "zero-shot"}
        assert "scratch" in task.methods  # every task has its control arm
        if task.trains:
            assert task.corpus in TEXT_CORPORA and task.default_epochs >= 1
    assert registry.get_task("sentiment").corpus_for("ko") == "nsmc"


def test_unknown_task_names_the_known_ones():
    with pytest.raises(ConfigError, match="unknown upstream task 'gpt7'; choose one of: none"):
        registry.get_task("gpt7")


def test_the_registry_and_the_cli_stay_light():
    """--help, settings and the task list do not import torch, gensim or transformers."""
    code = (
        "import sys\nfrom transfer_explorer.cli import commands as cli\n"
        "from transfer_explorer.engine.upstream.registry import tasks\n"
        "from transfer_explorer.engine.config import ExperimentConfig, UpstreamConfig\n"
        "[t.label for t in tasks()]\n"
        "ExperimentConfig(upstream=UpstreamConfig(task='sentiment')).validate()\n"
        "cli.build_parser()\n"
        "print(sorted(m for m in ('torch', 'gensim', 'transformers') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert out.strip() == "[]"


NEW_TASK = '''
"""Upstream ``copycat``: a new task in one file (a test)."""
from transfer_explorer.engine.upstream.task import UNLABELLED_TEXT, UpstreamResult, UpstreamTask


class Copycat(UpstreamTask):
    name = "copycat"
    label = "copycat (a test task)"
    explanation = "Learns nothing: its weights are random, like the control's."
    corpus = UNLABELLED_TEXT
    methods = ("scratch", "feature")
    order = 99

    def build(self, run):
        return UpstreamResult(self.name)


TASK = Copycat()
'''


@pytest.fixture
def extra_task(tmp_path, monkeypatch):
    """A task module dropped into the task package, and nowhere else."""
    import transfer_explorer.engine.upstream.tasks as package

    folder = tmp_path / "more_tasks"
    folder.mkdir()
    (folder / "copycat.py").write_text(NEW_TASK)
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(folder)])
    registry._registry.cache_clear()
    yield registry.get_task("copycat")
    monkeypatch.undo()
    registry._registry.cache_clear()
    sys.modules.pop("transfer_explorer.engine.upstream.tasks.copycat", None)


def test_adding_a_task_is_adding_one_file(extra_task, db, capsys):
    from transfer_explorer.cli import commands as cli

    assert registry.task_names()[-1] == "copycat"
    # settings: its own rules apply (it allows two methods)
    with pytest.raises(ConfigError, match="finetune does not apply to the copycat upstream"):
        ExperimentConfig.from_dict(
            {"upstream": {"task": "copycat"}, "method": "finetune"}
        ).validate()
    # the CLI offers it and runs it end to end
    assert (
        cli.main(
            [
                "run",
                "--upstream",
                "copycat",
                "--method",
                "feature",
                "--epochs",
                "1",
                "--threads",
                "1",
                "--quiet",
                "--json",
                "--db",
                str(db),
            ]
        )
        == 0
    )
    assert '"status": "finished"' in capsys.readouterr().out
    # a sweep accepts it as an arm
    from transfer_explorer.engine.sweep.grid import Sweep

    assert (
        Sweep.from_dict({"arms": ["none/scratch", "copycat/feature"]}).arms[1] == "copycat/feature"
    )


def test_the_window_offers_a_new_task_with_its_rules(extra_task, qtbot):
    pytest.importorskip("pytestqt")
    from transfer_explorer.gui.panel import ExperimentPanel

    panel = ExperimentPanel()
    qtbot.addWidget(panel)
    panel.upstream.set_value("copycat")
    assert panel.upstream.currentText() == "copycat (a test task)"
    assert panel.explanation.text().startswith("Learns nothing")
    assert panel.method.allows("feature") and not panel.method.allows("finetune")
    assert panel.upstream_data.isEnabled()  # it reads unlabelled text
    assert panel.config().upstream.task == "copycat"
