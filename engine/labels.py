"""Names people read: the methods in plain words, and short labels of recorded runs.

Shared by the CLI and the window (the window never imports the CLI). What is known about
each upstream task is its own (``engine.upstream.registry``); this module only composes.

Text from users and files — a run's name, a file name, a sentence — may hold a newline (one
row becomes several), a terminal escape (it can retitle or clear the terminal) or a
bidirectional override: :func:`shown` prints such characters escaped (``\\n``,
``\\x1b``, ``\\u202e``); what is stored stays exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from transfer_explorer.engine.i18n import N_, _


class TranslatedTable(Mapping):
    """A module-level table of English texts (marked with ``N_``) whose values read in the
    language in use: ``TABLE[key]``, ``TABLE.get(key)`` and ``TABLE.items()`` translate;
    ``TABLE.english[key]`` is the text as written."""

    def __init__(self, english: dict[str, str]):
        self.english = english

    def __getitem__(self, key: str) -> str:
        return _(self.english[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)

    def __repr__(self) -> str:
        return f"TranslatedTable({self.english!r})"


METHOD_LABELS = TranslatedTable(
    {
        "scratch": N_("scratch (control)"),
        "feature": N_("feature-based (frozen)"),
        "finetune": N_("fine-tuning"),
        "zero-shot": N_("zero-shot (no training)"),
    }
)

METHOD_EXPLANATIONS = TranslatedTable(
    {
        "scratch": N_(
            "Scratch is the control: the same architecture trained only on the similarity "
            "data, from random weights. Every other choice should be compared with it."
        ),
        "feature": N_(
            "Feature-based: the pre-trained part is frozen and its output feeds a new, "
            "small head. Nothing the upstream learned is changed."
        ),
        "finetune": N_(
            "Fine-tuning: the upstream's output layer is dropped (it answers the old "
            "question), a new similarity head is added, and all weights keep training."
        ),
        "zero-shot": N_(
            "Zero-shot: nothing is trained. The score is the cosine of the two sentence "
            "vectors — the baseline every fine-tuned model must beat."
        ),
    }
)


STATUS_WORDS = TranslatedTable(
    {
        "running": N_("running"),
        "finished": N_("finished"),
        "stopped": N_("stopped"),
        "failed": N_("failed"),
        "interrupted": N_("interrupted"),
    }
)


def status_word(status: str) -> str:
    """A run's or a sweep's status (stored in English) in the reader's language."""
    return STATUS_WORDS.get(status, status)


STAGE_WORDS = TranslatedTable(
    {
        "upstream": N_("upstream"),
        "downstream": N_("downstream"),
        "tokenizer": N_("tokenizer"),
        "data": N_("data"),
    }
)
SPLIT_WORDS = TranslatedTable({"train": N_("train"), "dev": N_("dev"), "test": N_("test")})
METRIC_WORDS = TranslatedTable(
    {
        "spearman": N_("spearman"),
        "pearson": N_("pearson"),
        "accuracy": N_("accuracy"),
        "f1": N_("f1"),
        "masked_accuracy": N_("masked_accuracy"),
        "next_token_accuracy": N_("next_token_accuracy"),
        "perplexity": N_("perplexity"),
    }
)


def stage_word(stage: str) -> str:
    """A stage's name (upstream, downstream, tokenizer …) in the reader's language."""
    return STAGE_WORDS.get(stage, stage)


def split_word(split: str) -> str:
    """train / dev / test in the reader's language."""
    return SPLIT_WORDS.get(split, split)


def metric_word(metric: str) -> str:
    """A metric's name (spearman, accuracy …) in the reader's language."""
    return METRIC_WORDS.get(metric, metric)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: Hangul and other wide characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def padded(text: str, width: int, align: str = "<") -> str:
    """``text`` padded to ``width`` terminal columns, so a Korean column header lines up
    with the rows under it."""
    space = " " * max(width - display_width(text), 0)
    return space + text if align == ">" else text + space


def method_label(method: str) -> str:
    """A method's name in plain words, in the language in use (the name itself when unknown)."""
    return METHOD_LABELS.get(method, method)


