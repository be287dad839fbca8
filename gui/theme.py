"""Light or dark: the window follows the system's colour scheme, or the one forced by
TRANSFER_EXPLORER_THEME=dark|light (screenshots, tests), with the Fusion style.

Plots take their background, axes and text from the window's palette, so they stay readable
either way; curve colours (plots.PALETTE) are mid-tones that read on white and on near-black.
"""

from __future__ import annotations

import os

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

THEME_ENV = "TRANSFER_EXPLORER_THEME"
MODES = ("system", "light", "dark")

_forced = {"palette": False}  # whether the palette in use is one this module set
# Fusion outlines an empty tick box with the window colour darkened: invisible on a dark list
UNCHECKED_CSS = (
    "QAbstractItemView::indicator:unchecked, QCheckBox::indicator:unchecked "
    "{ border: 1px solid #8c8c8c; border-radius: 2px; background: #1e1e1e; "
    "width: 12px; height: 12px; }"
)


def requested_mode(environ=os.environ) -> str:
    """``light`` or ``dark`` when forced through the environment, else ``system``."""
    value = environ.get(THEME_ENV, "").strip().lower()
    return value if value in MODES else "system"


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.Window: "#2b2b2b",
        QPalette.WindowText: "#e8e8e8",
        QPalette.Base: "#1e1e1e",
        QPalette.AlternateBase: "#262a30",
        QPalette.Text: "#e8e8e8",
        QPalette.Button: "#363636",
        QPalette.ButtonText: "#e8e8e8",
        QPalette.BrightText: "#ff6b6b",
        QPalette.Highlight: "#3d7bd9",
        QPalette.HighlightedText: "#ffffff",
        QPalette.ToolTipBase: "#3a3a3a",
        QPalette.ToolTipText: "#f0f0f0",
        QPalette.PlaceholderText: "#9a9a9a",
        QPalette.Link: "#7aa9ff",
        QPalette.LinkVisited: "#c09cff",
        QPalette.Light: "#4a4a4a",
        QPalette.Midlight: "#3c3c3c",
        QPalette.Mid: "#5a5a5a",
        QPalette.Dark: "#1a1a1a",
        QPalette.Shadow: "#000000",
    }
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, QColor("#7d7d7d"))
    palette.setColor(QPalette.Disabled, QPalette.Button, QColor("#2f2f2f"))
    palette.setColor(QPalette.Disabled, QPalette.Base, QColor("#242424"))
    return palette


def light_palette() -> QPalette:
    from PySide6.QtWidgets import QStyleFactory

    return QStyleFactory.create("Fusion").standardPalette()


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Window).lightness() < 128


def system_scheme() -> str:
    """``dark``, ``light`` or ``unknown``: what the desktop asks for (Qt 6.5+)."""
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    if scheme == Qt.ColorScheme.Light:
        return "light"
    return "unknown"


def apply_theme(app, mode: str | None = None) -> str:
    """Set the palette for ``mode`` (default: the environment's, else the system's) and the
    plot colours that go with it; returns ``light`` or ``dark``, what is now in use."""
    mode = mode or requested_mode()
    if mode in ("light", "dark"):
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if mode == "dark" else light_palette())
        _forced["palette"] = True
    else:
        if _forced["palette"]:  # back to what the platform gives
            app.setPalette(QPalette())
            _forced["palette"] = False
        scheme = system_scheme()
        # a platform theme that does not follow the scheme (Fusion on a bare X11 session)
        if scheme == "dark" and not is_dark(app.palette()):
            app.setStyle("Fusion")
            app.setPalette(dark_palette())
            _forced["palette"] = True
        elif scheme == "light" and is_dark(app.palette()):
            app.setStyle("Fusion")
            app.setPalette(light_palette())
            _forced["palette"] = True
    ours = _forced["palette"] and is_dark(app.palette())
    if ours or app.styleSheet() == UNCHECKED_CSS:  # never replace a style sheet of others
        app.setStyleSheet(UNCHECKED_CSS if ours else "")
    configure_plots(app.palette())
    return "dark" if is_dark(app.palette()) else "light"


def follow_system(app):
    """Re-apply the system's scheme whenever the desktop switches it; returns the slot (to
    disconnect it) or None where Qt cannot tell (before 6.5)."""
    hints = QGuiApplication.styleHints()
    if not hasattr(hints, "colorSchemeChanged"):
        return None

    def changed(*_) -> None:
        apply_theme(app, "system")

    hints.colorSchemeChanged.connect(changed)
    return changed


# ---- plots ------------------------------------------------------------------------------------
def _mix(a: QColor, b: QColor, share_of_a: float) -> QColor:
    return QColor.fromRgbF(
        *(share_of_a * x + (1 - share_of_a) * y for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3]))
    )


def plot_colors(palette: QPalette) -> dict[str, str]:
    """Background, foreground (axes, titles, labels) and muted text for plots."""
    base, text = palette.color(QPalette.Base), palette.color(QPalette.Text)
    return {
        "background": base.name(),
        "foreground": _mix(text, base, 0.82).name(),
        "muted": _mix(text, base, 0.55).name(),
    }


def configure_plots(palette: QPalette) -> None:
    """Colours for plots made from now on."""
    colors = plot_colors(palette)
    pg.setConfigOptions(background=colors["background"], foreground=colors["foreground"])


def restyle_plots(root) -> int:
    """Recolour the plots already on screen under ``root`` (the scheme changed while the
    window was open); returns how many were recoloured."""
    colors = plot_colors(root.palette())
    fg, bg = colors["foreground"], colors["background"]
    plots = root.findChildren(pg.PlotWidget)
    for widget in plots:
        widget.setBackground(bg)
        item = widget.getPlotItem()
        for name in ("left", "bottom", "right", "top"):
            axis = item.getAxis(name)
            axis.setPen(fg)
            axis.setTextPen(fg)
        title = item.titleLabel
        title.setAttr("color", fg)
        title.setText(title.text)
        legend = item.legend
        if legend is not None:
            legend.setLabelTextColor(fg)
            for _, label in legend.items:
                label.setText(label.text)
    return len(plots)
