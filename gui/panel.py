"""The experiment panel: the three choices, every other setting, and Run / Pause / Stop.

What each upstream task needs and allows comes from the engine's task registry; the
panel only shows it. ``set_config`` followed by ``config`` gives back the same settings,
including those a chosen task does not use (they are kept, not dropped).
"""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from superqt import QCollapsible

from transfer_explorer.engine.config import (
    AMP_MODES,
    ENCODERS,
    METHODS,
    SCHEDULES,
    SIZES,
    ExperimentConfig,
)
from transfer_explorer.engine.data import (
    DATASETS,
    DOWNSTREAM_NAMES,
    PAIR_CORPUS_NAMES,
    UPSTREAM_NAMES,
)
from transfer_explorer.engine.i18n import _
from transfer_explorer.engine.labels import METHOD_LABELS, explain, shown
from transfer_explorer.engine.training.context import available_devices
from transfer_explorer.engine.upstream.registry import get_task, tasks
from transfer_explorer.engine.upstream.task import (
    CHECKPOINT,
    LABELLED_SENTENCES,
    SENTENCE_PAIRS,
    TEXT_CORPORA,
    WORD_VECTORS,
)
from transfer_explorer.gui.fields import (
    Binding,
    ChoiceField,
    FloatField,
    IntField,
    RangeField,
    TextField,
    bind,
    changed_signal,
    narrow,
)

OPEN_LOCAL = "__open_local__"
HEADS = ("auto", "bi", "cosine", "cross")
POOLINGS = ("mean", "cls", "last")


def head_labels() -> list[tuple[str, str]]:
    """(label, value) of the heads, in the language in use."""
    return [
        (QCoreApplication.translate("ExperimentPanel", "auto"), "auto"),
        (
            QCoreApplication.translate("ExperimentPanel", "bi-encoder MLP on [u, v, |u−v|, u·v]"),
            "bi",
        ),
        (QCoreApplication.translate("ExperimentPanel", "cosine of u, v (Sentence-BERT)"), "cosine"),
        (QCoreApplication.translate("ExperimentPanel", "cross-encoder (checkpoints)"), "cross"),
    ]


def pooling_labels() -> dict[str, str]:
    """value → label of the poolings, in the language in use."""
    return {
        "mean": QCoreApplication.translate("ExperimentPanel", "mean of tokens"),
        "cls": QCoreApplication.translate("ExperimentPanel", "first token ([CLS])"),
        "last": QCoreApplication.translate("ExperimentPanel", "last token"),
    }


def _dataset_label(name: str) -> str:
    spec = DATASETS.get(name)
    if name == "demo":
        return QCoreApplication.translate("DatasetCombo", "demo — bundled, offline")
    return f"{name} — {_(spec.title)}" if spec else name


def corpus_fits(name: str, kind: str) -> bool:
    """Whether a named corpus can feed a task that learns from ``kind``: labelled sentences
    need labels, sentence pairs need an inference set; any text serves unlabelled."""
    spec = DATASETS.get(name)
    if spec is None:  # a local file: the engine checks it when it reads it
        return True
    pairs = spec.kind == "inference"
    if kind == SENTENCE_PAIRS:
        return pairs
    if kind == LABELLED_SENTENCES:
        return not pairs and (spec.kind != "text" or bool(spec.label_names))
    return True


