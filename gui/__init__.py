"""Transfer Explorer's Qt window (PySide6 + pyqtgraph): it renders engine events, never trains."""

if __name__ != "transfer_explorer.gui":  # the repository's gui/ folder imported by its own name
    raise ImportError("'gui' is part of Transfer Explorer: import transfer_explorer.gui")
