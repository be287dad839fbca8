"""``python -m transfer_explorer``: the same as the ``transfer-explorer`` command."""

from transfer_explorer.launcher import main

main()
