"""Load a dataset by registry name, local path or the bundled demo, into PairDataset/TextDataset.

Order for a registry name: the local *data root* (``<root>/<name>/{train,dev,test}.tsv``) when
one is set, else the Hugging Face hub through ``datasets`` (cached in the user's HF cache).
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from transfer_explorer.engine.data.files import (
    TABLE_SUFFIXES,
    Progress,
    Table,
    detect_columns,
    number_problem,
    parse_number,
    path_status,
    read_error,
    read_table,
)
from transfer_explorer.engine.data.names import clip, listing, quoted
from transfer_explorer.engine.data.registry import BUNDLED, DATASETS, PAIR_KINDS, DatasetSpec
from transfer_explorer.engine.data.splits import SplitChoice, SplitColumnReader
from transfer_explorer.engine.data.types import PairDataset, PairSplit, TextDataset, TextSplit
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.i18n import N_, _

DATA_ROOT_ENV = "TRANSFER_EXPLORER_DATA"
SPLIT_SEED = 0  # splits we create are the same in every run, whatever the run's seed
# Splits we create: each takes a share of the pool, but never more than the cap — a 50 MB
# file would otherwise give dev and test sets of ~40k pairs and evaluation would dominate.
AUTO_SPLIT_CAP = 2_000
PAIR_SPLIT_PERCENT = 10  # dev and test, each, from a pair file without them
TEXT_DEV_PERCENT = 5  # dev from an upstream corpus's train
MAX_CLASSES = 1_000  # a numeric label this large is no class index (scores? a typo?)
_SPLIT_STEMS = {
    "train": ("train",),
    "dev": ("dev", "valid", "validation", "val"),
    "test": ("test",),
}
_LOOSE_JOINERS = ("_", "-", ".")  # train_2019.tsv, train-old.tsv, train.v2.tsv
_NLI_ORDER = ("entailment", "neutral", "contradiction")
_DEMO_TEXT = DatasetSpec(
    "demo",
    "text",
    N_("Demo sentiment (bundled, synthetic)"),
    "en",
    task="classification",
    label_names=("negative", "positive"),
)


def data_root(explicit: str | None = None) -> Path | None:
    value = explicit or os.environ.get(DATA_ROOT_ENV)
    return Path(value).expanduser() if value else None


def demo_folder() -> Path:
    return Path(str(resources.files("transfer_explorer.resources") / "demo"))


# ---- public API -------------------------------------------------------------------------------
def load_pairs(
    source: str,
    root: str | None = None,
    columns: dict[str, str] | None = None,
    progress: Progress | None = None,
    score_range: Sequence[float] | None = None,
) -> PairDataset:
    """A sentence-pair dataset with train/dev (and usually test) splits.

    ``progress(bytes_read, bytes_total)`` follows the reading of local files; ``score_range``
    ([low, high], a list as configs hold it or a tuple) declares a local file's scale."""
    if source in BUNDLED:
        raw = {
            s: read_table(demo_folder() / f"{BUNDLED[source]}_{s}.tsv")
            for s in ("train", "dev", "test")
        }
        return _pairs_from_tables(
            source, raw, columns, DATASETS[source], "bundled demo", name_files=False
        )
    spec = DATASETS.get(source)
    if spec is not None:
        if spec.kind not in PAIR_KINDS:
            raise DataError(
                _(
                    "{name} is a single-sentence dataset; a downstream dataset needs "
                    "sentence pairs (e.g. stsb, korsts, mrpc)"
                ).format(name=source)
            )
        located = _local_tables(spec, root)
        if located is not None:
            tables, notes = located
            return _pairs_from_tables(
                spec.name,
                tables,
                columns,
                spec,
                f"local {next(iter(tables.values())).path.parent}",
                progress,
                notes,
            )
        _refuse_split_column(columns, source)
        return _pairs_from_hub(spec)
    tables, notes = _tables_at_path(source)
    declared = None
    if score_range is not None:  # the user's declared scale, checked like a registry set's
        declared = DatasetSpec(
            Path(source).stem,
            "pairs",
            Path(source).name,
            score_range=(float(score_range[0]), float(score_range[1])),
        )
    return _pairs_from_tables(
        Path(source).stem, tables, columns, declared, f"local {source}", progress, notes
    )


