"""``python -m transfer_explorer.cli``: the engine's commands, without the window."""

import sys

from transfer_explorer.cli.commands import script

sys.exit(script())
