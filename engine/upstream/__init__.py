"""Upstream tasks: what the encoder learns before the similarity task.

:mod:`engine.upstream.task` says what a task is, :mod:`engine.upstream.registry` finds them,
``engine/upstream/tasks/`` holds one module per task, and :mod:`engine.upstream.cache`
keeps trained upstreams on disk, keyed by a hash of their settings, encoder shape,
vocabulary and data, so a second experiment with the same upstream reuses it.
"""

from transfer_explorer.engine.upstream.registry import control_task, get_task, task_names
from transfer_explorer.engine.upstream.task import (
    PreparedData,
    UpstreamResult,
    UpstreamRun,
    UpstreamTask,
)

__all__ = [
    "PreparedData",
    "UpstreamResult",
    "UpstreamRun",
    "UpstreamTask",
    "control_task",
    "get_task",
    "task_names",
]  # (engine.upstream.tasks is the package of task modules)