class DatasetCombo(QComboBox):
    """Registry names, local files the user opened, and an 'Open local file…' entry."""

    local_requested = Signal()
    picked = Signal()  # the user chose an entry (not a programmatic change)

    def __init__(self, names: list[str], parent=None):
        super().__init__(parent)
        narrow(self)
        self._names = set(names)
        for name in names:
            self.addItem(_dataset_label(name), {"source": name, "columns": {}})
        self.insertSeparator(self.count())
        self.addItem("", OPEN_LOCAL)
        self._last = 0
        self.activated.connect(self._on_activated)
        self.retranslate()

    def _local_label(self, path: str) -> str:
        return self.tr("{name} — local file").format(name=Path(path).name)

    def retranslate(self) -> None:
        """Every entry's words again; the data and the current entry stay."""
        for i in range(self.count()):
            item = self.itemData(i)
            if item == OPEN_LOCAL:
                self.setItemText(i, self.tr("Open local file…"))
            elif isinstance(item, dict):
                source = item["source"]
                label = _dataset_label(source) if source in self._names else None
                self.setItemText(i, label or self._local_label(source))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) == OPEN_LOCAL:
            self.setCurrentIndex(self._last)
            self.local_requested.emit()
        else:
            self._last = index
            self.picked.emit()

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
        self.insertItem(index, self._local_label(path), data)
        self.setCurrentIndex(index)
        self._last = index

    def select(self, source: str, columns: dict | None = None) -> None:
        for i in range(self.count()):
            item = self.itemData(i)
            if isinstance(item, dict) and item["source"] == source:
                self.setItemData(i, {"source": source, "columns": dict(columns or {})})
                self.setCurrentIndex(i)
                self._last = i
                return
        self.add_local(source, columns or {})

    def value(self) -> dict:
        data = self.currentData()
        return data if isinstance(data, dict) else {"source": "demo", "columns": {}}

    def enable_source(self, source: str, enabled: bool) -> None:
        for i in range(self.count()):
            item = self.itemData(i)
            if isinstance(item, dict) and item["source"] == source:
                self.model().item(i).setEnabled(enabled)


