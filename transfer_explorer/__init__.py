"""Transfer Explorer: the process entry point that picks the command line or the window.

It sits beside the two layers — ``engine`` (headless, no Qt) and ``gui`` (the window, no
command line) — so neither needs to import the other's door.
"""
