"""The ``transfer-explorer`` console script: the GUI by default, engine commands otherwise.

Qt is imported only when the window is opened, so ``transfer-explorer run`` stays headless.
``transfer-explorer --install-desktop-entry`` (Linux) adds the app to the desktop's menu.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def start_gui(args) -> int:
    from transfer_explorer.gui.app import run_app

    return run_app(args)


def main(argv: Sequence[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if "--install-desktop-entry" in args:  # Linux menus; neither Qt nor torch is imported
        from transfer_explorer.desktop import install
        from transfer_explorer.engine.i18n import _, set_language

        set_language(None)  # the environment's (there is no --lang beside this flag)
        if len(args) > 1:
            print(_("error: --install-desktop-entry takes no other arguments"), file=sys.stderr)
            sys.exit(2)
        sys.exit(install())
    from transfer_explorer.cli import commands as cli

    sys.exit(cli.script(argv, gui=start_gui))


if __name__ == "__main__":
    main()
