"""Files and folders: where things live (``paths``), reading without ever blocking on a
special file (``safe_read``), writing the user's outputs checked and atomically
(``outputs``), and temporaries a killed writer leaves behind (``temp_folders``).

The bottom of the engine: imports nothing of it but ``errors``.
"""
