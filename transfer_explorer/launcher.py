"""The ``transfer-explorer`` console script: the GUI by default, engine commands otherwise.

Qt is imported only when the window is opened, so ``transfer-explorer run`` stays headless.
"""
from __future__ import annotations

import sys
from typing import Sequence


def start_gui(args) -> int:
    from transfer_explorer.gui.app import run_app

    return run_app(args)


def main(argv: Sequence[str] | None = None) -> None:
    from transfer_explorer.engine import cli

    sys.exit(cli.main(argv, gui=start_gui))


if __name__ == "__main__":
    main()
