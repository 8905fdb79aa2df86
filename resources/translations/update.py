"""Bring the window's translations up to date with its source: ``python resources/translations/update.py``.

1. ``pyside6-lupdate`` reads every ``self.tr(...)``, ``translate("Context", ...)`` and
   ``QT_TRANSLATE_NOOP(...)`` in reviewer/ui and updates each ``reviewer_<code>.ts`` here (new words
   are marked unfinished, words gone from the source are dropped);
2. messages with ``%n`` are made plural (numerus) messages, keeping the plural forms already
   translated: pyside6-lupdate only sees a plural when its count is a literal, and drops the forms
   of the others on every run;
3. ``pyside6-lrelease`` compiles each ``.ts`` to the ``.qm`` the window loads.

``python resources/translations/update.py uk`` starts a new language (``reviewer_uk.ts``); see
docs/translating.md. ``--check`` changes nothing and fails if a ``.ts`` or ``.qm`` is out of date.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "reviewer" / "ui"
#: how many plural forms a language has (Qt's rules); Qt Linguist shows the same number of fields
PLURAL_FORMS = {"ru": 3, "uk": 3, "be": 3, "az": 2, "kk": 2}


def _tool(name: str) -> str:
    """pyside6-lupdate or pyside6-lrelease, beside this Python (a virtualenv) or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: it comes with PySide6 (pip install PySide6-Essentials)")
    return found


def plural_forms(ts: Path) -> dict[tuple[str, str], list[str]]:
    """The plural forms translated so far, by (context, source)."""
    if not ts.exists():
        return {}
    forms: dict[tuple[str, str], list[str]] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found = [f.text or "" for f in message.iter("numerusform")]
            if any(found):
                forms[(name, message.findtext("source") or "")] = found
    return forms


def update(ts: Path, code: str) -> None:
    """lupdate, then the plural messages put back."""
    known = plural_forms(ts)
    sources = sorted(str(p) for p in SOURCE.rglob("*.py"))
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            *sources,
            "-target-language",
            code,
            "-no-obsolete",
            "-locations",
            "none",
            "-silent",
            "-ts",
            str(ts),
        ],
        check=True,
    )
    tree = ET.parse(ts)
    count = PLURAL_FORMS.get(code, 2)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            if "%n" not in source:
                continue
            message.set("numerus", "yes")
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            for child in list(translation):
                translation.remove(child)
            translation.text = None
            forms = known.get((name, source))
            if forms:
                translation.attrib.pop("type", None)
            else:
                translation.set("type", "unfinished")
                forms = [""] * count
            for form in forms:
                ET.SubElement(translation, "numerusform").text = form
    ET.indent(tree, "    ")
    text = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{text}\n', encoding="utf-8")


def release(ts: Path, qm: Path) -> None:
    """Compile a .ts to a .qm."""
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("languages", nargs="*", help="language codes (default: every reviewer_*.ts here)")
    parser.add_argument("--check", action="store_true", help="change nothing; fail if anything is stale")
    args = parser.parse_args()
    codes = args.languages or sorted(p.stem.removeprefix("reviewer_") for p in HERE.glob("reviewer_*.ts"))
    stale: list[str] = []
    for code in codes:
        ts, qm = HERE / f"reviewer_{code}.ts", HERE / f"reviewer_{code}.qm"
        if not args.check:
            update(ts, code)
            release(ts, qm)
            continue
        with tempfile.TemporaryDirectory() as scratch:
            copy, compiled = Path(scratch) / ts.name, Path(scratch) / qm.name
            shutil.copy(ts, copy)
            update(copy, code)
            release(ts, compiled)
            if copy.read_text(encoding="utf-8") != ts.read_text(encoding="utf-8"):
                stale.append(f"{ts.name} differs from the source (run {Path(__file__).name})")
            if not qm.exists() or compiled.read_bytes() != qm.read_bytes():
                stale.append(f"{qm.name} is not {ts.name} compiled (run {Path(__file__).name})")
    for line in stale:
        sys.stderr.write(line + "\n")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
