"""What a PDF's objects hold besides pages: revisions, scripts, attachments, forms and signatures."""

from __future__ import annotations

import mmap
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.forensics.revisions import RevisionHistory

#: Objects looked at for scripts, attachments and signatures; beyond this the scan stops and says so.
MAX_OBJECTS = 100_000
_NUMBERS = re.compile(r"-?\d+")
_TRIGGERS = re.compile(
    rb"/(?:JS|JavaScript|Launch|EmbeddedFile|ByteRange|ObjStm)\b"
    rb"|/[A-Za-z0-9_.+-]*#[0-9A-Fa-f]{2}"  # an escaped name (/J#53 is /JS) hides from a plain search
)


@dataclass(slots=True)
class _Inventory:
    scanned: int = 0
    javascript: list[int] = field(default_factory=list)
    launch: list[int] = field(default_factory=list)
    embedded: list[int] = field(default_factory=list)
    signatures: list[dict[str, object]] = field(default_factory=list)


def revision_signals(history: RevisionHistory) -> list[Signal]:
    """Signals from the incremental updates found in the file's bytes."""
    found: list[Signal] = []
    value = {
        "revisions": history.count,
        "ends": [r.end for r in history.revisions],
        "mupdf_count": history.mupdf_count,
        "linearized": history.linearized,
    }
    if history.count > 1:
        found.append(
            Signal(
                "pdf.incremental_updates",
                Severity.NOTICE,
                f"Changed after it was first saved ({history.incremental_updates} incremental "
                f"update{'s' if history.incremental_updates > 1 else ''})",
                "The file keeps its earlier versions inside it, each change appended at the end. "
                "Filling a form or signing does this too. Each earlier version can be opened and "
                "compared with the final one.",
                value,
            )
        )
    if history.count == 0 and history.size > 0:
        found.append(
            Signal(
                "pdf.no_end",
                Severity.NOTICE,
                "The file has no end: it was cut short",
                "A PDF ends with a table of its objects and an end marker; this one has none, so it "
                "is incomplete (an interrupted download or copy, or a file cut on purpose). What the "
                "reader shows was pieced together from what is there.",
                {"size": history.size},
            )
        )
    if history.trailing_bytes > 0:
        found.append(
            Signal(
                "pdf.data_after_end",
                Severity.NOTICE,
                f"{history.trailing_bytes} bytes after the end of the PDF",
                "Data follows the file's last end marker. Readers ignore it; it may be an unfinished "
                "update, damage, or something hidden there.",
                {"bytes": history.trailing_bytes, "size": history.size},
            )
        )
    return found


def needs_object_scan(path: Path | str) -> bool:
    """Whether the file's bytes may hold a script, launch action, attachment or signature.

    Uncompressed objects show these names in the raw bytes; object streams and escaped names (``/J#53``)
    hide them, so either means the objects must be read one by one. Most files need no scan at all.
    """
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return _TRIGGERS.search(mapped) is not None


def structure_signals(
    doc: pymupdf.Document, history: RevisionHistory, *, scan_objects: bool = True
) -> list[Signal]:
    """Signals from the document's objects: repairs, scripts, attachments, forms, signatures.

    ``scan_objects=False`` (when :func:`needs_object_scan` says the bytes hold none of them) skips
    reading every object, the costly part on files with many objects.
    """
    found: list[Signal] = []
    if doc.is_repaired:
        found.append(
            Signal(
                "pdf.repaired",
                Severity.NOTICE,
                "The file's structure is damaged",
                "The PDF's table of contents does not match its content, so the reader rebuilt it. "
                "Careless tools and truncated downloads do this; so do some manual edits.",
                True,
            )
        )
    inventory = _scan(doc) if scan_objects else _Inventory()
    if inventory.scanned >= MAX_OBJECTS:
        found.append(
            Signal(
                "pdf.objects_not_all_checked",
                Severity.INFO,
                f"Only the first {MAX_OBJECTS} objects were checked for scripts and attachments",
                "The file is very large; scripts or attachments beyond that point were not looked for.",
                {"objects": doc.xref_length(), "checked": inventory.scanned},
            )
        )
    if inventory.javascript:
        found.append(
            Signal(
                "pdf.javascript",
                Severity.WARNING,
                "Contains JavaScript",
                "Scripts can change what a reader shows (fill in fields, hide or show content) and "
                "can behave differently in different programs. Documents rarely need them.",
                {"objects": inventory.javascript[:100], "count": len(inventory.javascript)},
            )
        )
    if inventory.launch:
        found.append(
            Signal(
                "pdf.launch_action",
                Severity.WARNING,
                "Asks to start a program or open a file",
                "The PDF contains an action that launches something outside the reader: a common "
                "trick of malicious files. Open it only in reviewer or an isolated machine.",
                {"objects": inventory.launch[:100]},
            )
        )
    names = _embedded_names(doc)
    if inventory.embedded or names:
        found.append(
            Signal(
                "pdf.embedded_files",
                Severity.NOTICE,
                f"Carries {max(len(inventory.embedded), len(names))} attached file(s)",
                "Files are attached inside the PDF. They may hold the original the PDF was made from, "
                "or something else entirely; they are not shown on the pages.",
                {"names": names[:100], "objects": inventory.embedded[:100]},
            )
        )
    found += _form_signals(doc)
    found += _signature_signals(inventory.signatures, history)
    return found