def load_texts(
    source: str,
    root: str | None = None,
    columns: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> TextDataset:
    """An upstream corpus: sentences, labelled when the source has labels.

    A sentence-pair dataset gives its sentences, unlabelled (for word2vec or masked-LM).
    """
    if source == "demo":
        raw = {
            s: read_table(demo_folder() / f"sentiment_{s}.tsv") for s in ("train", "dev", "test")
        }
        return _texts_from_tables(
            "demo", raw, columns, _DEMO_TEXT, "bundled demo", name_files=False
        )
    spec = DATASETS.get(source)
    if source in BUNDLED or (spec is not None and spec.kind in PAIR_KINDS):
        pairs = load_pairs(source, root, columns, progress)
        return _texts_from_pairs(pairs)
    if spec is not None:
        located = _local_tables(spec, root)
        if located is not None:
            tables, notes = located
            return _texts_from_tables(
                spec.name,
                tables,
                columns,
                spec,
                f"local {next(iter(tables.values())).path.parent}",
                progress,
                notes,
            )
        _refuse_split_column(columns, source)
        return _texts_from_hub(spec)
    tables, notes = _tables_at_path(source)
    first = next(iter(tables.values()))
    if detect_columns(
        first.columns, ("sentence1", "sentence2"), columns, first.path, strict=True
    ).keys() >= {"sentence1", "sentence2"} and "sentence" not in (columns or {}):
        return _texts_from_pairs(load_pairs(source, root, columns, progress))
    return _texts_from_tables(
        Path(source).stem, tables, columns, None, f"local {source}", progress, notes
    )


# ---- locating files --------------------------------------------------------------------------
Located = tuple[dict[str, Table], list[str]]  # split -> checked table, notes on the choice


def _local_tables(spec: DatasetSpec, root: str | None) -> Located | None:
    """The registry set's files under the data root; None sends the caller to the hub."""
    base = data_root(root)
    if base is None:
        return None
    folder = base / spec.name
    info = path_status(folder)
    if info is None or not stat.S_ISDIR(info.st_mode):
        return None
    found: dict[str, Path] = {}
    notes: list[str] = []
    for split, names in spec.local_files.items():
        # Any entry counts, not only regular files: a FIFO named train.tsv must be refused
        # by name, not skipped in favour of the next name or the hub.
        present = [folder / name for name in names if path_status(folder / name) is not None]
        if present:
            found[split] = present[0]
        if len(present) > 1:  # the registry lists names in order of preference
            notes.append(
                _("{split}: not used ({preferred} is preferred): {names}").format(
                    split=split, preferred=present[0].name, names=_names(present[1:])
                )
            )
    if not found:
        return None
    return {split: read_table(path) for split, path in found.items()}, notes


def _tables_at_path(source: str) -> Located:
    path = Path(source).expanduser()
    info = path_status(path)
    if info is None:
        known = ", ".join(sorted(n for n in DATASETS))
        raise DataError(
            _(
                "unknown dataset {name!r}: not a registry name ({known}) and no such file or folder"
            ).format(name=source, known=known)
        )
    if not stat.S_ISDIR(info.st_mode):
        return {"all": read_table(path)}, []  # read_table refuses FIFOs, devices, ...
    found, notes = _split_files(path)
    return {split: read_table(p) for split, p in found.items()}, notes


def _split_files(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """Each split's file in ``folder``. An exact name (train.tsv, dev.csv, validation.jsonl)
    wins; without one, a single file named like it (train-2019.tsv) is taken. Several
    candidates are refused and listed: a sort order must not pick the data silently."""
    files = _table_files(folder)
    found: dict[str, Path] = {}
    notes: list[str] = []
    for split, stems in _SPLIT_STEMS.items():
        exact = [p for p in files if p.stem.lower() in stems]
        loose = [p for p in files if p not in exact and _named_like(p.stem.lower(), stems)]
        if len(exact) > 1:
            raise DataError(
                _(
                    "{folder}: {count:,} files are named as the {split} split "
                    "({names}); keep one of them"
                ).format(folder=folder, count=len(exact), split=split, names=_names(exact))
            )
        if not exact and len(loose) > 1:
            raise DataError(
                _(
                    "{folder}: {count:,} files could be the {split} split "
                    "({names}) and none is named exactly {split}.tsv, "
                    ".csv or .jsonl; rename the one to use"
                ).format(folder=folder, count=len(loose), split=split, names=_names(loose))
            )
        chosen = exact or loose
        if chosen:
            found[split] = chosen[0]
        if exact and loose:
            notes.append(
                _("{split}: not used (not an exact split name): {names}").format(
                    split=split, names=_names(loose)
                )
            )
    if not found:
        if len(files) == 1:
            return {"all": files[0]}, []
        raise DataError(
            _(
                "{folder}: expected train/dev/test files (.tsv, .csv, .jsonl) or a "
                "single table file; found {count:,} table files"
            ).format(folder=folder, count=len(files))
        )
    return found, notes


def _table_files(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise read_error(folder, exc) from None
    # hidden files (editor swap files, macOS ._ twins) are never a split
    return [p for p in entries if p.suffix.lower() in TABLE_SUFFIXES and not p.name.startswith(".")]


def _named_like(stem: str, stems: tuple[str, ...]) -> bool:
    return any(stem.startswith(s + j) for s in stems for j in _LOOSE_JOINERS)


def _names(paths: list[Path]) -> str:
    """File names for a message: the first few, then how many more."""
    return listing(paths, show=lambda p: clip(p.name))


# ---- building datasets from tables -----------------------------------------------------------
@dataclass
class RawPairs:
    """One split as read: sentences, target strings and the file line of each row."""

    s1: list[str]
    s2: list[str]
    targets: list[str]
    lines: list[int]
    table: Table

    def where(self, i: int) -> str:
        return _("{path}, line {line}").format(path=self.table.path, line=self.lines[i])

    def subset(self, index: list[int]) -> RawPairs:
        return RawPairs(
            [self.s1[i] for i in index],
            [self.s2[i] for i in index],
            [self.targets[i] for i in index],
            [self.lines[i] for i in index],
            self.table,
        )


def _pairs_from_tables(
    name: str,
    tables: dict[str, Table],
    columns: dict[str, str] | None,
    spec: DatasetSpec | None,
    source: str,
    progress: Progress | None = None,
    notes: list[str] | None = None,
    name_files: bool = True,
) -> PairDataset:
    """``notes`` (from locating the files) come first; ``name_files`` says in the notes which
    file each split came from (not for the bundled demo: not the user's choice)."""
    raw: dict[str, RawPairs] = {}
    target_field = None
    notes = list(notes or [])
    choice = _split_choice(columns, tables, name)
    split_column = ""
    for split, table in tables.items():
        mapping = _pair_mapping(table, columns)
        missing = [f for f in ("sentence1", "sentence2") if f not in mapping]
        field_ = "score" if "score" in mapping else "label" if "label" in mapping else None
        if missing or field_ is None:
            want = missing + ([] if field_ else [_("score or label")])
            raise DataError(
                _(
                    "{path}: no column for {fields}; columns are {columns} — give a mapping, "
                    "e.g. sentence1=COL,sentence2=COL,score=COL"
                ).format(path=table.path, fields=", ".join(want), columns=listing(table.columns))
            )
        if target_field and field_ != target_field:
            raise DataError(
                _("{path}: has a {field} column but other splits have {other}").format(
                    path=table.path, field=field_, other=target_field
                )
            )
        target_field = field_
        # only a single file carries its splits in a column; split files are their splits
        reader = (
            SplitColumnReader(
                table.path,
                table.columns,
                choice,
                {f: mapping[f] for f in ("sentence1", "sentence2", field_)},
            )
            if split == "all"
            else None
        )
        part, dropped = _read_pairs(table, mapping, field_, progress, reader)
        if name_files:
            notes.append(_file_note(split, table, len(part.s1), PAIRS))
        if dropped:
            notes.append(
                _("{file}: skipped {count} rows with an empty sentence").format(
                    file=table.path.name, count=dropped
                )
            )
        if not part.s1:
            raise DataError(_("{path}: every row has an empty sentence").format(path=table.path))
        found = reader.result(notes) if reader is not None else None
        if found is None:
            raw[split] = part
            continue
        notes.append(found.note())
        split_column = found.column
        raw.update({s: part.subset(rows) for s, rows in found.groups().items()})
    task = spec.task if spec is not None and spec.name not in ("demo",) and spec.hub else None
    splits, task, score_range, labels = _parse_targets(raw, target_field, task, spec, notes)
    splits = (
        _complete_column_splits(splits, split_column, notes)
        if split_column
        else _complete_pair_splits(splits, notes)
    )
    language = (
        spec.language if spec and spec.hub else _guess_language(splits["train"].sentence1[:200])
    )
    return PairDataset(
        name, task, splits, score_range, labels, language, source, notes, split_column
    )


def _pair_mapping(table: Table, columns: dict[str, str] | None) -> dict[str, str]:
    """Columns for sentence1, sentence2 and score, or label where there is no score: a label
    column beside a score is never read, so its name cannot make the run ambiguous."""
    mapping = detect_columns(
        table.columns, ("sentence1", "sentence2", "score"), columns, table.path, strict=True
    )
    if "score" not in mapping:
        mapping.update(
            detect_columns(
                table.columns, ("label",), {**(columns or {}), **mapping}, table.path, strict=True
            )
        )
    return mapping


def _read_pairs(
    table: Table,
    mapping: dict[str, str],
    field_: str,
    progress: Progress | None,
    reader: SplitColumnReader | None,
) -> tuple[RawPairs, int]:
    """The rows of one table with both sentences, and how many were skipped without one."""
    position = {c: i for i, c in enumerate(table.columns)}
    i1, i2, it = (
        position[mapping["sentence1"]],
        position[mapping["sentence2"]],
        position[mapping[field_]],
    )
    part = RawPairs([], [], [], [], table)
    dropped = 0
    track = reader.add if reader is not None and reader.candidates else None
    for line, values in table.records(progress):
        a, b = values[i1].strip(), values[i2].strip()
        if not a or not b:
            dropped += 1
            continue
        part.s1.append(a)
        part.s2.append(b)
        part.targets.append(values[it].strip())
        part.lines.append(line)
        if track is not None:
            track(line, values)
    return part, dropped


def _refuse_split_column(columns: dict[str, str] | None, source: str) -> None:
    """A hub dataset comes split; a split column named for it would be silently unused."""
    column = SplitChoice.from_columns(columns).column
    if column is not None:
        raise DataError(
            _(
                "{name}: a split column ({column}) applies to a single data "
                "file; {name} comes with its own splits"
            ).format(name=source, column=quoted(column))
        )


def _split_choice(
    columns: dict[str, str] | None, tables: dict[str, Table], name: str
) -> SplitChoice:
    """The columns mapping's split column; one named for data in split files is refused."""
    choice = SplitChoice.from_columns(columns)
    if choice.column is not None and "all" not in tables:
        raise DataError(
            _(
                "{name}: a split column ({column}) applies to a single "
                "data file; this data comes as split files ({files})"
            ).format(
                name=name,
                column=quoted(choice.column),
                files=_names([t.path for t in tables.values()]),
            )
        )
    return choice


def _parse_targets(raw: dict[str, RawPairs], field_: str | None, task, spec, notes):
    """Turn target strings into float scores or int labels, checking types and ranges."""
    values = {split: [parse_number(t) for t in part.targets] for split, part in raw.items()}
    kinds = {"number" if v is not None else "text" for vs in values.values() for v in vs}
    if field_ == "score" or task == "regression":
        for split, part in raw.items():
            bad = next((i for i, v in enumerate(values[split]) if v is None), None)
            if bad is not None:
                raise DataError(
                    _("{where}: score {value!r} {problem}").format(
                        where=part.where(bad),
                        value=_clip(part.targets[bad]),
                        problem=number_problem(part.targets[bad]),
                    )
                )
        task = "regression"
    elif kinds == {"number", "text"}:
        for split, part in raw.items():
            bad = next((i for i, v in enumerate(values[split]) if v is None), None)
            if bad is not None:
                raise DataError(
                    _(
                        "{where}: label {value!r} is not a number, but other rows are "
                        "numbers (mixed label types)"
                    ).format(where=part.where(bad), value=_clip(part.targets[bad]))
                )
    if task is None:
        if kinds == {"text"}:
            task = "classification"
        else:
            every = [v for vs in values.values() for v in _as_numbers(vs)]
            task = "classification" if all(float(v).is_integer() for v in every) else "regression"
    splits: dict[str, PairSplit] = {}
    if task == "regression":
        lo, hi = spec.score_range if spec is not None else _infer_range(values)
        for split, part in raw.items():
            for i, v in enumerate(_as_numbers(values[split])):
                if not math.isfinite(v) or not lo - 1e-6 <= v <= hi + 1e-6:
                    raise DataError(
                        _(
                            "{where}: score {value} is outside the dataset's range {low:g}–{high:g}"
                        ).format(where=part.where(i), value=_clip(part.targets[i]), low=lo, high=hi)
                    )
            splits[split] = PairSplit(part.s1, part.s2, np.asarray(values[split], np.float32))
        return splits, task, (float(lo), float(hi)), ()
    # classification
    if kinds == {"text"}:
        names: Sequence[str] = sorted({t for part in raw.values() for t in part.targets})
        if set(names) <= set(_NLI_ORDER):
            names = [n for n in _NLI_ORDER if n in names]
        index = {n: i for i, n in enumerate(names)}
        for split, part in raw.items():
            splits[split] = PairSplit(
                part.s1, part.s2, np.asarray([index[t] for t in part.targets], np.int64)
            )
        return splits, task, (0.0, 1.0), tuple(names)
    for split, part in raw.items():
        numbers = np.asarray(values[split], dtype=np.float64)
        fractional = np.flatnonzero(np.mod(numbers, 1) != 0)
        if len(fractional):
            i = int(fractional[0])
            raise DataError(
                _("{where}: label {value} is not a whole number").format(
                    where=part.where(i), value=_clip(part.targets[i])
                )
            )
        huge = np.flatnonzero(numbers >= MAX_CLASSES)
        if len(huge):
            raise DataError(_huge_label(part.where(int(huge[0])), part.targets[huge[0]]))
        labels = numbers.astype(np.int64)
        hidden = labels < 0
        if hidden.all():
            notes.append(_("{split}: labels are hidden (-1); split not used").format(split=split))
            continue
        pairs = PairSplit(part.s1, part.s2, labels)
        if hidden.any():
            notes.append(
                _("{split}: skipped {count} rows with hidden labels").format(
                    split=split, count=int(hidden.sum())
                )
            )
            pairs = pairs.subset(np.flatnonzero(~hidden))
        splits[split] = pairs
    present = sorted({int(v) for s in splits.values() for v in s.targets})
    if spec is not None and spec.label_names:
        names = spec.label_names
        if present and present[-1] >= len(names):
            raise DataError(
                _("{name}: label {label} is outside 0–{top}").format(
                    name=spec.name, label=present[-1], top=len(names) - 1
                )
            )
    else:
        names = tuple(str(i) for i in range(max(present) + 1 if present else 2))
    if len(names) < 2:
        names = ("0", "1")
    return splits, task, (0.0, 1.0), tuple(names)


def _as_numbers(values: list[float | None]) -> list[float]:
    """Parsed targets that the checks found to be all numbers (no text), typed as such."""
    numbers = [v for v in values if v is not None]
    assert len(numbers) == len(values), "a target that is no number got past the checks"
    return numbers


def _clip(text: str, limit: int = 40) -> str:
    """A value as shown in a message: a whole paragraph in the score column stays one line."""
    return clip(text, limit)


def _huge_label(where: str, text: str) -> str:
    return _(
        "{where}: label {value} is too large for a class number (at most {top}); "
        "if the column holds scores, map it as score"
    ).format(where=where, value=_clip(text), top=MAX_CLASSES - 1)


# What a split holds, as notes count it ("5,749 pairs"); translated where shown.
PAIRS, SENTENCES = N_("pairs"), N_("sentences")


def _file_note(split: str, table: Table, count: int, unit: str) -> str:
    """Which file a split came from, e.g. 'train: /data/stsb/train.tsv (5,749 pairs)'."""
    label = _("all splits") if split == "all" else split
    return _("{split}: {path} ({count:,} {unit})").format(
        split=label, path=table.path, count=count, unit=_(unit)
    )


def _infer_range(values: dict[str, list]) -> tuple[float, float]:
    numbers = [v for vs in values.values() for v in vs if v is not None and math.isfinite(v)]
    if not numbers:
        raise DataError(_("no numeric scores found"))
    lo, hi = min(numbers), max(numbers)
    for low, high in ((0, 1), (0, 5), (1, 5), (0, 10), (0, 100)):
        if low <= lo and hi <= high:
            return float(low), float(high)
    return float(math.floor(lo)), float(math.ceil(hi))


def _complete_pair_splits(splits: dict[str, PairSplit], notes: list[str]) -> dict[str, PairSplit]:
    """Create train/dev (and test) with a fixed seed where the source lacks them."""
    rng = np.random.default_rng(SPLIT_SEED)
    if "all" in splits or "train" not in splits:
        pool_name = "all" if "all" in splits else next(iter(splits))
        pool = splits.pop(pool_name)
        order = rng.permutation(len(pool))
        n_dev = n_test = _held_out(len(pool), PAIR_SPLIT_PERCENT)
        splits = {
            "train": pool.subset(order[n_dev + n_test :]),
            "dev": pool.subset(order[:n_dev]),
            "test": pool.subset(order[n_dev : n_dev + n_test]),
        }
        origin = None if pool_name == "all" else pool_name
        notes += [
            _split_note("dev", n_dev, PAIRS, len(pool), PAIR_SPLIT_PERCENT, origin),
            _split_note("test", n_test, PAIRS, len(pool), PAIR_SPLIT_PERCENT, origin),
            _("train: the other {count:,} pairs").format(count=len(splits["train"]))
            + _(_SAME_EVERY_RUN),
        ]
    elif "dev" not in splits:
        train = splits["train"]
        order = rng.permutation(len(train))
        n_dev = _held_out(len(train), PAIR_SPLIT_PERCENT)
        splits["dev"] = train.subset(order[:n_dev])
        splits["train"] = train.subset(order[n_dev:])
        notes.append(
            _split_note("dev", n_dev, PAIRS, len(train), PAIR_SPLIT_PERCENT, "train")
            + _(_SAME_EVERY_RUN)
        )
    _refuse_too_few(splits)
    return splits


def _refuse_too_few(splits: dict[str, PairSplit]) -> None:
    if len(splits["train"]) < 2 or len(splits["dev"]) < 1:
        raise DataError(
            _(
                "too few rows to train on: {train} train, {dev} dev "
                "(at least 2 training pairs and 1 dev pair)"
            ).format(train=len(splits["train"]), dev=len(splits["dev"]))
        )


def _complete_column_splits(
    splits: dict[str, PairSplit], column: str, notes: list[str]
) -> dict[str, PairSplit]:
    """A file's own splits, completed: dev and test are made at random from train only where
    the column has none of them, and the notes say which."""
    if not splits:
        raise DataError(
            _("no split from the column {column!r} has rows with a label").format(column=column)
        )
    if "train" not in splits:
        if not {"dev", "test"} <= splits.keys():  # one split only: as if there were no column
            only = next(iter(splits))
            notes.append(
                _(
                    "no train rows from the column {column!r}, only {only}: train, dev "
                    "and test are split at random from them"
                ).format(column=column, only=only)
            )
            return _complete_pair_splits({"all": splits[only]}, notes)
        notes.append(
            _(
                "no train rows from the column {column!r}: train and dev are split at "
                "random from its dev rows; test is its test rows"
            ).format(column=column)
        )
        splits["train"] = splits.pop("dev")
        origin = _("the dev rows")
    else:
        origin = "train"
    missing = [s for s in ("dev", "test") if s not in splits]
    if missing and origin == "train":
        notes.append(
            _("no {splits} rows from the column {column!r}").format(
                splits=_(" or ").join(missing), column=column
            )
        )
    if missing:
        train = splits["train"]
        order = np.random.default_rng(SPLIT_SEED).permutation(len(train))
        n = _held_out(len(train), PAIR_SPLIT_PERCENT)
        for k, split in enumerate(missing):
            splits[split] = train.subset(order[k * n : (k + 1) * n])
            notes.append(
                _split_note(split, n, PAIRS, len(train), PAIR_SPLIT_PERCENT, origin)
                + _(_SAME_EVERY_RUN)
            )
        splits["train"] = train.subset(order[len(missing) * n :])
    splits = {s: splits[s] for s in ("train", "dev", "test") if s in splits}
    _refuse_too_few(splits)
    return splits


# TRANSLATORS: added to the end of a note on a split made at random
_SAME_EVERY_RUN = N_("; random splits are the same in every run (fixed seed)")


def _held_out(pool: int, percent: int) -> int:
    """Size of a split we create: ``percent`` of the pool, at least 1, at most the cap."""
    return max(1, min(AUTO_SPLIT_CAP, pool * percent // 100))


def _split_note(
    split: str, count: int, unit: str, pool: int, percent: int, origin: str | None
) -> str:
    """E.g. 'dev: 2,000 pairs split off at random (10% capped at 2,000)'; ``unit`` and
    ``unit`` is English (marked with N_), translated here; ``origin`` is a split name
    or an already translated phrase."""
    share = f"{percent}%"
    if pool * percent // 100 > AUTO_SPLIT_CAP:
        share = _("{percent}% capped at {cap:,}").format(percent=percent, cap=AUTO_SPLIT_CAP)
    if origin:
        message = _("{split}: {count:,} {unit} split off at random from {origin} ({share})")
    else:
        message = _("{split}: {count:,} {unit} split off at random ({share})")
    return message.format(split=split, count=count, unit=_(unit), origin=origin or "", share=share)


def _texts_from_tables(
    name: str,
    tables: dict[str, Table],
    columns,
    spec,
    source,
    progress: Progress | None = None,
    notes: list[str] | None = None,
    name_files: bool = True,
) -> TextDataset:
    splits: dict[str, TextSplit] = {}
    notes = list(notes or [])
    labelled = None
    label_names: tuple[str, ...] = spec.label_names if spec is not None else ()
    raw_labels: dict[str, tuple[list[str], list[int]]] = {}
    choice = _split_choice(columns, tables, name)
    split_column = ""
    split_tables = {}  # split -> its file, for messages about its labels
    for split, table in tables.items():
        mapping = detect_columns(
            table.columns, ("sentence", "label"), columns, table.path, strict=True
        )
        if "sentence" not in mapping:
            raise DataError(
                _(
                    "{path}: no text column; columns are {columns} — give a mapping, "
                    "e.g. sentence=COL"
                ).format(path=table.path, columns=listing(table.columns))
            )
        has_label = "label" in mapping
        labelled = has_label if labelled is None else labelled and has_label
        reader = (
            SplitColumnReader(table.path, table.columns, choice, mapping)
            if split == "all"
            else None
        )
        sentences, labels, lines, dropped = _read_texts(table, mapping, progress, reader)
        if name_files:
            notes.append(_file_note(split, table, len(sentences), SENTENCES))
        if dropped:
            notes.append(
                _("{file}: skipped {count} empty sentences").format(
                    file=table.path.name, count=dropped
                )
            )
        found = reader.result(notes) if reader is not None and sentences else None
        if found is None:
            splits[split], raw_labels[split] = TextSplit(sentences, None), (labels, lines)
            split_tables[split] = table
            continue
        notes.append(found.note())
        split_column = found.column
        for part, rows in found.groups().items():
            splits[part] = TextSplit([sentences[i] for i in rows], None)
            raw_labels[part] = ([labels[i] for i in rows], [lines[i] for i in rows])
            split_tables[part] = table
    if split_column and "train" not in splits:  # the first split found is trained on
        notes.append(
            _(
                "no train rows from the column {column!r}: its {split} rows are used as train"
            ).format(column=split_column, split=next(iter(splits)))
        )
    if labelled:
        label_names = _attach_text_labels(splits, raw_labels, split_tables, label_names, notes)
    else:
        label_names = ()
    data = _complete_text_splits(name, splits, label_names, spec, source, notes)
    data.split_column = split_column
    return data


def _read_texts(
    table: Table,
    mapping: dict[str, str],
    progress: Progress | None,
    reader: SplitColumnReader | None,
):
    """Sentences, label strings and lines of one table; and how many empty rows were skipped."""
    position = {c: i for i, c in enumerate(table.columns)}
    i_text = position[mapping["sentence"]]
    i_label = position[mapping["label"]] if "label" in mapping else None
    sentences, labels, lines = [], [], []
    dropped = 0
    track = reader.add if reader is not None and reader.candidates else None
    for line, values in table.records(progress):
        text = values[i_text].strip()
        if not text:
            dropped += 1
            continue
        sentences.append(text)
        labels.append(values[i_label].strip() if i_label is not None else "")
        lines.append(line)
        if track is not None:
            track(line, values)
    return sentences, labels, lines, dropped


def _attach_text_labels(splits, raw_labels, tables, label_names, notes) -> tuple[str, ...]:
    parsed = {
        split: [parse_number(v) for v in values] for split, (values, _lines) in raw_labels.items()
    }
    kinds = {v is not None for numbers in parsed.values() for v in numbers}
    if kinds == {True, False}:  # numbers and words: one of them is a typo, refuse as pairs do
        for split, (values, lines) in raw_labels.items():
            bad = next((i for i, v in enumerate(parsed[split]) if v is None), None)
            if bad is not None:
                raise DataError(
                    _(
                        "{where}: label {value!r} is not a number, but other rows are "
                        "numbers (mixed label types)"
                    ).format(
                        where=_("{path}, line {line}").format(
                            path=tables[split].path, line=lines[bad]
                        ),
                        value=_clip(values[bad]),
                    )
                )
    numeric = False not in kinds
    if not numeric:
        names = label_names or tuple(sorted({v for vs, _lines in raw_labels.values() for v in vs}))
        index = {n: i for i, n in enumerate(names)}
    for split, (values, lines) in raw_labels.items():
        if numeric:
            labels = _whole_labels(_as_numbers(parsed[split]), values, lines, tables[split].path)
        else:
            bad = next((i for i, v in enumerate(values) if v not in index), None)
            if bad is not None:
                raise DataError(
                    _("{path}, line {line}: unknown label {value!r}").format(
                        path=tables[split].path, line=lines[bad], value=_clip(values[bad])
                    )
                )
            labels = np.asarray([index[v] for v in values], dtype=np.int64)
        if len(labels) and (labels < 0).all():
            notes.append(
                _("{split}: labels are hidden (-1); split used as unlabelled text").format(
                    split=split
                )
            )
            continue
        if (labels < 0).any():
            keep = np.flatnonzero(labels >= 0)
            split_obj = splits[split]
            split_obj.sentences = [split_obj.sentences[i] for i in keep]
            labels = labels[keep]
        splits[split].labels = labels
    if not numeric:
        return tuple(names)
    top = max(
        (int(s.labels.max()) for s in splits.values() if s.labels is not None and len(s.labels)),
        default=1,
    )
    if label_names and top < len(label_names):
        return tuple(label_names)
    return tuple(str(i) for i in range(max(top + 1, 2)))


def _whole_labels(numbers: list[float], values: list[str], lines: list[int], path) -> np.ndarray:
    """Numeric labels as class numbers: whole, and small enough to index a class."""
    for number, value, line in zip(numbers, values, lines):
        if not number.is_integer():
            raise DataError(
                _("{where}: label {value} is not a whole number").format(
                    where=_("{path}, line {line}").format(path=path, line=line), value=_clip(value)
                )
            )
        if number >= MAX_CLASSES:
            raise DataError(
                _huge_label(_("{path}, line {line}").format(path=path, line=line), value)
            )
    return np.asarray(numbers, dtype=np.int64)


def _complete_text_splits(name, splits, label_names, spec, source, notes) -> TextDataset:
    rng = np.random.default_rng(SPLIT_SEED)
    # Splits whose labels are hidden are dropped from labelled corpora (they can't be scored).
    if label_names:
        for split in [s for s, v in splits.items() if v.labels is None]:
            del splits[split]
    origin: str | None = "train"
    if "train" not in splits:
        pool_name = "all" if "all" in splits else next(iter(splits))
        splits["train"] = splits.pop(pool_name)
        origin = None if pool_name == "all" else pool_name
    if "dev" not in splits:
        train = splits["train"]
        order = rng.permutation(len(train))
        n_dev = _held_out(len(train), TEXT_DEV_PERCENT)
        dev_idx, train_idx = order[:n_dev], order[n_dev:]
        labels = train.labels
        splits["dev"] = TextSplit(
            [train.sentences[i] for i in dev_idx], None if labels is None else labels[dev_idx]
        )
        splits["train"] = TextSplit(
            [train.sentences[i] for i in train_idx], None if labels is None else labels[train_idx]
        )
        notes.append(
            _split_note("dev", n_dev, SENTENCES, len(train), TEXT_DEV_PERCENT, origin)
            + _(_SAME_EVERY_RUN)
        )
    if len(splits["train"]) < 2:
        raise DataError(
            _("{name}: too few sentences ({count})").format(name=name, count=len(splits["train"]))
        )
    language = spec.language if spec else _guess_language(splits["train"].sentences[:200])
    return TextDataset(name, splits, tuple(label_names), language, source, notes)


def _texts_from_pairs(pairs: PairDataset) -> TextDataset:
    splits = {
        name: TextSplit(list(dict.fromkeys(s.sentence1 + s.sentence2)), None)
        for name, s in pairs.splits.items()
    }
    return TextDataset(
        pairs.name,
        splits,
        (),
        pairs.language,
        pairs.source,
        pairs.notes + [_("sentence pairs used as unlabelled text")],
        pairs.split_column,
    )


def _guess_language(sentences: list[str]) -> str:
    text = "".join(sentences)
    hangul = sum("\uac00" <= ch <= "\ud7a3" for ch in text)
    return "ko" if text and hangul / len(text) > 0.2 else "en"


# ---- the Hugging Face hub --------------------------------------------------------------------
def _hub_columns(spec: DatasetSpec) -> dict[str, dict[str, list]]:
    hub = spec.hub
    assert hub is not None
    try:
        import datasets  # heavy import, only when a hub dataset is asked for

        loaded = datasets.load_dataset(hub.repo, hub.config, revision=hub.revision)
    except Exception as exc:  # network, offline cache miss, renamed repo ...
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise DataError(
            _(
                "could not load {name} from the Hugging Face hub ({repo}): "
                "{reason}. Offline? Use --data-root with a folder holding "
                "{name}/train.tsv, dev.tsv, test.tsv"
            ).format(name=spec.name, repo=hub.repo, reason=reason)
        ) from None
    out: dict[str, dict[str, list]] = {}
    for ours, theirs in hub.splits.items():
        if theirs not in loaded:
            continue
        part = loaded[theirs]
        columns = {}
        for field, column in hub.columns.items():
            head, _dot, nested = column.partition(".")
            values = part[head]
            columns[field] = [v[nested] for v in values] if nested else list(values)
        out[ours] = columns
    if not out:
        raise DataError(
            _("{name}: the hub copy has none of the splits {splits}").format(
                name=spec.name, splits=", ".join(hub.splits.values())
            )
        )
    return out


def _pairs_from_hub(spec: DatasetSpec) -> PairDataset:
    hub = spec.hub
    assert hub is not None  # called only for datasets with a hub source
    columns = _hub_columns(spec)
    splits: dict[str, PairSplit] = {}
    notes: list[str] = []
    for split, cols in columns.items():
        s1 = [str(x).strip() for x in cols["sentence1"]]
        s2 = [str(x).strip() for x in cols["sentence2"]]
        if spec.task == "regression":
            targets = np.asarray(cols["score"], dtype=np.float32) * hub.score_multiplier
        else:
            targets = np.asarray(cols["label"], dtype=np.int64)
            if (targets < 0).all():
                notes.append(
                    _("{split}: labels are hidden (-1); split not used").format(split=split)
                )
                continue
        keep = np.flatnonzero(
            np.asarray([bool(a) and bool(b) for a, b in zip(s1, s2)], dtype=bool)
            & (targets >= 0 if spec.task != "regression" else True)
        )
        splits[split] = PairSplit(s1, s2, targets).subset(keep)
    splits = _complete_pair_splits(splits, notes)
    return PairDataset(
        spec.name,
        spec.task,
        splits,
        spec.score_range,
        spec.label_names,
        spec.language,
        f"hub {hub.repo}",
        notes,
    )


def _texts_from_hub(spec: DatasetSpec) -> TextDataset:
    assert spec.hub is not None  # called only for datasets with a hub source
    columns = _hub_columns(spec)
    splits: dict[str, TextSplit] = {}
    notes: list[str] = []
    for split, cols in columns.items():
        sentences = [str(x).strip() for x in cols["sentence"]]
        labels = np.asarray(cols["label"], dtype=np.int64) if "label" in cols else None
        keep = [i for i, s in enumerate(sentences) if s and (labels is None or labels[i] >= 0)]
        if labels is not None and not keep:
            notes.append(_("{split}: labels are hidden (-1); split not used").format(split=split))
            continue
        splits[split] = TextSplit(
            [sentences[i] for i in keep], None if labels is None else labels[keep]
        )
    return _complete_text_splits(
        spec.name, splits, spec.label_names, spec, f"hub {spec.hub.repo}", notes
    )
