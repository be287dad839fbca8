"""A data file's own split column (``split``, ``set``, ``SemEval_set`` …): which rows are train,
dev and test.

Published datasets often ship as one file with such a column; splitting that file at random
would make its "test" figure incomparable with published numbers. A column is taken when its
name looks like a split column and its values are split names; the user can name the column
(``split=COL`` in a columns mapping, ``--split-column COL``) or turn this off (``none``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from transfer_explorer.engine.data.names import (
    SHOWN,
    case_collision,
    listing,
    missing_column,
    name_key,
    quoted,
    same_names,
)
from transfer_explorer.engine.data.types import SPLITS
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.i18n import _

SPLIT_FIELD = "split"  # its key in a columns mapping
NO_SPLIT_COLUMN = "none"  # the mapping's value that turns the split column off
# A value in the column (stripped, any case) -> our split.
SPLIT_VALUES = {
    "train": "train",
    "training": "train",
    "dev": "dev",
    "development": "dev",
    "valid": "dev",
    "validation": "dev",
    "val": "dev",
    "trial": "dev",
    "test": "test",
    "testing": "test",
}
# Column names (lower-case) read as a split column without being asked.
_SPLIT_NAMES = (
    "split",
    "splits",
    "set",
    "partition",
    "fold",
    "subset",
    "data_split",
    "dataset_split",
    "split_name",
    "datasplit",
)
_SPLIT_SUFFIXES = ("_set", "-set", " set", ".set", "_split", "-split", " split", ".split")
_EXAMPLES = 3  # unknown values kept for a note


def known_values() -> str:
    """The accepted values, grouped by split, for messages."""
    groups = {s: [v for v, split in SPLIT_VALUES.items() if split == s] for s in SPLITS}
    return "; ".join(", ".join(values) for values in groups.values())


def is_split_name(column: str) -> bool:
    """A column name that usually holds each row's split (SemEval_set, split, fold …)."""
    name = name_key(column)
    return name in _SPLIT_NAMES or name.endswith(_SPLIT_SUFFIXES)


@dataclass(frozen=True)
class SplitChoice:
    """What the columns mapping says about the split column."""

    column: str | None = None  # a column the user named
    off: bool = False  # 'none': never read one

    @classmethod
    def from_columns(cls, columns: dict[str, str] | None) -> SplitChoice:
        value = (columns or {}).get(SPLIT_FIELD)
        if value is None:
            return cls()
        if value.strip().lower() == NO_SPLIT_COLUMN:
            return cls(off=True)
        return cls(column=value)


@dataclass
class ColumnSplits:
    """The split column chosen for a file: its name and each kept row's split."""

    column: str
    rows: list[str]
    spellings: dict[str, set[str]]  # split -> the file's values for it (TRIAL for dev …)

    def groups(self) -> dict[str, list[int]]:
        """Row indices per split, in train/dev/test order; splits without rows are left out."""
        index: dict[str, list[int]] = {s: [] for s in SPLITS}
        for i, split in enumerate(self.rows):
            index[split].append(i)
        return {s: rows for s, rows in index.items() if rows}

    def note(self) -> str:
        """E.g. "splits from the column 'SemEval_set': train 4,439, dev 495 (TRIAL), …"."""
        parts = []
        for split, rows in self.groups().items():
            other = sorted(v for v in self.spellings[split] if v.lower() != split)
            parts.append(f"{split} {len(rows):,}" + (f" ({listing(other)})" if other else ""))
        return _("splits from the column {column}: {splits}").format(
            column=quoted(self.column), splits=", ".join(parts)
        )


@dataclass
class _Candidate:
    name: str
    position: int
    rows: list[str | None] = field(default_factory=list)
    first_unknown: tuple[int, str] | None = None
    unknown: list[str] = field(default_factory=list)  # a few, for a note
    spellings: dict[str, set[str]] = field(default_factory=lambda: {s: set() for s in SPLITS})

    def add(self, line: int, raw: str) -> None:
        value = raw.strip()
        split = SPLIT_VALUES.get(value.lower())
        self.rows.append(split)
        if split is not None:
            self.spellings[split].add(value)
            return
        if self.first_unknown is None:
            self.first_unknown = (line, value)
        if len(self.unknown) < _EXAMPLES and value not in self.unknown:
            self.unknown.append(value)

    @property
    def usable(self) -> bool:
        """Some value is a split name: the column is meant as splits (or has a typo)."""
        return any(self.spellings.values())


