"""``transfer-explorer --install-desktop-entry``: put the app in a Linux desktop's menu.

Writes a freedesktop .desktop file to $XDG_DATA_HOME/applications and the icon to
$XDG_DATA_HOME/icons/hicolor/scalable/apps ($XDG_DATA_HOME defaults to ~/.local/share).
Imports neither Qt nor torch.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path

from transfer_explorer.engine.i18n import _

APP_ID = "transfer-explorer"
FLAG = "--install-desktop-entry"
EXIT_OK, EXIT_NOT_HERE = 0, 2


def data_home(environ=os.environ) -> Path:
    value = environ.get("XDG_DATA_HOME", "").strip()
    # the spec: a relative path is invalid and is ignored
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def executable(argv0: str | None = None) -> list[str]:
    """The command that starts the app: this ``transfer-explorer`` script, resolved; else the
    one on PATH; else this Python with ``-m transfer_explorer``."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    script = Path(argv0)
    if script.name.startswith(APP_ID) and script.is_file():
        return [str(script.resolve())]
    found = shutil.which(APP_ID)
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).absolute()), "-m", "transfer_explorer"]


def quote_exec_arg(arg: str) -> str:
    """One argument of an Exec key, quoted as the Desktop Entry spec asks, then escaped as
    a string value (a backslash doubled)."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    if arg and not (set(arg) & reserved) and "%" not in arg:
        return arg
    inner = "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%")
    return ('"' + inner + '"').replace("\\", "\\\\")


def desktop_entry(command: list[str]) -> str:
    exec_line = " ".join(quote_exec_arg(a) for a in command)
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.5",
            "Name=Transfer Explorer",
            "GenericName=Transfer-learning lab",
            "Comment=How much does pre-training help a text-similarity model? Train and compare.",
            f"Exec={exec_line}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Education;Science;ArtificialIntelligence;",
            "Keywords=transfer learning;machine learning;sentence similarity;BERT;PyTorch;",
            "StartupNotify=true",
            "",
        ]
    )


def install(
    environ=os.environ,
    argv0: str | None = None,
    platform: str = sys.platform,
    out=sys.stdout,
    err=sys.stderr,
) -> int:
    if not platform.startswith("linux"):
        print(
            _(
                "error: {flag} is for Linux desktops (freedesktop.org menus); on {platform} "
                "start the app with `transfer-explorer`"
            ).format(flag=FLAG, platform=platform),
            file=err,
        )
        return EXIT_NOT_HERE
    home = data_home(environ)
    entry = home / "applications" / f"{APP_ID}.desktop"
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    source = resources.files("transfer_explorer.resources").joinpath("icons", f"{APP_ID}.svg")
    try:
        for path in (entry, icon):
            path.parent.mkdir(parents=True, exist_ok=True)
        icon.write_bytes(source.read_bytes())
        entry.write_text(desktop_entry(executable(argv0)), encoding="utf-8")
    except OSError as exc:
        print(_("error: cannot write the desktop entry: {reason}").format(reason=exc), file=err)
        return EXIT_NOT_HERE
    print(_("wrote {path}").format(path=entry), file=out)
    print(_("wrote {path}").format(path=icon), file=out)
    return EXIT_OK
