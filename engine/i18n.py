"""The engine's words in the reader's language (the standard library's ``gettext``).

Whole sentences with named placeholders, never pieces glued together, so a translation can
put the numbers where its grammar wants them::

    _("Run {run} finished in {seconds:.1f} s.").format(run=run_id, seconds=elapsed)

Text kept in module-level tables is marked with :func:`N_` (found by extraction, left as
written) and translated where it is shown: ``_(METHOD_LABELS[method])``. The catalogs live
in ``resources/i18n/<lang>/LC_MESSAGES/transfer_explorer.po`` (compiled ``.mo`` beside them;
``python tools/i18n.py`` updates and compiles both). The language is process-wide: the
window switches it with its own (Qt's) translator; the command line picks it from ``--lang``
or the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
"""

from __future__ import annotations

import gettext
import os
from importlib import resources

DOMAIN = "transfer_explorer"
LANGUAGES = {"en": "English", "ko": "한국어"}  # code → the language's own name for itself
DEFAULT = "en"
_ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT


def locale_dir() -> str:
    """The folder holding ``<lang>/LC_MESSAGES/transfer_explorer.mo``."""
    return str(resources.files("transfer_explorer.resources") / "i18n")


def system_language(environ=os.environ) -> str:
    """The first supported language the environment asks for (``LANGUAGE`` may list
    several, ``ko:en``); English when none is supported or none is set."""
    for var in _ENV_VARS:
        value = environ.get(var, "")
        if not value:
            continue
        for entry in value.split(":"):
            code = entry.split("_")[0].split(".")[0].split("@")[0].lower()
            if code in LANGUAGES:
                return code
        if var != "LANGUAGE":  # the first set variable of the others decides (POSIX order)
            return DEFAULT
    return DEFAULT


def set_language(code: str | None) -> str:
    """Use ``code`` ("en", "ko"; None: the environment's) from now on; returns the code used.
    An unknown code raises ValueError, which names the choices."""
    global _catalog, _language
    code = system_language() if code is None else code.lower()
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}")
    if code == DEFAULT:
        _catalog = gettext.NullTranslations()
    else:  # a missing catalog would be a broken install: say so rather than fall back quietly
        _catalog = gettext.translation(DOMAIN, locale_dir(), languages=[code])
    _language = code
    return code


def language() -> str:
    """The code of the language in use."""
    return _language


def _(message: str) -> str:
    """``message`` in the language in use."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (English has two, Korean one); format the count in yourself."""
    return _catalog.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context`` (a short table header beside the same word in a
    sentence, say)."""
    return _catalog.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a table's text for extraction; it is translated where it is shown."""
    return message
