"""The window's tabs. Each has ``handle(event)`` (cheap: buffers only) and/or ``redraw()``."""
