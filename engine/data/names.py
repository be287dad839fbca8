"""Names from the user's files (columns, files, values) as messages show and compare them.

A message lists at most a few names, each clipped, then says how many more there are: a
header of 200,000 columns or a folder of 10,000 files still gives one short line.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from transfer_explorer.engine.errors import DataError
from transfer_explorer.engine.i18n import _

SHOWN = 5  # names listed before "… and N more"
NAME_CHARS = 60  # a name longer than this is clipped with "…"

T = TypeVar("T")


def clip(text: str, limit: int = NAME_CHARS) -> str:
    """``text`` cut to ``limit`` characters (with "…"): one huge cell keeps a message short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(name: str) -> str:
    """A name as a message shows it: clipped and quoted ('score')."""
    return repr(clip(name))


def listing(
    items: Iterable[T],
    show: Callable[[T], str] = lambda x: clip(str(x)),
    limit: int = SHOWN,
    last: str = ", ",
) -> str:
    """'a, b, c' — or 'a, b, c, d, e … and 9,995 more' past ``limit`` items; ``last`` joins
    the final two of a complete list (e.g. ' and ')."""
    items = list(items)
    shown = [show(x) for x in items[:limit]]
    if len(items) > limit:
        # TRANSLATORS: the end of a shortened list of names: "a, b, c … and 9,995 more"
        return _("{names} … and {more:,} more").format(
            names=", ".join(shown), more=len(items) - limit
        )
    if len(shown) > 1:
        return f"{', '.join(shown[:-1])}{last}{shown[-1]}"
    return "".join(shown)


# ---- names that differ only in case ---------------------------------------------------------
def name_key(name: str) -> str:
    """A name as compared for collisions: trimmed, NFKC-normalised and case-folded, so
    'score', 'SCORE', ' Score ' and full-width 'ｓｃｏｒｅ' are one name."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return folded.strip()


def same_names(columns: list[str]) -> dict[str, list[int]]:
    """Each :func:`name_key` -> the positions (0-based) of the columns that have it."""
    index: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        index.setdefault(name_key(column), []).append(i)
    return index


def at_positions(columns: list[str], positions: list[int]) -> str:
    """ "'score' (column 3) and 'SCORE' (column 4)": names with their 1-based column numbers."""
    return listing(
        positions,
        show=lambda i: _("{name} (column {number:,})").format(
            name=quoted(columns[i]), number=i + 1
        ),
        # TRANSLATORS: joins the last two items of a list: "a, b and c"
        last=_(" and "),
    )


def case_collision(
    path: Path, columns: list[str], positions: list[int], why: str, fix: str
) -> DataError:
    """Columns whose names differ only in case: which one is meant is the user's to say."""
    names = [columns[i] for i in positions]
    if len({n.strip().casefold() for n in names}) == 1:
        # TRANSLATORS: {why} and {fix} are whole clauses, translated on their own
        message = _("{path}: the columns {columns} differ only in case, {why}; {fix}")
    else:
        message = _(
            "{path}: the columns {columns} differ only in case or Unicode form, {why}; {fix}"
        )
    return DataError(
        message.format(path=path, columns=at_positions(columns, positions), why=why, fix=fix)
    )


def missing_column(path: Path, subject: str, name: str, columns: list[str]) -> DataError:
    """``subject`` (e.g. "the split column 'Set'"), a column the user named, is not in the
    file. A name differing only in case is offered; two or more are refused, never guessed."""
    near = same_names(columns).get(name_key(name), [])
    if len(near) > 1:
        return case_collision(
            path,
            columns,
            near,
            _("and {subject} is none of them exactly").format(subject=subject),
            _("give the one to read exactly as written"),
        )
    if near:
        message = _("{path}: {subject} is not in the file; did you mean {name}?")
    else:
        message = _("{path}: {subject} is not in the file; columns: {columns}")
    return DataError(
        message.format(
            path=path,
            subject=subject,
            name=quoted(columns[near[0]]) if near else "",
            columns=listing(columns),
        )
    )
