"""Text from users and files, made safe to print in a table row or a log line.

A run's name, a file name or a sentence may hold a newline (one row becomes several), or a
terminal escape sequence (it can retitle or clear the terminal, or hide what follows), or a
bidirectional override that reorders what is shown. Printed, such characters are shown
escaped (``\\n``, ``\\x1b``, ``\\u202e``); what is stored stays exactly as it was.
"""
from __future__ import annotations

import re

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
