"""The ``transfer-explorer`` command line: an adapter over the engine, like the window.

``commands`` (the parser and one function per verb), ``sweep`` (the sweep verb),
``progress`` (tqdm bars fed by engine events), ``signals`` (Ctrl-C, SIGTERM, SIGHUP). The
engine never imports this package, and the window borrows nothing from it.
"""
