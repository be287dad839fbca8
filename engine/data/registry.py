"""Named datasets: where each comes from (a local data root, the Hugging Face hub, resources/).

Hub repositories, columns and scales follow ../shared/HUB.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transfer_explorer.engine.i18n import N_, _


@dataclass(frozen=True)
class HubSource:
    repo: str
    config: str | None = None
    revision: str | None = None
    splits: dict[str, str] = field(default_factory=dict)  # our split -> hub split
    columns: dict[str, str] = field(default_factory=dict)  # our field -> hub column ("a.b" nests)
    score_multiplier: float = 1.0  # hub score * this = our scale


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    kind: str  # "pairs" (downstream), "text" (upstream corpus) or
    # "inference" (labelled pairs: an upstream corpus, NLI)
    title: str
    language: str = "en"
    task: str = "regression"  # pairs: regression | classification; text: classification
    score_range: tuple[float, float] = (0.0, 5.0)
    label_names: tuple[str, ...] = ()
    hub: HubSource | None = None
    local_files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # split -> candidates

    @property
    def description(self) -> str:
        """The title (translated: titles are marked with N_) with language and targets."""
        if self.task == "regression" and self.kind == "pairs":
            lo, hi = self.score_range
            what = _("score {low:g}–{high:g}").format(low=lo, high=hi)
        elif self.label_names:
            what = _("labels {names}").format(names="/".join(self.label_names))
        else:
            what = _("text")
        return f"{_(self.title)} ({self.language}; {what})"


_STANDARD_FILES = {
    "train": ("train.tsv",),
    "dev": ("dev.tsv", "valid.tsv", "validation.tsv"),
    "test": ("test.tsv",),
}
_BINARY = ("negative", "positive")
_NLI = ("entailment", "neutral", "contradiction")
_NLI_COLUMNS = {"sentence1": "premise", "sentence2": "hypothesis", "label": "label"}
_NLI_SPLITS = {"train": "train", "dev": "validation", "test": "test"}
_PARAPHRASE = ("different", "paraphrase")

DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in [
        # ---- downstream: sentence pairs --------------------------------------------------------
        DatasetSpec(
            "stsb",
            "pairs",
            "STS Benchmark",
            "en",
            hub=HubSource(
                "sentence-transformers/stsb",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence1": "sentence1", "sentence2": "sentence2", "score": "score"},
                score_multiplier=5.0,
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "korsts",
            "pairs",
            "KorSTS",
            "ko",
            hub=HubSource(
                "dkoterwa/kor-sts",
                splits={"train": "train", "dev": "valid", "test": "test"},
                columns={"sentence1": "sentence1", "sentence2": "sentence2", "score": "score"},
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "klue-sts",
            "pairs",
            "KLUE-STS",
            "ko",
            hub=HubSource(
                "klue/klue",
                "sts",
                splits={"train": "train", "dev": "validation"},
                columns={
                    "sentence1": "sentence1",
                    "sentence2": "sentence2",
                    "score": "labels.label",
                },
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "sick",
            "pairs",
            N_("SICK-R relatedness"),
            "en",
            score_range=(1.0, 5.0),
            hub=HubSource(
                "mteb/sickr-sts",
                splits={"test": "test"},
                columns={"sentence1": "sentence1", "sentence2": "sentence2", "score": "score"},
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "mrpc",
            "pairs",
            N_("MRPC paraphrase"),
            "en",
            task="classification",
            label_names=_PARAPHRASE,
            hub=HubSource(
                "nyu-mll/glue",
                "mrpc",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence1": "sentence1", "sentence2": "sentence2", "label": "label"},
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "qqp",
            "pairs",
            N_("Quora Question Pairs"),
            "en",
            task="classification",
            label_names=("not duplicate", "duplicate"),
            hub=HubSource(
                "nyu-mll/glue",
                "qqp",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence1": "question1", "sentence2": "question2", "label": "label"},
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "paws",
            "pairs",
            N_("PAWS paraphrase adversaries"),
            "en",
            task="classification",
            label_names=_PARAPHRASE,
            hub=HubSource(
                "google-research-datasets/paws",
                "labeled_final",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence1": "sentence1", "sentence2": "sentence2", "label": "label"},
            ),
            local_files=_STANDARD_FILES,
        ),
        # ---- upstream: single sentences ---------------------------------------------------------
        DatasetSpec(
            "sst2",
            "text",
            N_("SST-2 movie-review sentiment"),
            "en",
            task="classification",
            label_names=_BINARY,
            hub=HubSource(
                "nyu-mll/glue",
                "sst2",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence": "sentence", "label": "label"},
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "nsmc",
            "text",
            N_("NSMC Naver movie-review sentiment"),
            "ko",
            task="classification",
            label_names=_BINARY,
            hub=HubSource(
                "e9t/nsmc",
                revision="refs/convert/parquet",
                splits={"train": "train", "test": "test"},
                columns={"sentence": "document", "label": "label"},
            ),
            local_files={
                "train": ("train.tsv", "train_from_raw.tsv"),
                "dev": ("dev.tsv",),
                "test": ("test.tsv",),
            },
        ),
        DatasetSpec(
            "mr",
            "text",
            N_("MR rotten-tomatoes sentiment"),
            "en",
            task="classification",
            label_names=_BINARY,
            hub=HubSource(
                "cornell-movie-review-data/rotten_tomatoes",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence": "text", "label": "label"},
            ),
            local_files={**_STANDARD_FILES, "all": ("mr.tsv",)},
        ),
        DatasetSpec(
            "imdb",
            "text",
            N_("IMDB review sentiment"),
            "en",
            task="classification",
            label_names=_BINARY,
            hub=HubSource(
                "stanfordnlp/imdb",
                "plain_text",
                splits={"train": "train", "test": "test"},
                columns={"sentence": "text", "label": "label"},
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "wikitext2",
            "text",
            N_("WikiText-2 (unlabelled)"),
            "en",
            task="unlabelled",
            hub=HubSource(
                "Salesforce/wikitext",
                "wikitext-2-raw-v1",
                splits={"train": "train", "dev": "validation", "test": "test"},
                columns={"sentence": "text"},
            ),
            local_files=_STANDARD_FILES,
        ),
        # ---- upstream: labelled sentence pairs (natural-language inference) ----------------------
        DatasetSpec(
            "nli",
            "inference",
            N_("SNLI + MultiNLI (a local re-split; online: SNLI)"),
            "en",
            task="classification",
            label_names=_NLI,
            hub=HubSource("stanfordnlp/snli", splits=_NLI_SPLITS, columns=_NLI_COLUMNS),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "snli",
            "inference",
            "SNLI",
            "en",
            task="classification",
            label_names=_NLI,
            hub=HubSource("stanfordnlp/snli", splits=_NLI_SPLITS, columns=_NLI_COLUMNS),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "multi_nli",
            "inference",
            "MultiNLI",
            "en",
            task="classification",
            label_names=_NLI,
            hub=HubSource(
                "nyu-mll/multi_nli",
                splits={
                    "train": "train",
                    "dev": "validation_matched",
                    "test": "validation_mismatched",
                },
                columns=_NLI_COLUMNS,
            ),
            local_files=_STANDARD_FILES,
        ),
        DatasetSpec(
            "kornli",
            "inference",
            N_("KorNLI, XNLI part (test as train, dev as dev)"),
            "ko",
            task="classification",
            label_names=_NLI,
            hub=HubSource(
                "kakaobrain/kor_nli",
                "xnli",
                splits={"train": "test", "dev": "validation"},
                columns=_NLI_COLUMNS,
            ),
            local_files={
                "train": ("train.tsv", "xnli_test.tsv"),
                "dev": ("dev.tsv", "xnli_dev.tsv"),
            },
        ),
        DatasetSpec(
            "kor_nli",
            "inference",
            N_("KorNLI (SNLI + MultiNLI, machine-translated)"),
            "ko",
            task="classification",
            label_names=_NLI,
            hub=HubSource(
                "kakaobrain/kor_nli",
                "snli",
                splits={"train": "train", "dev": "validation"},
                columns=_NLI_COLUMNS,
            ),
            local_files=_STANDARD_FILES,
        ),
        # ---- bundled with the app ----------------------------------------------------------------
        DatasetSpec("demo", "pairs", N_("Demo (bundled, synthetic)"), "en"),
        DatasetSpec(
            "demo-nli",
            "inference",
            N_("Demo inference pairs (bundled, synthetic)"),
            "en",
            task="classification",
            label_names=_NLI,
        ),
    ]
}

# What is read from resources/demo/ instead of a data root or the hub: name -> file prefix.
BUNDLED = {"demo": "pairs", "demo-nli": "nli"}
DOWNSTREAM_NAMES = tuple(n for n, s in DATASETS.items() if s.kind == "pairs")
UPSTREAM_NAMES = tuple(n for n, s in DATASETS.items() if s.kind == "text") + ("demo",)
PAIR_CORPUS_NAMES = tuple(n for n, s in DATASETS.items() if s.kind == "inference")
PAIR_KINDS = ("pairs", "inference")  # datasets load_pairs reads
