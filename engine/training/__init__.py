"""The training loop and what it stands on: ``fit`` (one readable loop with callbacks), the
best weights kept, when to evaluate (``eval_plan``), the device and seeds (``context``),
threads that follow the machine's load, speed switches and memory.

Used by a run's downstream stage and by the upstream tasks alike. Imports models, data and
the engine's top-level modules (``control``: pause and stop; ``batching``: length-bucketed
batches) only.
"""
