"""Files shipped with the app: demo data, presets, icons (read with importlib.resources)."""
