"""Keep the translations in step with the code.

    python tools/i18n.py update    # extract: gui/ → .ts (pyside6-lupdate), engine → .po (Babel)
    python tools/i18n.py compile   # .ts → .qm (pyside6-lrelease), .po → .mo (Babel)
    python tools/i18n.py check     # unfinished .ts messages, empty or fuzzy .po entries

Translate in between with Qt Linguist (``pyside6-linguist``) and any .po editor, using the
terms of resources/i18n/GLOSSARY.md. Both compiled files are committed, so an install needs
neither tool; tests/test_i18n.py checks they match their sources.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("ko",)
DOMAIN = "transfer_explorer"
QT_SOURCES = ("gui",)  # the window: self.tr() / QCoreApplication.translate
# gettext: the engine, the command line, and what the window says before Qt exists
ENGINE_SOURCES = ("engine", "transfer_explorer", "gui/app.py")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
HEADER = (
    "# Korean translation of Transfer Explorer's engine and command line.\n"
    "# Terms: resources/i18n/GLOSSARY.md. Update with `python tools/i18n.py update`."
)


def tomllib():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib


def project_version() -> str:
    return tomllib().loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def ts_path(lang: str) -> Path:
    return I18N / f"{DOMAIN}_{lang}.ts"


def qm_path(lang: str) -> Path:
    return I18N / f"{DOMAIN}_{lang}.qm"


def po_path(lang: str) -> Path:
    return I18N / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _qt_tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit(f"{name} not found: it comes with PySide6")
    return found


def python_files(folders) -> list[Path]:
    files = []
    for folder in folders:
        path = ROOT / folder
        found = path.rglob("*.py") if path.is_dir() else [path]
        files += sorted(p for p in found if "__pycache__" not in p.parts)
    return files


def extract_engine():
    """The engine's and the command line's marked messages as a Babel catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    catalog = Catalog(project="Transfer Explorer", charset="utf-8")
    for path in python_files(ENGINE_SOURCES):
        rel = path.relative_to(ROOT).as_posix()
        for lineno, message, comments, context in extract_from_file(
            "python", str(path), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            catalog.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)
    for path in sorted((ROOT / "resources" / "presets").glob("*.toml")):  # shown: shown_name()
        name = tomllib().loads(path.read_text(encoding="utf-8")).get("name")
        if name:
            rel = path.relative_to(ROOT).as_posix()
            catalog.add(name, None, [(rel, 1)], auto_comments=["the name of a bundled sweep"])
    return catalog


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    I18N.mkdir(parents=True, exist_ok=True)
    files = [str(p.relative_to(ROOT)) for p in python_files(QT_SOURCES)]
    template = extract_engine()
    for lang in LANGUAGES:
        subprocess.run(
            [_qt_tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "none",
             "-target-language", lang, "-ts", str(ts_path(lang).relative_to(ROOT))],
            cwd=ROOT, check=True,
        )  # fmt: skip
        path = po_path(lang)
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=lang, project="Transfer Explorer", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.fuzzy = False  # the header: a translated catalog, not a template
        catalog.header_comment = HEADER
        catalog.copyright_holder = catalog.last_translator = "Transfer Explorer contributors"
        catalog.language_team = "Korean"
        catalog.version = project_version()
        catalog.msgid_bugs_address = ""
        catalog.revision_date = catalog.creation_date
        with path.open("wb") as f:  # file names without line numbers: no churn on every edit
            write_po(f, catalog, width=100, sort_output=False, include_lineno=False)


def compile_all() -> None:
    for lang in LANGUAGES:
        lrelease = _qt_tool("pyside6-lrelease")
        command = [lrelease, "-silent", str(ts_path(lang)), "-qm", str(qm_path(lang))]
        subprocess.run(command, check=True)
        mo_path(lang).write_bytes(compiled_mo(lang))


def compiled_mo(lang: str) -> bytes:
    """The .mo that the .po compiles to (Babel's writer: the same bytes every time)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def unfinished_ts(lang: str) -> list[str]:
    """Sources whose translation is unfinished or empty (every numerus form counted)."""
    missing = []
    for message in ET.parse(ts_path(lang)).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source", "")
        if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
            if translation is None or translation.get("type") == "unfinished":
                missing.append(source)
            continue
        forms = translation.findall("numerusform") or [translation]
        if not all((form.text or "").strip() for form in forms):
            missing.append(source)
    return missing


def unfinished_po(lang: str) -> list[str]:
    """Message ids that are untranslated, partly translated (plurals) or fuzzy."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    missing = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def check() -> int:
    bad = 0
    for lang in LANGUAGES:
        for kind, missing in (("ts", unfinished_ts(lang)), ("po", unfinished_po(lang))):
            print(f"{lang} .{kind}: {len(missing)} unfinished")
            for source in missing[:20]:
                print(f"  {source!r}")
            bad += len(missing)
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("update", "compile", "check"))
    action = parser.parse_args().action
    if action == "update":
        update()
    elif action == "compile":
        compile_all()
    else:
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
