"""One experiment, end to end: settings checked and data read once (``checks``), the
upstream prepared, the downstream model built by transfer method (``transfer``) and trained
(``downstream``), everything recorded (``runner.run_experiment``, which ``engine.run``
calls).

May import the upstream tasks, the training loop, the store, saved models, models, data and
disk — never a sweep or an adapter (the command line, the window).
"""

from transfer_explorer.engine.experiment.checks import Experiment, check, load_data

__all__ = ["Experiment", "check", "load_data"]