def _scan(doc: pymupdf.Document) -> _Inventory:
    inventory = _Inventory()
    # the low-level bindings: PyMuPDF's xref_get_keys costs ~50 µs an object, 65,000 objects 3 s
    low = pymupdf.mupdf
    pdf = low.pdf_document_from_fz_document(doc.this)
    names = {
        key: low.pdf_new_name(key)
        for key in ("JS", "S", "Type", "ByteRange", "Contents", "OpenAction", "A", "AA", "Next")
    }
    launch, embedded = low.pdf_new_name("Launch"), low.pdf_new_name("EmbeddedFile")

    def get(obj: object, key: str) -> object | None:
        value = low.pdf_dict_get(obj, names[key])
        return value if value.m_internal else None

    for xref in range(1, min(doc.xref_length(), MAX_OBJECTS + 1)):
        inventory.scanned += 1
        try:
            obj = low.pdf_load_object(pdf, xref)
            if not low.pdf_is_dict(obj):
                continue
            if get(obj, "JS") is not None:
                inventory.javascript.append(xref)
            action = get(obj, "S")
            if action is not None and low.pdf_name_eq(action, launch):
                inventory.launch.append(xref)
            kind = get(obj, "Type")
            if kind is not None and low.pdf_name_eq(kind, embedded):
                inventory.embedded.append(xref)
            for holder in ("OpenAction", "A", "AA", "Next"):
                # actions are often written inline (a direct dictionary), not as objects of their own
                held = get(obj, holder)
                if held is not None and not low.pdf_is_indirect(held):
                    text = doc.xref_get_key(xref, holder)[1]
                    if "/JS" in text or "/JavaScript" in text:
                        inventory.javascript.append(xref)
                    if "/Launch" in text:
                        inventory.launch.append(xref)
            if get(obj, "ByteRange") is not None and get(obj, "Contents") is not None:
                inventory.signatures.append(_signature(doc, xref))
        except MUPDF_ERRORS:
            continue
    return inventory


def _signature(doc: pymupdf.Document, xref: int) -> dict[str, object]:
    def key(name: str) -> str | None:
        kind, value = doc.xref_get_key(xref, name)
        return None if kind == "null" else str(value)[:200]

    numbers = [int(n) for n in _NUMBERS.findall(key("ByteRange") or "")][:8]
    covered = numbers[2] + numbers[3] if len(numbers) >= 4 else None
    return {
        "object": xref,
        "signed_at": key("M"),
        "name": key("Name"),
        "filter": key("Filter"),
        "kind": key("SubFilter"),
        "covers_bytes": covered,
    }


def _signature_signals(signatures: list[dict[str, object]], history: RevisionHistory) -> list[Signal]:
    if not signatures:
        return []
    found = [
        Signal(
            "pdf.signatures",
            Severity.INFO,
            f"{len(signatures)} digital signature(s)",
            "The file carries digital signatures. Each is validated with pyHanko, offline, against "
            "the trust roots added to the case; what that found is listed beside this.",
            signatures[:50],
        )
    ]
    final = history.revisions[-1].end if history.revisions else history.size
    later = [s for s in signatures if isinstance(s["covers_bytes"], int) and s["covers_bytes"] + 2 < final]
    if later:
        found.append(
            Signal(
                "pdf.changed_after_signing",
                Severity.NOTICE,
                "Changed after it was signed",
                "Content was appended after a signature. Further signatures and long-term "
                "validation data are added this way, but so can be changes to the pages: compare the "
                "signed revision with the final one.",
                {"signatures": later[:50], "file_end": final},
            )
        )
    return found


def _form_signals(doc: pymupdf.Document) -> list[Signal]:
    found: list[Signal] = []
    fields = doc.is_form_pdf
    if fields:
        found.append(
            Signal(
                "pdf.form",
                Severity.INFO,
                f"An interactive form with {int(fields)} field(s)",
                "Text in form fields can be typed or changed by anyone with a PDF reader, without "
                "leaving a visible trace on the page.",
                {"fields": int(fields)},
            )
        )
    catalog = doc.pdf_catalog()
    if catalog > 0:
        kind, _value = doc.xref_get_key(catalog, "AcroForm/XFA")
        if kind != "null":
            found.append(
                Signal(
                    "pdf.xfa_form",
                    Severity.NOTICE,
                    "An XFA form",
                    "XFA forms are drawn by the reader from data, so different programs can show "
                    "different content for the same file.",
                    {"kind": kind},
                )
            )
    return found


def _embedded_names(doc: pymupdf.Document) -> list[str]:
    try:
        return [str(n)[:200] for n in doc.embfile_names()]
    except MUPDF_ERRORS:
        return []
