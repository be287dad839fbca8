"""The experiment panel: the three choices, advanced settings, and Run / Pause / Stop."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)
from superqt import QCollapsible

from engine.config import (DEFAULT_UPSTREAM_EPOCHS, ENCODERS, METHODS, SIZES, UPSTREAM_TASKS,
                           DownstreamConfig, ExperimentConfig, ModelConfig, TrainingConfig,
                           UpstreamConfig)
from engine.context import available_devices
from engine.data import DATASETS
from gui.explain import explain

OPEN_LOCAL = "__open_local__"
UPSTREAM_LABELS = {"none": "none — random init", "sentiment": "sentiment analysis",
                   "word2vec": "word2vec", "mlm": "masked-LM"}
METHOD_LABELS = {"scratch": "scratch (control)", "feature": "feature-based (frozen)",
                 "finetune": "fine-tuning"}
UPSTREAM_DATA = ["demo", "sst2", "nsmc", "mr", "imdb", "wikitext2"]
DOWNSTREAM_DATA = ["demo", "stsb", "korsts", "klue-sts", "sick", "mrpc", "qqp", "paws"]


def _dataset_label(name: str) -> str:
    spec = DATASETS.get(name)
    if name == "demo":
        return "demo — bundled, offline"
    return f"{name} — {spec.title}" if spec else name


class DatasetCombo(QComboBox):
    """Registry names, local files the user opened, and an 'Open local file…' entry."""

    local_requested = Signal()

    def __init__(self, names: list[str], parent=None):
        super().__init__(parent)
        for name in names:
            self.addItem(_dataset_label(name), {"source": name, "columns": {}})
        self.insertSeparator(self.count())
        self.addItem("Open local file…", OPEN_LOCAL)
        self._last = 0
        self.activated.connect(self._on_activated)

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) == OPEN_LOCAL:
            self.setCurrentIndex(self._last)
            self.local_requested.emit()
        else:
            self._last = index

    def add_local(self, path: str, columns: dict[str, str]) -> None:
        data = {"source": path, "columns": dict(columns)}
        for i in range(self.count()):
            item = self.itemData(i)
            if isinstance(item, dict) and item["source"] == path:
                self.setItemData(i, data)
                self.setCurrentIndex(i)
                self._last = i
                return
        index = self.count() - 2  # before the separator
        self.insertItem(index, f"{Path(path).name} — local file", data)
        self.setCurrentIndex(index)
        self._last = index

    def select(self, source: str, columns: dict | None = None) -> None:
        for i in range(self.count()):
            item = self.itemData(i)
            if isinstance(item, dict) and item["source"] == source:
                self.setCurrentIndex(i)
                self._last = i
                return
        self.add_local(source, columns or {})

    def value(self) -> dict:
        data = self.currentData()
        return data if isinstance(data, dict) else {"source": "demo", "columns": {}}


class ExperimentPanel(QWidget):
    run_clicked = Signal()
    pause_clicked = Signal()
    stop_clicked = Signal()
    open_local_downstream = Signal()
    open_local_upstream = Signal()
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)

        self.upstream = self._combo([(UPSTREAM_LABELS[t], t) for t in UPSTREAM_TASKS])
        self.upstream_data = DatasetCombo(UPSTREAM_DATA)
        self.method = self._combo([(METHOD_LABELS[m], m) for m in METHODS])
        self.downstream = DatasetCombo(DOWNSTREAM_DATA)

        box = QGroupBox("1 · Upstream task — what the encoder learns first")
        form = QFormLayout(box)
        form.addRow("task", self.upstream)
        form.addRow("data", self.upstream_data)
        layout.addWidget(box)
        box = QGroupBox("2 · Transfer method — how its weights are used")
        QFormLayout(box).addRow("method", self.method)
        layout.addWidget(box)
        box = QGroupBox("3 · Downstream dataset — sentence-pair similarity")
        QFormLayout(box).addRow("data", self.downstream)
        layout.addWidget(box)

        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("explanation")
        self.explanation.setStyleSheet("QLabel#explanation { background: #f4f7fb; "
                                       "border: 1px solid #d5deea; border-radius: 4px; "
                                       "padding: 8px; color: #223; }")
        layout.addWidget(self.explanation)

        self.advanced = QCollapsible("Advanced settings")
        self.advanced.addWidget(self._advanced_form())
        layout.addWidget(self.advanced)

        buttons = QHBoxLayout()
        self.run_button = QPushButton("▶ Run")
        self.run_button.setDefault(True)
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("■ Stop")
        for button in (self.run_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.run_button.clicked.connect(self.run_clicked)
        self.pause_button.clicked.connect(self.pause_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        self.downstream.local_requested.connect(self.open_local_downstream)
        self.upstream_data.local_requested.connect(self.open_local_upstream)
        for combo in (self.upstream, self.upstream_data, self.method, self.downstream):
            combo.currentIndexChanged.connect(self._on_changed)
        self.set_running(False)
        self._on_changed()

    # ---- building ------------------------------------------------------------------------
    @staticmethod
    def _combo(items) -> QComboBox:
        combo = QComboBox()
        for label, value in items:
            combo.addItem(label, value)
        return combo

    def _advanced_form(self) -> QWidget:
        widget = QWidget()
        form = QFormLayout(widget)
        self.encoder = self._combo([(e, e) for e in ENCODERS])
        self.size = self._combo([(s, s) for s in SIZES])
        self.epochs = self._spin(1, 1000, 5)
        self.upstream_epochs = self._spin(0, 1000, 0)
        self.upstream_epochs.setSpecialValueText("default")
        self.batch_size = self._spin(1, 4096, 32)
        self.lr = QDoubleSpinBox(decimals=5, minimum=0.00001, maximum=1.0, singleStep=0.0001,
                                 value=0.001)
        self.encoder_lr = QDoubleSpinBox(decimals=3, minimum=0.001, maximum=10.0,
                                         singleStep=0.1, value=1.0)
        self.device = self._combo([(d, d) for d in available_devices()])
        self.seed = self._spin(0, 2**31 - 1, 0)
        self.train_fraction = QDoubleSpinBox(decimals=2, minimum=0.01, maximum=1.0,
                                             singleStep=0.05, value=1.0)
        self.max_sentences = self._spin(0, 10_000_000, 0)
        self.max_sentences.setSpecialValueText("all")
        self.data_root = QLineEdit()
        self.data_root.setPlaceholderText("folder with <name>/train.tsv … (optional)")
        browse = QPushButton("…")
        browse.setFixedWidth(28)
        browse.clicked.connect(self._browse_root)
        root_row = QHBoxLayout()
        root_row.addWidget(self.data_root)
        root_row.addWidget(browse)
        for label, field in (("encoder", self.encoder), ("size", self.size),
                             ("epochs", self.epochs), ("upstream epochs", self.upstream_epochs),
                             ("batch size", self.batch_size), ("learning rate", self.lr),
                             ("encoder lr ×", self.encoder_lr), ("device", self.device),
                             ("seed", self.seed), ("train fraction", self.train_fraction),
                             ("upstream sentences", self.max_sentences)):
            form.addRow(label, field)
        form.addRow("data root", root_row)
        self.encoder.currentIndexChanged.connect(self._on_changed)
        return widget

    @staticmethod
    def _spin(low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def _browse_root(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Data root")
        if folder:
            self.data_root.setText(folder)

    # ---- state ----------------------------------------------------------------------------
    def _on_changed(self, *_) -> None:
        upstream = self.upstream.currentData()
        self.upstream_data.setEnabled(upstream != "none")
        down = self.downstream.value()["source"]
        spec = DATASETS.get(down)
        regression = spec is None or spec.task == "regression"
        self.explanation.setText(explain(upstream, self.method.currentData(), down, regression))
        if upstream == "mlm" and self.encoder.currentData() != "transformer":
            self.encoder.setCurrentIndex(self.encoder.findData("transformer"))
        self.changed.emit()

    def set_running(self, running: bool, paused: bool = False) -> None:
        self.run_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.pause_button.setText("Resume" if paused else "Pause")
        for widget in (self.upstream, self.upstream_data, self.method, self.downstream,
                       self.advanced):
            widget.setEnabled(not running)
        if not running:
            self.upstream_data.setEnabled(self.upstream.currentData() != "none")

    def config(self) -> ExperimentConfig:
        """The settings shown, as an ExperimentConfig (validated by the engine later)."""
        upstream_task = self.upstream.currentData()
        up = self.upstream_data.value()
        down = self.downstream.value()
        return ExperimentConfig(
            upstream=UpstreamConfig(
                task=upstream_task, data=up["source"] if upstream_task != "none" else None,
                epochs=self.upstream_epochs.value() or None,
                max_sentences=self.max_sentences.value() or None),
            method=self.method.currentData(),
            downstream=DownstreamConfig(data=down["source"], columns=dict(down["columns"]),
                                        train_fraction=round(self.train_fraction.value(), 4)),
            model=ModelConfig(encoder=self.encoder.currentData(), size=self.size.currentData()),
            training=TrainingConfig(epochs=self.epochs.value(),
                                    batch_size=self.batch_size.value(), lr=self.lr.value(),
                                    encoder_lr_multiplier=self.encoder_lr.value(),
                                    log_every=5),
            device=self.device.currentData(), seed=self.seed.value(),
            data_root=self.data_root.text().strip() or None)

    def set_config(self, config: ExperimentConfig) -> None:
        """Show ``config`` (used by Rerun)."""
        self.upstream.setCurrentIndex(self.upstream.findData(config.upstream.task))
        if config.upstream.data:
            self.upstream_data.select(config.upstream.data)
        self.method.setCurrentIndex(self.method.findData(config.method))
        self.downstream.select(config.downstream.data, config.downstream.columns)
        self.encoder.setCurrentIndex(self.encoder.findData(config.model.encoder))
        self.size.setCurrentIndex(self.size.findData(config.model.size))
        self.epochs.setValue(config.training.epochs)
        self.upstream_epochs.setValue(config.upstream.epochs or 0)
        self.batch_size.setValue(config.training.batch_size)
        self.lr.setValue(config.training.lr)
        self.encoder_lr.setValue(config.training.encoder_lr_multiplier)
        index = self.device.findData(config.device)
        self.device.setCurrentIndex(index if index >= 0 else 0)
        self.seed.setValue(config.seed)
        self.train_fraction.setValue(config.downstream.train_fraction)
        self.max_sentences.setValue(config.upstream.max_sentences or 0)
        self.data_root.setText(config.data_root or "")
        self._on_changed()


def default_upstream_epochs(task: str) -> int:
    return DEFAULT_UPSTREAM_EPOCHS.get(task, 1)
