"""One module per upstream task; each defines ``TASK`` (see :mod:`engine.upstream.task`)."""
