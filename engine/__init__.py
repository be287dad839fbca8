"""Transfer Explorer's engine: headless transfer-learning experiments on sentence similarity.

The engine never imports Qt. A caller (the CLI, the GUI's worker thread, a test) calls
:func:`run` with a config, a plain ``emit(event)`` callback and a :class:`RunControl`.
"""

if (
    __name__ != "transfer_explorer.engine"
):  # the repository's engine/ folder imported by its own name
    raise ImportError("'engine' is part of Transfer Explorer: import transfer_explorer.engine")

from transfer_explorer.engine.config import ExperimentConfig
from transfer_explorer.engine.control import RunCancelled, RunControl
from transfer_explorer.engine.errors import ConfigError, DataError, UserError

__all__ = [
    "ExperimentConfig",
    "RunControl",
    "RunCancelled",
    "ConfigError",
    "DataError",
    "UserError",
    "run",
]


def run(config, emit=None, control=None, **kwargs):
    """Run one experiment; see :func:`engine.runner.run_experiment`."""
    from transfer_explorer.engine.experiment.runner import (
        run_experiment,
    )  # torch is imported lazily, on first use

    return run_experiment(config, emit=emit, control=control, **kwargs)
