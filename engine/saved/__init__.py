"""A trained model on disk: saved by a run (``artifacts``), loaded to score pairs
(``predict``), exported as a folder others load (``export``, with its model ``card``).

Imports models, the training batches' padding, disk and the engine's top-level modules;
never the store or a run.
"""