def method_explanation(method: str) -> str:
    """What a method does, in the language in use ("" when unknown)."""
    return METHOD_EXPLANATIONS.get(method, "")


def explain(task: str, method: str, downstream: str, regression: bool = True) -> str:
    """Two or three sentences on what this combination does (the window's explanation box)."""
    from transfer_explorer.engine.upstream.registry import get_task

    upstream = get_task(task)
    parts = [
        upstream.explanation,
        method_explanation(method),
        upstream.method_note(method),
    ]
    if regression:
        reads = _(
            "The model reads each sentence separately and predicts a score from 0 to 5 "
            "(Pearson/Spearman) on {downstream}."
        )
    else:
        reads = _(
            "The model reads each sentence separately and predicts whether the pair is a "
            "paraphrase (accuracy/F1) on {downstream}."
        )
    parts.append(reads.format(downstream=downstream))
    return " ".join(p for p in parts if p)


def run_columns(config) -> dict:
    """The columns of a run's row that lists and filters show (from its settings)."""
    up = config.upstream
    task = up.kind
    checkpoint = task.model_name(up)
    return {
        "upstream": up.task,
        "upstream_data": task.source(up),
        "method": config.method,
        "downstream": config.downstream.data,
        "encoder": checkpoint or config.model.encoder,
        "size": "" if checkpoint else config.model.size,
        "seed": config.seed,
        "train_fraction": config.downstream.train_fraction,
    }


def model_label(run: dict) -> str:
    """'transformer/tiny', or the checkpoint's name for Hugging Face runs."""
    return f"{run['encoder']}/{run['size']}" if run.get("size") else run["encoder"]


def describe_run(run: dict) -> str:
    """'sentiment(sst2) / finetune → stsb [10%]' for a row of the store."""
    up = run["upstream"] + (f"({run['upstream_data']})" if run["upstream_data"] else "")
    text = f"{up} / {run['method']} → {run['downstream']}"
    if run.get("train_fraction") and run["train_fraction"] < 1:
        text += f" [{run['train_fraction']:.0%}]"
    return text


def run_label(run: dict) -> str:
    """One line naming a run in choosers: id, name, experiment, model, seed."""
    name = f" “{run['name']}”" if run.get("name") else ""
    return _("#{id}{name} {run} · {model} · seed {seed}").format(
        id=run["id"], name=name, run=describe_run(run), model=model_label(run), seed=run["seed"]
    )


def final_scores(metrics: dict) -> str:
    """'dev spearman 74.2, test 67.7; cosine spearman (sentence-transformers'
    spearman_cosine) dev 79.2, test 74.2' — the head's figure and, for bi-encoders on scores,
    the one sentence-transformers' EmbeddingSimilarityEvaluator reports, side by side."""
    name = metrics.get("metric_name", "")
    dev, test = metrics.get("dev", {}), metrics.get("test", {})
    parts = []
    if dev.get(name) is not None:
        if test.get(name) is not None:
            text = _("dev {metric} {dev:.1f}, test {test:.1f}")
        else:
            text = _("dev {metric} {dev:.1f}")
        parts.append(text.format(metric=metric_word(name), dev=dev[name], test=test.get(name)))
    cosine = "cosine_spearman"
    if dev.get(cosine) is not None:
        if test.get(cosine) is not None:
            text = _(
                "cosine spearman (sentence-transformers' spearman_cosine) "
                "dev {dev:.1f}, test {test:.1f}"
            )
        else:
            text = _("cosine spearman (sentence-transformers' spearman_cosine) dev {dev:.1f}")
        parts.append(text.format(dev=dev[cosine], test=test.get(cosine)))
    return "; ".join(parts)


# ---- text made safe to print in a table row or a log line ---------------------------------
# bidirectional embeddings, overrides and isolates, and the Arabic letter mark
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200e\u200f"
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029" + _BIDI + "]")


def shown(text: object) -> str:
    """``str(text)`` with control characters escaped (printable text is left alone)."""
    value = str(text)
    if not _UNSAFE.search(value):
        return value
    return _UNSAFE.sub(_escape, value)


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
