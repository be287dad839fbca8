"""The lesson: the lecture's argument as seven steps, each a small sweep of a lesson preset
(``steps``), read in words from its measured numbers (``reading``), with the layers a
transfer keeps, drops and adds (``layers``).

The top of the engine: a step is a sweep, run by engine.sweep like any other; nothing in
the engine imports the lesson.
"""

from transfer_explorer.engine.lesson.steps import LESSON_DATA, STEPS, Step, step_sweep

__all__ = ["LESSON_DATA", "STEPS", "Step", "step_sweep"]
