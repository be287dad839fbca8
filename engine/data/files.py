"""Reading local table files (TSV, CSV, JSON Lines) with clear errors and column detection.

Files are streamed: :func:`open_table` checks the file and reads its header; ``records()``
yields rows one at a time with their line numbers, so a very large file never sits in
memory as a whole, and a progress callback can follow the bytes read.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

from transfer_explorer.engine.control import check_stop
from transfer_explorer.engine.data.names import (
    case_collision,
    clip,
    listing,
    missing_column,
    name_key,
    quoted,
    same_names,
)
from transfer_explorer.engine.disk.safe_read import kind_of, open_regular
from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.i18n import _

TABLE_SUFFIXES = (".tsv", ".csv", ".jsonl", ".json", ".txt")
CHUNK = 1 << 20
# The header is read whole, however wide (a 200,000-column header is ~1.5 MB), up to this
# size; past it the file is refused by what is true: its first line is longer than that.
HEADER_LIMIT = 64 * CHUNK
# What a number in a data file may look like: sign, ASCII digits, fraction, exponent.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class _NumberParsers(TypedDict):  # json.loads' number keywords, typed for its stubs
    parse_float: Callable[[str], Any]
    parse_int: Callable[[str], Any]
    parse_constant: Callable[[str], Any]


# JSON numbers stay the text the file has, checked like a TSV cell by parse_number: json's own
# parsing turns 1e400 into inf, accepts NaN, and raises ValueError on ints over 4,300 digits.
_JSON_NUMBERS_AS_TEXT: _NumberParsers = {
    "parse_float": str,
    "parse_int": str,
    "parse_constant": str,
}
Progress = Callable[[int, int], None]  # (bytes read, bytes in the file)
_Quoting = Literal[0, 3]  # csv.QUOTE_MINIMAL or csv.QUOTE_NONE, as csv.reader's stubs want them

# Our field -> column names seen in the wild, in order of preference (lower-case).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "sentence1": (
        "sentence1",
        "sentence_1",
        "sentence_a",
        "sentence a",
        "s1",
        "text1",
        "text_1",
        "text_a",
        "question1",
        "question_1",
        "premise",
        "query",
        "anchor",
        "#1 string",
        "#1_string",
    ),
    "sentence2": (
        "sentence2",
        "sentence_2",
        "sentence_b",
        "sentence b",
        "s2",
        "text2",
        "text_2",
        "text_b",
        "question2",
        "question_2",
        "hypothesis",
        "answer",
        "positive",
        "#2 string",
        "#2_string",
    ),
    "score": (
        "score",
        "similarity",
        "similarity_score",
        "relatedness_score",
        "relatedness",
        "sim",
        "gold_score",
        "gold",
    ),
    "label": (
        "label",
        "labels",
        "gold_label",
        "is_duplicate",
        "is_paraphrase",
        "quality",
        "class",
        "target",
        "y",
    ),
    "sentence": ("sentence", "text", "document", "review", "content", "sentence1", "comment"),
}


@dataclass
class Table:
    """A checked table file: its header, encoding and format; rows are read on demand."""

    path: Path
    columns: list[str]
    encoding: str
    size: int
    delimiter: str = "\t"  # "" for JSON Lines
    json_array: bool = False
    _preview: list[dict] = field(default_factory=list, repr=False)

    def records(self, progress: Progress | None = None) -> Iterator[tuple[int, list[str]]]:
        """(line number, values in ``columns`` order) per row; blank lines are skipped."""
        count = 0
        rows = (
            self._json_records(progress)
            if not self.delimiter
            else self._delimited_records(progress)
        )
        try:
            for item in rows:
                count += 1
                yield item
        except OSError as exc:
            raise read_error(self.path, exc) from None
        if count == 0:
            raise DataError(
                (
                    _("{path}: only a header, no rows")
                    if self.delimiter
                    else _("{path}: no records")
                ).format(path=self.path)
            )

    def preview(self, n: int = 5) -> list[dict]:
        if not self._preview:
            for _line, values in self.records():
                self._preview.append(dict(zip(self.columns, values)))
                if len(self._preview) >= n:
                    break
        return self._preview[:n]

    # ---- formats --------------------------------------------------------------------------
    def _open_text(self, progress: Progress | None):
        raw = open_binary(self.path)
        text = io.TextIOWrapper(
            # typeshed wants the buffer to have a name, which RawIOBase lacks (TextIOWrapper
            # reads it only for its repr and .name)
            _ProgressReader(raw, self.size, progress),  # type: ignore[type-var]
            encoding=self.encoding,
            newline="",
        )
        return text

    def _delimited_records(self, progress: Progress | None):
        # TSV research files are unquoted (a lone '"' is text); CSV follows RFC 4180 quoting.
        quoting: _Quoting = csv.QUOTE_NONE if self.delimiter == "\t" else csv.QUOTE_MINIMAL
        with self._open_text(progress) as text:
            reader = csv.reader(
                text, delimiter=self.delimiter, quoting=quoting, strict=quoting != csv.QUOTE_NONE
            )
            record_start = 1
            try:
                next(reader)  # the header, checked by open_table
                record_start = reader.line_num + 1
                for record in reader:
                    if record and not (len(record) == 1 and not record[0].strip()):
                        if len(record) != len(self.columns):
                            raise DataError(
                                _(
                                    "{path}, line {line}: {fields:,} fields, "
                                    "the header has {columns:,}"
                                ).format(
                                    path=self.path,
                                    line=reader.line_num,
                                    fields=len(record),
                                    columns=len(self.columns),
                                )
                            )
                        yield reader.line_num, record
                    record_start = reader.line_num + 1
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):  # a quote that never closes
                    raise DataError(
                        _('{path}, line {line}: a quote (") opened here is never closed').format(
                            path=self.path, line=record_start
                        )
                    ) from None
                raise DataError(
                    _("{path}, line {line}: {error}").format(
                        path=self.path, line=reader.line_num, error=exc
                    )
                ) from None
            except UnicodeDecodeError as exc:
                raise DataError(
                    _("{path}, near line {line}: not {encoding} text ({reason})").format(
                        path=self.path,
                        line=reader.line_num + 1,
                        encoding=self.encoding,
                        reason=exc.reason,
                    )
                ) from None

    def _json_records(self, progress: Progress | None):
        if self.json_array:
            numbered = enumerate(_json_array(self.path, self.encoding), start=1)
        else:
            numbered = self._json_lines(progress)
        for number, record in numbered:
            if not isinstance(record, dict):
                raise DataError(
                    _("{path}, line {line}: expected a JSON object").format(
                        path=self.path, line=number
                    )
                )
            yield number, [_json_text(record.get(c)) for c in self.columns]

    def _json_lines(self, progress: Progress | None):
        with self._open_text(progress) as text:
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    continue
                try:
                    yield (
                        number,
                        json.loads(line, **_JSON_NUMBERS_AS_TEXT, object_pairs_hook=_object),
                    )
                except json.JSONDecodeError as exc:
                    raise DataError(
                        _("{path}, line {line}: invalid JSON ({reason})").format(
                            path=self.path, line=number, reason=exc.msg
                        )
                    ) from None
                except _RepeatedKey as exc:
                    raise DataError(
                        _("{path}, line {line}: {error}").format(
                            path=self.path, line=number, error=exc
                        )
                    ) from None


class _ProgressReader(io.RawIOBase):
    """Wraps a binary file and reports how many bytes have been read, at most every MiB."""

    def __init__(self, raw, size: int, progress: Progress | None):
        self.raw, self.size, self.progress, self.done, self.reported = raw, size, progress, 0, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.done += n or 0
        if self.done - self.reported >= CHUNK or not n:
            self.reported = self.done
            check_stop()  # a stopped run (a closed window) does not read on to the end
            if self.progress:
                self.progress(self.done, self.size)
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


class _RepeatedKey(ValueError):
    """A JSON object with one key twice: json.loads would silently keep the later value."""


def _object(pairs: list[tuple[str, object]]) -> dict:
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                break
            seen.add(key)
        raise _RepeatedKey(_("the key {key} appears twice in one object").format(key=quoted(key)))
    return record


def _json_array(path: Path, encoding: str) -> list:
    try:
        return json.loads(
            _read_text(path, encoding), **_JSON_NUMBERS_AS_TEXT, object_pairs_hook=_object
        )
    except _RepeatedKey as exc:
        raise DataError(f"{path}: {exc}") from None


def _json_text(value) -> str:
    if value is None:
        return ""
    return json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def open_table(path: str | Path) -> Table:
    """Check a table file and read its header; every problem names the file (and line)."""
    path = Path(path)
    info = path_status(path)
    if info is None:
        raise DataError(_("{path}: no such file").format(path=path))
    check_regular(path, info)
    size = info.st_size
    try:
        with open_binary(path) as f:
            head = f.read(CHUNK)
    except OSError as exc:
        raise read_error(path, exc) from None
    if not head.strip():
        raise DataError(_("{path}: the file is empty").format(path=path))
    if b"\x00" in head[:8192]:
        raise DataError(_("{path}: looks like a binary file, not a text table").format(path=path))
    encoding = detect_encoding(path)
    first_text = head.decode(encoding, errors="ignore")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json") or first_text.lstrip().startswith(("{", "[")):
        return _json_table(path, encoding, size, first_text)
    header_line = first_text.split("\n", 1)[0]
    tab = suffix in (".tsv", ".txt") or (
        header_line.count("\t") > 0 and header_line.count("\t") >= header_line.count(",")
    )
    delimiter = "\t" if tab else ","
    columns = [c.strip() for c in _read_header(path, encoding, delimiter)]
    _refuse_repeated(path, columns)
    return Table(path, columns, encoding, size, delimiter)


class _HeaderTooLong(Exception):
    pass


class _Capped(io.RawIOBase):
    """A binary file that raises :class:`_HeaderTooLong` past ``limit`` bytes."""

    def __init__(self, raw, limit: int):
        self.raw, self.left = raw, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.left <= 0:
            raise _HeaderTooLong
        n = self.raw.readinto(memoryview(buffer)[: self.left]) or 0
        self.left -= n
        return n


def _read_header(path: Path, encoding: str, delimiter: str) -> list[str]:
    """The first record, read to its end (not only the first MiB): its field count is true."""
    quoting: _Quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    try:
        with open_binary(path) as raw:
            # typeshed wants a buffer with a name, which RawIOBase lacks (see _open_text)
            capped = _Capped(raw, HEADER_LIMIT)
            text = io.TextIOWrapper(capped, encoding=encoding, newline="")  # type: ignore[type-var]
            return next(csv.reader(text, delimiter=delimiter, quoting=quoting))
    except _HeaderTooLong:
        raise DataError(
            _(
                "{path}, line 1: the header is longer than {size:g} MiB; "
                "a table has one line of column names, then one line per row"
            ).format(path=path, size=HEADER_LIMIT / CHUNK)
        ) from None
    except (StopIteration, csv.Error) as exc:
        raise DataError(
            _("{path}, line 1: cannot read the header ({error})").format(path=path, error=exc)
        ) from None
    except OSError as exc:
        raise read_error(path, exc) from None


def _refuse_repeated(path: Path, columns: list[str]) -> None:
    """Two columns of one name cannot be told apart, even by a columns mapping."""
    groups: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        groups.setdefault(column, []).append(i)
    repeated = [(name, at) for name, at in groups.items() if len(at) > 1]
    if repeated:
        shown = listing(
            repeated,
            limit=3,
            show=lambda item: _("{name} (columns {numbers})").format(
                name=quoted(item[0]),
                numbers=listing(item[1], show=lambda i: f"{i + 1:,}", limit=3),
            ),
        )
        raise DataError(
            _("{path}, line 1: repeated column names in the header: {names}").format(
                path=path, names=shown
            )
        )


def _json_table(path: Path, encoding: str, size: int, first_text: str) -> Table:
    array = first_text.lstrip().startswith("[")
    table = Table(path, [], encoding, size, delimiter="", json_array=array)
    columns: list[str] = []
    source = enumerate(_json_array(path, encoding), start=1) if array else table._json_lines(None)
    try:
        for count, (number, record) in enumerate(source):
            if not isinstance(record, dict):
                raise DataError(
                    _("{path}, line {line}: expected a JSON object per line").format(
                        path=path, line=number
                    )
                )
            columns += [k for k in record if k not in columns]
            if count >= 100:
                break
    except json.JSONDecodeError as exc:
        raise DataError(
            _("{path}, line {line}: invalid JSON ({reason})").format(
                path=path, line=exc.lineno, reason=exc.msg
            )
        ) from None
    except OSError as exc:
        raise read_error(path, exc) from None
    if not columns:
        raise DataError(_("{path}: no records").format(path=path))
    table.columns = columns
    return table


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else CP949 — the usual encoding of Korean files on
    Windows. Reads the file in chunks; a file that is neither names the line."""
    for encoding in ("utf-8-sig", "cp949"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        chunk = b""
        try:
            with open_binary(path) as f:
                while chunk := f.read(CHUNK):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                decoder.decode(b"", final=True)
            return "utf-8" if encoding == "utf-8-sig" and not _has_bom(path) else encoding
        except OSError as exc:
            raise read_error(path, exc) from None
        except UnicodeDecodeError as exc:
            if encoding == "utf-8-sig":  # the line of the first bad byte, for the message
                before = chunk[: max(0, exc.start - (len(exc.object) - len(chunk)))]
                first_error = (lines + before.count(b"\n"), exc)
    lines, error = first_error
    raise DataError(
        _("{path}, line {line}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8").format(
            path=path, line=lines + 1, byte=error.object[error.start]
        )
    ) from None


def _has_bom(path: Path) -> bool:
    with open_binary(path) as f:
        return f.read(3) == codecs.BOM_UTF8


# ---- checking a path before it is opened ----------------------------------------------------
def path_status(path: Path) -> os.stat_result | None:
    """What is at ``path`` (links followed), None when nothing is; other failures -> DataError."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:  # permission denied on a folder above it, a link loop, ...
        raise read_error(path, exc) from None
    except ValueError:  # a NUL byte in the name
        raise DataError(_("{path!r}: not a valid file name").format(path=path)) from None


def check_regular(path: Path, info: os.stat_result) -> None:
    """Refuse folders and special files by their ``stat``, before anything opens them: opening
    a FIFO waits for a writer forever, and a device or socket is no table either."""
    if stat.S_ISDIR(info.st_mode):
        raise DataError(
            _("{path}: is a folder, expected a .tsv/.csv/.jsonl file").format(path=path)
        )
    if not stat.S_ISREG(info.st_mode):
        what = kind_of(info.st_mode) or "not a regular file"
        raise DataError(
            _("{path}: is {what}, not a regular file; expected a .tsv/.csv/.jsonl file").format(
                path=path, what=_(what)
            )
        )


def open_binary(path: Path):
    """Open a regular file for reading; never blocks. O_NONBLOCK and the ``fstat`` after the
    open guard against the file being swapped for a FIFO after :func:`check_regular`."""
    try:
        return open_regular(path, refuse=check_regular)
    except OSError as exc:
        raise read_error(path, exc) from None


def _read_text(path: Path, encoding: str) -> str:
    try:
        with open_binary(path) as f:
            return f.read().decode(encoding)
    except OSError as exc:
        raise read_error(path, exc) from None


def read_error(path: Path, exc: OSError) -> DataError:
    if isinstance(exc, PermissionError):
        return DataError(_("{path}: permission denied (cannot read it)").format(path=path))
    return DataError(
        _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror or exc)
    )


# ---- numbers in data files -------------------------------------------------------------------
def parse_number(text: str) -> float | None:
    """A plain ASCII decimal (sign, digits, fraction, exponent) with a finite value, else None.

    float() is far looser: '4_5' is 45, Arabic-Indic and full-width digits count, and 'nan',
    'inf' or '1e400' (overflow) parse too — none of them is a value anyone meant to write."""
    if not _DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def number_problem(text: str) -> str:
    """Why ``text`` is refused by :func:`parse_number`, for the error message."""
    # TRANSLATORS: follows a value in a message: "score '1e400' is too large (…)"
    if _DECIMAL.fullmatch(text):
        return _("is too large (not a finite number)")
    return _("is not a number (plain decimals only, e.g. 3.5 or -1e-3)")


def read_table(path: str | Path) -> Table:
    """Compatibility name for :func:`open_table`."""
    return open_table(path)


def detect_columns(
    columns: list[str],
    wanted: tuple[str, ...],
    explicit: dict[str, str] | None,
    path: Path,
    strict: bool = False,
) -> dict[str, str]:
    """Map our fields (``wanted``) to the file's columns: explicit mapping first, then aliases.

    Aliases match names of any case; where two or more columns (``score``, ``SCORE``) match,
    ``strict`` (a run) refuses the file, naming them, while the column dialog leaves the field
    for the user to choose. An explicit name is matched exactly. A ``split`` entry is left to
    :mod:`engine.data.splits` (its value may be 'none')."""
    explicit = {ours: theirs for ours, theirs in (explicit or {}).items() if ours != "split"}
    for ours, theirs in explicit.items():
        if theirs not in columns:
            raise missing_column(
                path,
                _("column {name} (given for {field})").format(name=quoted(theirs), field=ours),
                theirs,
                columns,
            )
    index = same_names(columns)
    mapping: dict[str, str] = {}
    taken = set(explicit.values())
    for ours in wanted:
        if ours in explicit:
            mapping[ours] = explicit[ours]
            continue
        column = _by_alias(ours, columns, index, taken, path, strict)
        if column is not None:
            mapping[ours] = column
            taken.add(column)
    return mapping


def _by_alias(
    ours: str,
    columns: list[str],
    index: dict[str, list[int]],
    taken: set[str],
    path: Path,
    strict: bool,
) -> str | None:
    """The first alias of ``ours`` that one free column has; None when none (or, not strict,
    when several have it)."""
    for alias in COLUMN_ALIASES[ours]:
        free = [i for i in index.get(name_key(alias), []) if columns[i] not in taken]
        if len(free) > 1:
            if not strict:
                return None
            if len(free) == 2:
                why = _("and the {field} could be either").format(field=ours)
            else:
                why = _("and the {field} could be any of them").format(field=ours)
            choices = listing(free, show=lambda i: f"{ours}={clip(columns[i])}", last=_(" or "))
            raise case_collision(
                path,
                columns,
                free,
                why,
                _("name one in a columns mapping ({choices}) or rename the others").format(
                    choices=choices
                ),
            )
        if free:
            return columns[free[0]]
    return None