class SplitColumnReader:
    """Follows the candidate split columns of one file while its rows are read.

    Call :meth:`add` for every row kept (its line and values), then :meth:`result`."""

    def __init__(self, path: Path, columns: list[str], choice: SplitChoice, taken: dict[str, str]):
        self.path, self.choice = path, choice
        names = self._names(columns, choice, taken)
        self.candidates = [_Candidate(n, columns.index(n)) for n in names]
        self.ignored = (
            []
            if not choice.off
            else [c for c in columns if is_split_name(c) and c not in taken.values()]
        )

    def _names(self, columns: list[str], choice: SplitChoice, taken: dict[str, str]) -> list[str]:
        if choice.off:
            return []
        if choice.column is None:
            found = [c for c in columns if is_split_name(c) and c not in taken.values()]
            self._refuse_same_names(columns, found)
            return found
        if choice.column not in columns:
            raise missing_column(
                self.path,
                _("the split column {column}").format(column=quoted(choice.column)),
                choice.column,
                columns,
            )
        used_for = next((f for f, c in taken.items() if c == choice.column), None)
        if used_for is not None:
            raise DataError(
                _(
                    "{path}: the column {column} is given as the split column "
                    "but also holds {field}"
                ).format(path=self.path, column=quoted(choice.column), field=used_for)
            )
        return [choice.column]

    def _refuse_same_names(self, columns: list[str], found: list[str]) -> None:
        """Split columns found by name that differ only in case (split, SPLIT): the user
        says which one holds the splits."""
        found_set = set(found)
        for positions in same_names(columns).values():
            free = [i for i in positions if columns[i] in found_set]
            if len(free) > 1:
                raise case_collision(
                    self.path,
                    columns,
                    free,
                    _("and either could be the split column"),
                    _("choose one with --split-column NAME (or none to split at random)"),
                )

    def add(self, line: int, values: list[str]) -> None:
        for candidate in self.candidates:
            candidate.add(line, values[candidate.position])

    def result(self, notes: list[str]) -> ColumnSplits | None:
        """The split column, None when there is none; refuses values that are no split."""
        if len(self.ignored) == 1:
            notes.append(
                _("the column {column} is not read as splits (split column: none)").format(
                    column=quoted(self.ignored[0])
                )
            )
        elif self.ignored:
            notes.append(
                _("the columns {columns} are not read as splits (split column: none)").format(
                    columns=listing(self.ignored, show=quoted)
                )
            )
        if self.choice.column is not None:
            return self._take(self.candidates[0], asked=True)
        usable = [c for c in self.candidates if c.usable]
        notes.extend(self._unused_notes())
        if len(usable) > 1:
            raise DataError(
                _(
                    "{path}: {count:,} columns could be the split column ({columns}); "
                    "choose one with --split-column NAME (or none to split at random)"
                ).format(path=self.path, count=len(usable), columns=listing(c.name for c in usable))
            )
        return self._take(usable[0], asked=False) if usable else None

    def _unused_notes(self) -> list[str]:
        """Why columns named like a split column are not read as one: a few, then a count."""
        unused = [c for c in self.candidates if not c.usable and c.rows]
        notes = [
            _(
                "the column {column} is not read as splits: its values ({values}) "
                "are not train/dev/test"
            ).format(column=quoted(c.name), values=listing(c.unknown, show=quoted))
            for c in unused[:SHOWN]
        ]
        if len(unused) > SHOWN:
            notes.append(
                _(
                    "… and {count:,} more columns named like a split column are not read "
                    "as splits: their values are not train/dev/test"
                ).format(count=len(unused) - SHOWN)
            )
        return notes

    def _take(self, candidate: _Candidate, asked: bool) -> ColumnSplits:
        if candidate.first_unknown is not None:
            line, value = candidate.first_unknown
            shown = quoted(value) if value else _("an empty value")
            if asked:
                message = _(
                    "{path}, line {line}: {value} in the split column {column} is not a split; "
                    "known values (any case): {known}"
                )
            else:
                message = _(
                    "{path}, line {line}: {value} in the column {column} (read as the split "
                    "column, by its name) is not a split; known values (any case): {known}; "
                    "--split-column none splits at random instead"
                )
            raise DataError(
                message.format(
                    path=self.path,
                    line=line,
                    value=shown,
                    column=quoted(candidate.name),
                    known=known_values(),
                )
            )
        # every row holds a split here: the first row without one set first_unknown
        rows = [split for split in candidate.rows if split is not None]
        assert len(rows) == len(candidate.rows)
        return ColumnSplits(candidate.name, rows, candidate.spellings)
