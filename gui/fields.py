"""Input widgets that hold a setting exactly, and the bindings that tie them to a config path.

A spin box rounds (a learning rate of 3e-6 shown with five decimals is 0), so floats are
typed as text and read back with ``float``; a choice the machine does not offer (device
``cuda`` on a laptop) is kept as an extra entry rather than dropped. Whatever
``set_config`` shows, ``config`` gives back unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from transfer_explorer.engine.errors import ConfigError

INT_MAX = 2**31 - 1


def narrow(combo: QComboBox) -> QComboBox:
    """Let a combo box be narrower than its longest entry (the panel must not overflow)."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class ChoiceField(QComboBox):
    """(label, value) entries; a value set from outside that is not offered is added.
    ``relabel`` gives the entries new words (another language), keeping values and choice."""

    def __init__(self, items: list[tuple[str, Any]], parent=None):
        super().__init__(parent)
        narrow(self)
        self._extra: list[Any] = []  # values added by set_value, not offered
        for label, value in items:
            self.addItem(label, value)

    def relabel(self, items: list[tuple[str, Any]]) -> None:
        for label, value in items:
            index = self.findData(value)
            if index >= 0:
                self.setItemText(index, label)

    def _extra_label(self, value: Any) -> str:
        return self.tr("{value} (from the settings)").format(value=value)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.relabel([(self._extra_label(value), value) for value in self._extra])
        super().changeEvent(event)

    def value(self) -> Any:
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        if index < 0:
            self._extra.append(value)
            self.addItem(self._extra_label(value), value)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def enable_value(self, value: Any, enabled: bool) -> None:
        """Grey out one entry (its model is a QStandardItemModel)."""
        item = self.model().item(self.findData(value)) if self.findData(value) >= 0 else None
        if item is not None:
            item.setEnabled(enabled)

    def allows(self, value: Any) -> bool:
        index = self.findData(value)
        return index >= 0 and self.model().item(index).isEnabled()


class IntField(QSpinBox):
    """An integer; with ``none_text`` the lowest value stands for None ("default", "all")."""

    def __init__(
        self, minimum: int, maximum: int = INT_MAX, none_text: str | None = None, parent=None
    ):
        super().__init__(parent)
        self.optional = none_text is not None
        self.setRange(minimum - 1 if self.optional else minimum, maximum)
        if self.optional:
            self.setSpecialValueText(none_text)

    def value_or_none(self) -> int | None:
        value = self.value()
        return None if self.optional and value == self.minimum() else value

    def set_value(self, value: int | None) -> None:
        self.setValue(self.minimum() if value is None else value)


class FloatField(QLineEdit):
    """A float typed as text (``3e-4``), read back exactly; empty means None when optional."""

    def __init__(self, label: str, none_text: str | None = None, parent=None):
        super().__init__(parent)
        self.label, self.optional = label, none_text is not None
        if none_text:
            self.setPlaceholderText(none_text)
        self.textChanged.connect(self._mark)

    def value_or_none(self) -> float | None:
        text = self.text().strip()
        if not text and self.optional:
            return None
        try:
            value = float(text)
        except ValueError:
            raise ConfigError(
                self.tr("{label}: {text!r} is not a number").format(label=self.label, text=text)
            ) from None
        if not math.isfinite(value):
            raise ConfigError(
                self.tr("{label}: {text!r} is not a finite number").format(
                    label=self.label, text=text
                )
            )
        return value

    def set_value(self, value: float | None) -> None:
        self.setText("" if value is None else repr(value))

    def _mark(self) -> None:
        try:
            self.value_or_none()
            self.setStyleSheet("")
        except ConfigError:
            self.setStyleSheet("border: 1px solid #c0392b;")


class TextField(QLineEdit):
    """Text; with ``empty_is_none`` an empty field means None."""

    def __init__(self, placeholder: str = "", empty_is_none: bool = False, parent=None):
        super().__init__(parent)
        self.empty_is_none = empty_is_none
        self.setPlaceholderText(placeholder)

    def value_or_none(self) -> str | None:
        text = self.text().strip() if self.empty_is_none else self.text()
        return None if self.empty_is_none and not text else text

    def set_value(self, value: str | None) -> None:
        self.setText(value or "")


class RangeField(QLineEdit):
    """Two numbers, ``low, high`` (a score scale); empty means None (inferred)."""

    def __init__(self, label: str, parent=None):
        super().__init__(parent)
        self.label = label
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(self.tr("inferred from the data"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def value_or_none(self) -> list[float] | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            low, high = (float(part) for part in text.split(","))
        except ValueError:
            raise ConfigError(
                self.tr("{label}: expected 'low, high', got {text!r}").format(
                    label=self.label, text=text
                )
            ) from None
        return [low, high]

    def set_value(self, value) -> None:
        self.setText("" if value is None else f"{value[0]!r}, {value[1]!r}")


@dataclass
class Binding:
    """One setting (``section.field`` of an ExperimentConfig) shown by one widget."""

    path: str
    label: str
    widget: QWidget
    get: Callable[[], Any]
    set: Callable[[Any], None]

    def read(self, config) -> Any:
        section, _, name = self.path.rpartition(".")
        return getattr(getattr(config, section) if section else config, name)

    def write(self, config, value: Any) -> None:
        section, _, name = self.path.rpartition(".")
        setattr(getattr(config, section) if section else config, name, value)


def bind(path: str, label: str, widget: QWidget) -> Binding:
    if isinstance(widget, ChoiceField):
        return Binding(path, label, widget, widget.value, widget.set_value)
    if isinstance(widget, QSpinBox) and not isinstance(widget, IntField):
        return Binding(path, label, widget, widget.value, widget.setValue)
    return Binding(path, label, widget, widget.value_or_none, widget.set_value)


def changed_signal(widget: QWidget):
    """The signal a widget sends when the user edits it."""
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    return widget.textChanged
