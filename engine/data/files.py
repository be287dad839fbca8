"""Reading local table files (TSV, CSV, JSON Lines) with clear errors and column detection."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from engine.errors import DataError

TABLE_SUFFIXES = (".tsv", ".csv", ".jsonl", ".json", ".txt")

# Our field -> column names seen in the wild, in order of preference (lower-case).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "sentence1": ("sentence1", "sentence_1", "sentence_a", "sentence a", "s1", "text1", "text_1",
                  "text_a", "question1", "question_1", "premise", "query", "anchor", "#1 string",
                  "#1_string"),
    "sentence2": ("sentence2", "sentence_2", "sentence_b", "sentence b", "s2", "text2", "text_2",
                  "text_b", "question2", "question_2", "hypothesis", "answer", "positive",
                  "#2 string", "#2_string"),
    "score": ("score", "similarity", "similarity_score", "relatedness_score", "relatedness",
              "sim", "gold_score", "gold"),
    "label": ("label", "labels", "gold_label", "is_duplicate", "is_paraphrase", "quality", "class",
              "target", "y"),
    "sentence": ("sentence", "text", "document", "review", "content", "sentence1", "comment"),
}


@dataclass
class Table:
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    encoding: str
    first_line: int = 2  # line number of rows[0] in the file (1-based; header is line 1)

    def line_of(self, index: int) -> int:
        return self.first_line + index


def read_table(path: str | Path) -> Table:
    """Read a whole table file; every problem names the file (and line where it can)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if path.is_dir():
        raise DataError(f"{path}: is a folder, expected a .tsv/.csv/.jsonl file")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(f"{path}: the file is empty")
    if b"\x00" in raw[:8192]:
        raise DataError(f"{path}: looks like a binary file, not a text table")
    text, encoding = _decode(raw, path)
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return _read_jsonl(path, text, encoding)
    delimiter = "\t" if suffix in (".tsv", ".txt") or _looks_tab_separated(text) else ","
    return _read_delimited(path, text, encoding, delimiter)


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            # CP949 (Windows Korean) is the usual non-UTF-8 encoding of Korean datasets.
            return raw.decode("cp949"), "cp949"
        except UnicodeDecodeError:
            raise DataError(f"{path}, line {line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                            "save the file as UTF-8") from None


def _looks_tab_separated(text: str) -> bool:
    header = text.split("\n", 1)[0]
    return header.count("\t") > 0 and header.count("\t") >= header.count(",")


def _read_delimited(path: Path, text: str, encoding: str, delimiter: str) -> Table:
    # TSV research files are unquoted (a lone '"' is text); CSV follows RFC 4180 quoting.
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting,
                        strict=quoting != csv.QUOTE_NONE)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise DataError(f"{path}, line 1: {exc}") from None
    columns = [c.strip() for c in header]
    if len(set(columns)) != len(columns):
        raise DataError(f"{path}, line 1: repeated column names in the header: {columns}")
    rows: list[dict[str, str]] = []
    line = 1
    try:
        for record in reader:
            line = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # blank line
            if len(record) != len(columns):
                raise DataError(f"{path}, line {line}: {len(record)} fields, the header has "
                                f"{len(columns)}")
            rows.append(dict(zip(columns, record)))
    except csv.Error as exc:
        raise DataError(f"{path}, line {reader.line_num}: {exc}") from None
    if not rows:
        raise DataError(f"{path}: only a header, no rows")
    return Table(path, columns, rows, encoding)


def _read_jsonl(path: Path, text: str, encoding: str) -> Table:
    stripped = text.lstrip()
    if stripped.startswith("["):  # a JSON array of objects is accepted too
        try:
            records = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}, line {exc.lineno}: invalid JSON ({exc.msg})") from None
        numbered = list(enumerate(records, start=1))
    else:
        numbered = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                numbered.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise DataError(f"{path}, line {number}: invalid JSON ({exc.msg})") from None
    rows, columns = [], []
    for number, record in numbered:
        if not isinstance(record, dict):
            raise DataError(f"{path}, line {number}: expected a JSON object per line")
        for key in record:
            if key not in columns:
                columns.append(key)
        rows.append({k: "" if v is None else (json.dumps(v) if isinstance(v, (dict, list)) else str(v))
                     for k, v in record.items()})
    if not rows:
        raise DataError(f"{path}: no records")
    for number, row in enumerate(rows):
        for column in columns:
            row.setdefault(column, "")
    return Table(path, columns, rows, encoding, first_line=1)


def detect_columns(columns: list[str], wanted: tuple[str, ...], explicit: dict[str, str] | None,
                   path: Path) -> dict[str, str]:
    """Map our fields (``wanted``) to the file's columns: explicit mapping first, then aliases.

    Only the first of ``score``/``label`` that is found is returned when both are wanted.
    """
    explicit = dict(explicit or {})
    for ours, theirs in explicit.items():
        if theirs not in columns:
            raise DataError(f"{path}: column {theirs!r} (given for {ours}) is not in the file; "
                            f"columns: {', '.join(columns)}")
    lower = {c.lower().strip(): c for c in columns}
    mapping: dict[str, str] = {}
    taken = set(explicit.values())
    for ours in wanted:
        if ours in explicit:
            mapping[ours] = explicit[ours]
            continue
        for alias in COLUMN_ALIASES[ours]:
            column = lower.get(alias)
            if column is not None and column not in taken:
                mapping[ours] = column
                taken.add(column)
                break
    return mapping