class ExperimentPanel(QWidget):
    run_clicked = Signal()
    pause_clicked = Signal()
    stop_clicked = Signal()
    open_local_downstream = Signal()
    open_local_upstream = Signal()
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._base = ExperimentConfig()  # what set_config loaded; kept where no widget shows it
        self._defaults = ExperimentConfig()
        self._corpus_picked = False  # the user chose the corpus (keep it when data changes)
        self._sources_changed = False  # the task or its source changed since set_config
        self._loading = False
        self._running = False
        self._paused = False
        layout = QVBoxLayout(self)
        layout.addWidget(self._choices())
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("explanation")
        # colours from the palette: the light and the dark theme both read (gui.theme)
        self.explanation.setStyleSheet(
            "QLabel#explanation { background: palette(alternate-base);"
            " border: 1px solid palette(mid); border-radius: 4px; "
            "padding: 8px; color: palette(text); }"
        )
        layout.addWidget(self.explanation)
        layout.addLayout(self._buttons())  # above the long advanced list: always in reach
        self.advanced = QCollapsible("")
        self.advanced.addWidget(self._advanced_form())
        layout.addWidget(self.advanced)
        layout.addStretch(1)

        self.downstream.local_requested.connect(self.open_local_downstream)
        self.upstream_data.local_requested.connect(self.open_local_upstream)
        self.upstream_data.picked.connect(self._corpus_was_picked)
        self.downstream.picked.connect(self._follow_language)
        self.upstream.activated.connect(self._follow_language)
        for widget in (
            self.upstream,
            self.upstream_data,
            self.method,
            self.downstream,
            self.vectors,
        ):
            widget.currentIndexChanged.connect(self._on_changed)
        self.checkpoint.currentTextChanged.connect(self._on_changed)
        for signal in (
            self.upstream.currentIndexChanged,
            self.upstream_data.currentIndexChanged,
            self.vectors.currentIndexChanged,
            self.checkpoint.currentTextChanged,
        ):
            signal.connect(self._source_changed)
        for binding in self.bindings:
            changed_signal(binding.widget).connect(self._mark_non_defaults)
        self.set_running(False)
        self.retranslate()
        self.set_config(ExperimentConfig())  # every widget starts at the default

    # ---- words (again whenever the language changes) -------------------------------------
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every word of the panel; values, entries' data and choices stay."""
        self.upstream_group.setTitle(self.tr("1 · Upstream task — what the encoder learns first"))
        self.method_group.setTitle(self.tr("2 · Transfer method — how its weights are used"))
        self.downstream_group.setTitle(self.tr("3 · Downstream dataset — sentence-pair similarity"))
        self.task_label.setText(self.tr("task"))
        self.upstream_data_label.setText(self.tr("data"))
        self.model_label.setText(self.tr("model"))
        self.vectors_label.setText(self.tr("vectors"))
        self.method_label.setText(self.tr("method"))
        self.downstream_label.setText(self.tr("data"))
        self.folder_button.setText(self.tr("Folder…"))
        self.checkpoint.setToolTip(
            self.tr(
                "A hub name (downloaded once into the Hugging Face cache) or a local folder with config.json"  # noqa: E501
            )
        )
        self.upstream.relabel([(t.label, t.name) for t in tasks()])
        self.method.relabel([(METHOD_LABELS[m], m) for m in METHODS])
        self._relabel_sources()
        self.advanced.setText(self.tr("Advanced settings"))
        self.head.relabel(head_labels())
        self.pooling.relabel([(label, value) for value, label in pooling_labels().items()])
        self.amp.relabel([(self.tr("auto (CUDA only)"), "auto"), (self.tr("off"), "off")])
        self._fields["training.schedule"].relabel(
            [
                (self.tr("auto"), "auto"),
                (self.tr("constant"), "constant"),
                (self.tr("linear"), "linear"),
            ]
        )
        self.threads.setSpecialValueText(self.tr("default"))  # 0: torch's own choice
        self.upstream_epochs.setSpecialValueText(self.tr("default"))
        self.max_sentences.setSpecialValueText(self.tr("all"))
        placeholders = {
            "training.lr": self.tr("auto: 1e-3, or 2e-5 for a checkpoint"),
            "training.head_lr": self.tr("auto: 1e-3 for a checkpoint, else lr"),
            "training.warmup_ratio": self.tr("auto: 0.1 for a checkpoint, else 0"),
            "name": self.tr("optional"),
            "data_root": self.tr("folder with <name>/train.tsv … (optional)"),
        }
        for path, text in placeholders.items():
            self._fields[path].setPlaceholderText(text)
        for title, caption in self._captions.items():
            caption.setText(f"<b>{self._section_titles()[title]}</b>")
        texts = self._row_texts()
        in_messages = {"training.encoder_lr_multiplier": self.tr("encoder lr multiplier")}
        for binding in self.bindings:
            binding.label = texts[binding.path]
            if isinstance(binding.widget, (FloatField, RangeField)):  # named in its errors
                binding.widget.label = in_messages.get(binding.path, binding.label)
            self._labels[binding.path].setText(binding.label)
        self.pause_button.setText(self.tr("Resume") if self._paused else self.tr("Pause"))
        self.run_button.setText(self.tr("▶ Run"))
        self.stop_button.setText(self.tr("■ Stop"))
        self._show_texts()
        self._mark_non_defaults()

    def _section_titles(self) -> dict[str, str]:
        return {
            "model": self.tr("Model"),
            "downstream": self.tr("Downstream training"),
            "upstream": self.tr("Upstream training"),
            "run": self.tr("Run"),
        }

    def _row_texts(self) -> dict[str, str]:
        """The label of each advanced setting (its config path → words)."""
        return {
            "model.encoder": self.tr("encoder"),
            "model.size": self.tr("size"),
            "model.head": self.tr("head"),
            "upstream.pooling": self.tr("pooling"),
            "model.vocab_size": self.tr("vocabulary size"),
            "model.max_length": self.tr("max tokens"),
            "training.epochs": self.tr("epochs"),
            "training.batch_size": self.tr("batch size"),
            "training.lr": self.tr("learning rate"),
            "training.head_lr": self.tr("head learning rate"),
            "training.encoder_lr_multiplier": self.tr("encoder lr ×"),
            "training.weight_decay": self.tr("weight decay"),
            "training.grad_clip": self.tr("gradient clip"),
            "training.warmup_steps": self.tr("warm-up steps"),
            "training.warmup_ratio": self.tr("warm-up ratio"),
            "training.schedule": self.tr("schedule"),
            "training.patience": self.tr("patience (evals)"),
            "training.eval_every": self.tr("evaluate every (steps)"),
            "training.log_every": self.tr("log every (steps)"),
            "downstream.train_fraction": self.tr("train fraction"),
            "downstream.score_range": self.tr("score range"),
            "upstream.epochs": self.tr("upstream epochs"),
            "upstream.batch_size": self.tr("upstream batch size"),
            "upstream.lr": self.tr("upstream learning rate"),
            "upstream.max_sentences": self.tr("upstream sentences"),
            "upstream.seed": self.tr("upstream seed"),
            "name": self.tr("run name"),
            "seed": self.tr("seed"),
            "device": self.tr("device"),
            "threads": self.tr("CPU threads"),
            "training.amp": self.tr("mixed precision"),
            "data_root": self.tr("data root"),
        }

    def _relabel_sources(self) -> None:
        """The notes of the checkpoints and the word-vector files, from their tasks again."""
        notes, vectors = {}, {}
        for task in tasks():
            if task.corpus == CHECKPOINT:
                notes.update(task.choices())
            elif task.corpus == WORD_VECTORS:
                vectors.update(task.choices())
        for i in range(self.checkpoint.count()):
            name = self.checkpoint.itemText(i)
            if name in notes:
                self.checkpoint.setItemData(i, notes[name])
            elif self.checkpoint.itemData(i):
                self.checkpoint.setItemData(i, self._local_note())
        for i in range(self.vectors.count()):
            data = self.vectors.itemData(i)
            if data == OPEN_LOCAL:
                self.vectors.setItemText(i, self.tr("Open vectors file (.txt / .vec)…"))
            elif data in vectors:
                self.vectors.setItemText(i, f"{data} ({vectors[data]})")

    def _local_note(self) -> str:
        return self.tr("local folder")

    # ---- building ------------------------------------------------------------------------
    def _choices(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.upstream = ChoiceField([(t.label, t.name) for t in tasks()])
        self.upstream_data = DatasetCombo(
            ["demo", *(n for n in UPSTREAM_NAMES if n != "demo"), *PAIR_CORPUS_NAMES]
        )
        self.method = ChoiceField([(METHOD_LABELS[m], m) for m in METHODS])
        self.downstream = DatasetCombo(["demo", *(n for n in DOWNSTREAM_NAMES if n != "demo")])
        self.checkpoint = narrow(QComboBox(editable=True))
        self.checkpoint.setInsertPolicy(QComboBox.NoInsert)
        self.checkpoint_note = QLabel()
        self.checkpoint_note.setWordWrap(True)
        self.checkpoint_note.setStyleSheet("color: palette(placeholder-text);")
        self.folder_button = QPushButton()
        self.folder_button.clicked.connect(self._browse_checkpoint)
        checkpoint_row = QHBoxLayout()
        checkpoint_row.addWidget(self.checkpoint, 1)
        checkpoint_row.addWidget(self.folder_button)
        self.vectors = narrow(QComboBox())
        self.vectors.addItem("", OPEN_LOCAL)
        self.vectors.activated.connect(self._vectors_activated)
        for task in tasks():  # what each source widget offers comes from its task
            if task.corpus == CHECKPOINT:
                for name, note in task.choices():
                    self.checkpoint.addItem(name, note)
            elif task.corpus == WORD_VECTORS:
                for name, note in reversed(task.choices()):
                    self.vectors.insertItem(0, f"{name} ({note})", name)
        self.vectors.setCurrentIndex(0)

        self.task_label, self.upstream_data_label = QLabel(), QLabel()
        self.model_label, self.vectors_label = QLabel(), QLabel()
        self.method_label, self.downstream_label = QLabel(), QLabel()
        self.upstream_group = group = QGroupBox()
        self.upstream_form = form = QFormLayout(group)
        form.addRow(self.task_label, self.upstream)
        form.addRow(self.upstream_data_label, self.upstream_data)
        form.addRow(self.model_label, checkpoint_row)
        form.addRow("", self.checkpoint_note)
        form.addRow(self.vectors_label, self.vectors)
        layout.addWidget(group)
        self.method_group = group = QGroupBox()
        QFormLayout(group).addRow(self.method_label, self.method)
        layout.addWidget(group)
        self.downstream_group = group = QGroupBox()
        QFormLayout(group).addRow(self.downstream_label, self.downstream)
        layout.addWidget(group)
        return box

    def _advanced_form(self) -> QWidget:
        widget = QWidget()
        form = QFormLayout(widget)
        self.advanced_note = QLabel()
        self.advanced_note.setWordWrap(True)
        form.addRow(self.advanced_note)
        self.encoder = ChoiceField([(e, e) for e in ENCODERS])
        self.size = ChoiceField([(s, s) for s in SIZES])
        self.head = ChoiceField([(value, value) for value in HEADS])  # words: retranslate
        self.pooling = ChoiceField([(value, value) for value in POOLINGS])
        self.epochs = IntField(1)
        self.batch_size = IntField(1)
        self.lr = FloatField("learning rate", "auto")
        self.threads = IntField(0, 256)
        self.threads.setSpecialValueText("default")  # 0: torch's own choice
        self.device = ChoiceField([(d, d) for d in available_devices()])
        self.amp = ChoiceField([(m, m) for m in AMP_MODES])
        self.seed = IntField(-(2**31) + 1)
        self.train_fraction = FloatField("train fraction")
        self.upstream_epochs = IntField(1, none_text="default")
        self.max_sentences = IntField(10, none_text="all")
        self.data_root_edit = TextField(empty_is_none=True)
        browse = QPushButton("…")
        browse.setFixedWidth(28)
        browse.clicked.connect(self._browse_root)
        # config path → widget; the words (labels, placeholders) are set in retranslate
        sections = {
            "model": [
                ("model.encoder", self.encoder),
                ("model.size", self.size),
                ("model.head", self.head),
                ("upstream.pooling", self.pooling),
                ("model.vocab_size", IntField(100)),
                ("model.max_length", IntField(4)),
            ],
            "downstream": [
                ("training.epochs", self.epochs),
                ("training.batch_size", self.batch_size),
                ("training.lr", self.lr),
                ("training.head_lr", FloatField("head learning rate", "auto")),
                ("training.encoder_lr_multiplier", FloatField("encoder lr multiplier")),
                ("training.weight_decay", FloatField("weight decay")),
                ("training.grad_clip", FloatField("gradient clip")),
                ("training.warmup_steps", IntField(0)),
                ("training.warmup_ratio", FloatField("warm-up ratio", "auto")),
                ("training.schedule", ChoiceField([(s, s) for s in SCHEDULES])),
                ("training.patience", IntField(0)),
                ("training.eval_every", IntField(0)),
                ("training.log_every", IntField(1)),
                ("downstream.train_fraction", self.train_fraction),
                ("downstream.score_range", RangeField("score range")),
            ],
            "upstream": [
                ("upstream.epochs", self.upstream_epochs),
                ("upstream.batch_size", IntField(1)),
                ("upstream.lr", FloatField("upstream learning rate")),
                ("upstream.max_sentences", self.max_sentences),
                ("upstream.seed", IntField(-(2**31) + 1)),
            ],
            "run": [
                ("name", TextField()),
                ("seed", self.seed),
                ("device", self.device),
                ("threads", self.threads),
                ("training.amp", self.amp),
                ("data_root", self.data_root_edit),
            ],
        }
        self.bindings: list[Binding] = []
        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        self._captions: dict[str, QLabel] = {}
        texts = self._row_texts()
        for title, rows in sections.items():
            caption = QLabel()
            self._captions[title] = caption
            form.addRow(caption)
            for path, field in rows:
                binding = bind(path, texts[path], field)
                self.bindings.append(binding)
                self._fields[path] = field
                label = QLabel(binding.label)
                self._labels[path] = label
                if field is self.data_root_edit:
                    row = QHBoxLayout()
                    row.addWidget(field)
                    row.addWidget(browse)
                    form.addRow(label, row)
                else:
                    form.addRow(label, field)
        self.encoder.currentIndexChanged.connect(self._on_changed)
        return widget

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.run_button = QPushButton()
        self.run_button.setDefault(True)
        self.pause_button = QPushButton()
        self.stop_button = QPushButton()
        for button in (self.run_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        self.run_button.clicked.connect(self.run_clicked)
        self.pause_button.clicked.connect(self.pause_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        return buttons

    # ---- sources --------------------------------------------------------------------------
    def _browse_checkpoint(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Checkpoint folder (with config.json)")
        )
        if folder:
            self.set_checkpoint(folder)

    def set_checkpoint(self, name: str) -> None:
        index = self.checkpoint.findText(name)
        if index < 0:
            self.checkpoint.addItem(name, self._local_note() if Path(name).exists() else "")
            index = self.checkpoint.count() - 1
        self.checkpoint.setCurrentIndex(index)

    def _vectors_activated(self, index: int) -> None:
        if self.vectors.itemData(index) != OPEN_LOCAL:
            return
        path, _unused = QFileDialog.getOpenFileName(
            self, self.tr("Word vectors"), "", self.tr("Vectors (*.txt *.vec);;All (*)")
        )
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
        folder = QFileDialog.getExistingDirectory(self, self.tr("Data root"))
        if folder:
            self.data_root_edit.setText(folder)

    def data_root(self) -> str | None:
        return self.data_root_edit.value_or_none()

    def set_data_root(self, folder: str | None) -> None:
        self.data_root_edit.set_value(folder)

    def add_local_dataset(self, pairs: bool, path: str, columns: dict[str, str]) -> None:
        """A local file the user mapped: the downstream pairs, or the upstream corpus."""
        (self.downstream if pairs else self.upstream_data).add_local(path, columns)
        if not pairs:
            self._corpus_picked = True

    # ---- rules, all asked of the task ------------------------------------------------------
    def task(self):
        return get_task(self.upstream.value())

    def _on_changed(self, *_) -> None:
        task = self.task()
        form = self.upstream_form
        form.setRowVisible(1, task.corpus not in (CHECKPOINT, WORD_VECTORS))
        form.setRowVisible(2, task.corpus == CHECKPOINT)
        form.setRowVisible(3, task.corpus == CHECKPOINT)
        form.setRowVisible(4, task.corpus == WORD_VECTORS)
        self.upstream_data.setEnabled(task.corpus in TEXT_CORPORA and not self._running)
        for name in (*UPSTREAM_NAMES, *PAIR_CORPUS_NAMES):
            self.upstream_data.enable_source(name, corpus_fits(name, task.corpus))
        for method in METHODS:
            self.method.enable_value(method, method in task.methods)
        if self.method.value() not in task.methods:
            self.method.set_value(task.methods[0])
        self.head.enable_value("cross", task.cross_encoder)
        if not task.cross_encoder and self.head.value() == "cross":
            self.head.set_value("auto")
        for encoder in ENCODERS:
            self.encoder.enable_value(encoder, task.encoders is None or encoder in task.encoders)
        if task.encoders is not None and self.encoder.value() not in task.encoders:
            self.encoder.set_value(task.encoders[0])
        self.encoder.setEnabled(task.encoders is not None)
        self.size.setEnabled(task.encoders is not None)
        self.pooling.setEnabled(bool(task.poolings))
        for pooling in POOLINGS:
            self.pooling.enable_value(pooling, pooling in task.poolings)
        self._show_texts()
        self.changed.emit()

    def _show_texts(self) -> None:
        """The words that follow the choices: the checkpoint's note and the explanation."""
        task = self.task()
        index = self.checkpoint.findText(self.checkpoint.currentText())
        self.checkpoint_note.setText(
            self.checkpoint.itemData(index) or ""
            if index >= 0
            else self.tr("a hub name or a folder")
        )
        down = self.downstream.value()["source"]
        spec = DATASETS.get(down)
        regression = spec is None or spec.task == "regression"
        self.explanation.setText(explain(task.name, self.method.value(), down, regression))

    def _source_changed(self, *_) -> None:
        if not self._loading:
            self._sources_changed = True

    def _corpus_was_picked(self) -> None:
        self._corpus_picked = True

    def _follow_language(self, *_) -> None:
        """Until the user picks a corpus, it follows the downstream data's language
        (the task's usual corpus for it; the bundled demo beside the demo data)."""
        task = self.task()
        if task.corpus not in TEXT_CORPORA:
            return
        current = self.upstream_data.value()["source"]
        if self._corpus_picked and corpus_fits(current, task.corpus):
            return
        down = self.downstream.value()["source"]
        spec = DATASETS.get(down)
        if down != "demo" and spec is not None:
            self.upstream_data.select(task.corpus_for(spec.language))
        elif not corpus_fits(current, task.corpus):  # e.g. sentences for an inference task
            self.upstream_data.select(task.corpus_name(ExperimentConfig().upstream))

    def set_running(self, running: bool, paused: bool = False) -> None:
        self._running, self._paused = running, paused
        self.run_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        for widget in (
            self.upstream,
            self.upstream_data,
            self.method,
            self.downstream,
            self.advanced,
        ):
            widget.setEnabled(not running)
        if not running:
            self.upstream_data.setEnabled(self.task().corpus in TEXT_CORPORA)

    def set_run_allowed(self, allowed: bool) -> None:
        """Another job (a sweep) holds the CPU: Run waits for it."""
        self.run_button.setEnabled(allowed and not self.stop_button.isEnabled())

    # ---- settings in and out --------------------------------------------------------------
    def config(self) -> ExperimentConfig:
        """The settings shown, with what no widget shows kept from ``set_config``.
        Raises ConfigError for a field that does not hold a number."""
        config = copy.deepcopy(self._base)
        task = self.task()
        config.upstream.task = task.name
        config.method = self.method.value()
        if self._sources_changed:  # else the loaded source stands (None: the task's default)
            if task.corpus in TEXT_CORPORA:
                config.upstream.data = self.upstream_data.value()["source"]
            elif task.corpus == WORD_VECTORS and self.vectors.currentData() != OPEN_LOCAL:
                config.upstream.data = self.vectors.currentData()
            if task.corpus == CHECKPOINT:
                config.upstream.model = self.checkpoint.currentText().strip() or None
        down = self.downstream.value()
        config.downstream.data = down["source"]
        config.downstream.columns = dict(down["columns"])
        for binding in self.bindings:
            binding.write(config, binding.get())
        return config

    def set_config(self, config: ExperimentConfig) -> None:
        """Show ``config`` (a TOML, Rerun, Reopen); Run then uses exactly these settings."""
        self._loading = True
        try:
            self._show(config)
        finally:
            self._loading = False
        self._base = copy.deepcopy(config)
        self._sources_changed = False
        self._on_changed()
        if self._mark_non_defaults():
            self.advanced.expand(animate=False)  # show what the loaded settings change

    def _show(self, config: ExperimentConfig) -> None:
        task = get_task(config.upstream.task)
        self.upstream.set_value(task.name)
        up = config.upstream
        if up.data and task.corpus == WORD_VECTORS:
            self.set_vectors(up.data)
        elif up.data or task.corpus in TEXT_CORPORA:
            self.upstream_data.select(task.corpus_name(up) or up.data)
        self._corpus_picked = bool(up.data)
        if up.model:
            self.set_checkpoint(up.model)
        self.downstream.select(config.downstream.data, config.downstream.columns)
        for binding in self.bindings:  # before the rules run, so they see the new values
            binding.set(binding.read(config))
        self.method.set_value(config.method)

    def _mark_non_defaults(self, *_) -> list[str]:
        """Bold labels for advanced settings that differ from the defaults, and a note."""
        differing = []
        for binding in self.bindings:
            try:
                value = binding.get()
            except Exception:  # a half-typed number: not a difference yet
                value = binding.read(self._defaults)
            default = binding.read(self._defaults)
            label = self._labels[binding.path]
            font = label.font()
            font.setBold(value != default)
            label.setFont(font)
            label.setToolTip(
                "" if value == default else self.tr("default: {value}").format(value=default)
            )
            if value != default:
                differing.append(f"{binding.label} {shown(value)}")
        self.advanced_note.setText(
            self.tr("Changed from the defaults (bold): {settings}").format(
                settings=", ".join(differing)
            )
            if differing
            else self.tr("All advanced settings are at their defaults.")
        )
        return differing
