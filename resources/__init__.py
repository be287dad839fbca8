"""Files shipped with the app: demo data, presets, icons (read with importlib.resources)."""

if (
    __name__ != "transfer_explorer.resources"
):  # the repository's resources/ folder imported by its own name
    raise ImportError(
        "'resources' is part of Transfer Explorer: import transfer_explorer.resources"
    )
