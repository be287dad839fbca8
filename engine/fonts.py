"""A font file that draws Hangul, for machines that have none (no Qt here: pillow uses it too).

NanumGothic (Naver, SIL Open Font License 1.1) comes with the ``koreanize-matplotlib``
package (MIT), a dependency of the app: its file is located through the package's metadata,
so matplotlib itself is never imported.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path

FAMILY = "NanumGothic"
_PACKAGE = "koreanize-matplotlib"
_FILE = "koreanize_matplotlib/fonts/NanumGothic.ttf"


@cache
def hangul_font_file() -> Path | None:
    """The shipped NanumGothic .ttf, or None when the package is not installed."""
    try:
        path = Path(str(metadata.distribution(_PACKAGE).locate_file(_FILE)))
    except metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None
