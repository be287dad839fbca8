"""The window pays a first run's one-time imports in the background (experiment/warm_up.py)."""

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import json, sys, tempfile
    from pathlib import Path
    from transfer_explorer.engine import run
    from transfer_explorer.engine.config import ExperimentConfig
    from transfer_explorer.engine.experiment.warm_up import start_warm_up

    root = Path(tempfile.mkdtemp())
    config = ExperimentConfig(seed=0)
    config.training.epochs = 1
    seen = {"cold": sorted(m for m in sys.modules if m.startswith("torch._dynamo"))}
    # a run while the warm-up imports the same modules on another thread, as when a person
    # presses Run before the window's warm-up has finished
    thread = start_warm_up()
    result = run(config, db=root / "runs.sqlite", cache=root / "cache")
    thread.join()
    seen["status"], seen["error"] = result.status, result.error
    seen["dynamo"] = "torch._dynamo" in sys.modules
    print(json.dumps(seen))
""")

WARMED_UP = textwrap.dedent("""
    import json, sys
    from transfer_explorer.engine.experiment.warm_up import warm_up
    warm_up()
    print(json.dumps({"dynamo": "torch._dynamo" in sys.modules,
                      "runner": "transfer_explorer.engine.experiment.runner" in sys.modules}))
""")


def _run(script: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_warm_up_imports_what_a_first_run_would():
    seen = _run(WARMED_UP)
    assert seen == {"dynamo": True, "runner": True}


def test_a_run_started_while_the_warm_up_imports_works():
    seen = _run(SCRIPT)
    assert seen["cold"] == []  # importing the engine alone does not pay for torch._dynamo
    assert (seen["status"], seen["error"]) == ("finished", "")
    assert seen["dynamo"]
