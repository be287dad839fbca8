"""Write TensorBoard event files for runs, so the curves open in the viewer people know."""

from __future__ import annotations

import re
from pathlib import Path

from transfer_explorer.engine.errors import ConfigError
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.store.database import Store


def export_runs(store: Store, run_ids: list[int], folder: str | Path) -> list[Path]:
    """One event-file folder per run: scalars '<stage>/<metric>' against the step."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise ConfigError(
            _("TensorBoard export needs the tensorboard package: pip install -e '.[export]'")
        ) from None
    written = []
    for run_id in run_ids:
        run = store.get_run(run_id)
        label = re.sub(
            r"[^A-Za-z0-9_.-]+",
            "_",
            f"run{run_id}-{run['upstream']}-{run['method']}-{run['downstream']}"
            f"-f{run['train_fraction']:g}-s{run['seed']}",
        )
        log_dir = Path(folder) / label
        with SummaryWriter(log_dir=str(log_dir)) as writer:
            for row in store.metrics(run_id):
                writer.add_scalar(f"{row['stage']}/{row['name']}", row["value"], row["step"])
            writer.add_text("config", f"```\n{run['config']}\n```")
        written.append(log_dir)
    return written
