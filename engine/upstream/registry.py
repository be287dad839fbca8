"""The registry of upstream tasks: every module in ``engine/upstream/tasks/`` defines ``TASK``.

Everything that needs to know about tasks — settings validation, the runner, the CLI's
choices, sweeps, the window — asks here. Nothing outside the task modules compares a
task's name with a string (``tests/test_registry.py`` checks it).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.upstream.task import UpstreamTask


@cache
def _registry() -> dict[str, UpstreamTask]:
    package = importlib.import_module("transfer_explorer.engine.upstream.tasks")
    found: dict[str, UpstreamTask] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        task = getattr(module, "TASK", None)
        if not isinstance(task, UpstreamTask):
            raise RuntimeError(f"{module.__name__} defines no TASK (an UpstreamTask)")
        if task.name in found:
            raise RuntimeError(f"two upstream tasks are named {task.name!r}")
        found[task.name] = task
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def tasks() -> list[UpstreamTask]:
    """Every task, in the order the window lists them."""
    return list(_registry().values())


def task_names() -> tuple[str, ...]:
    return tuple(_registry())


def get_task(name: str) -> UpstreamTask:
    try:
        return _registry()[name]
    except (KeyError, TypeError):
        raise ConfigError(
            _("unknown upstream task {name!r}; choose one of: {choices}").format(
                name=name, choices=", ".join(task_names())
            )
        ) from None


def control_task() -> UpstreamTask:
    """The random-init task every other arm is compared with."""
    return next(task for task in tasks() if task.control)


def tasks_allowing(method: str) -> list[UpstreamTask]:
    return [task for task in tasks() if method in task.methods]
