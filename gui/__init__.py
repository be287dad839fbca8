"""Transfer Explorer's Qt window (PySide6 + pyqtgraph). It renders engine events; it never trains."""
