"""Traces in a PDF: the info dictionary, XMP (document-level and per object), page labels, embedded
files, JavaScript, annotation authors, earlier revisions, paths and e-mail addresses in the text,
the metadata of its images, and printer tracking dots on its colour page images.

Runs in a worker process (PyMuPDF): a hostile file can only take its worker down.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.forensics.revisions import read_revisions, revision_bytes
from reviewer.core.forensics.traces import Trace, hint, text_traces, user_names
from reviewer.core.forensics.traces_image import image_traces, xmp_trace

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

#: info dictionary keys as PyMuPDF names them, and how they are said
INFO_KEYS = {
    "author": "Author", "creator": "Creator", "producer": "Producer", "title": "Title",
    "subject": "Subject", "keywords": "Keywords", "creationDate": "CreationDate", "modDate": "ModDate",
    "trapped": "Trapped",
}  # fmt: skip
_PERSON_KEYS = ("author",)
_ID = re.compile(r"<([0-9A-Fa-f]{2,128})>")
#: images smaller than this (pixels) are logos and icons: not searched for tracking dots
MIN_DOT_IMAGE = 600 * 600
MAX_OBJECTS = 200_000
MAX_PAGES = 2_000


def pdf_traces(
    path: Path, *, beat: Callable[[], None], password: str | None = None
) -> tuple[list[Trace], list[str], str | None]:
    """The traces in a PDF, the names they carry, and the first part of its trailer /ID (or None)."""
    found: list[Trace] = []
    names: list[str] = []
    with pymupdf.open(str(path), filetype="pdf") as doc:
        if doc.needs_pass and not (password and doc.authenticate(password)):
            return (
                [
                    Trace(
                        "uninspectable",
                        "encrypted: its metadata and pages cannot be read without the password",
                    )
                ],
                [],
                None,
            )
        _info_traces(doc, found, names, "")
        _object_traces(doc, found, names, beat)
        _page_traces(doc, found, names, beat)
        ident = _first_id(doc)
    found.extend(_revision_traces(path, beat))
    return found, names, ident


def _info_traces(doc: pymupdf.Document, found: list[Trace], names: list[str], where: str) -> None:
    metadata = doc.metadata or {}
    for key, label in INFO_KEYS.items():
        value = metadata.get(key)
        if not value:
            continue
        kind = "author" if key in _PERSON_KEYS else "metadata"
        found.append(Trace(kind, f"PDF {label}{where} ({hint(value)})"))
        found.extend(text_traces(str(value), f"the PDF {label}{where}"))
        if key in _PERSON_KEYS:
            names.append(str(value))
        names.extend(user_names(str(value)))
    xmp = doc.get_xml_metadata()
    if xmp:
        found.extend(xmp_trace(xmp, f"of the document{where}"))
        names.extend(user_names(xmp))


def _object_traces(
    doc: pymupdf.Document, found: list[Trace], names: list[str], beat: Callable[[], None]
) -> None:
    catalog = doc.pdf_catalog()
    kind, value = doc.xref_get_key(catalog, "Metadata")
    document_xmp = int(value.split()[0]) if kind == "xref" else 0
    javascript = 0
    object_xmp = 0
    for xref in range(1, min(doc.xref_length(), MAX_OBJECTS)):
        if xref % 2000 == 0:
            beat()
        try:
            source = doc.xref_object(xref, compressed=True)
        except (RuntimeError, ValueError):
            continue
        if "/JavaScript" in source or "/JS" in source:
            javascript += 1
        if (
            xref != document_xmp
            and "/Metadata" in source
            and doc.xref_get_key(xref, "Type")[1] == "/Metadata"
        ):
            object_xmp += 1
            try:
                packet = doc.xref_stream(xref).decode("utf-8", "replace")
            except (RuntimeError, ValueError):
                packet = ""
            found.extend(xmp_trace(packet, f"on object {xref}") if packet else [])
            names.extend(user_names(packet))
    if javascript:
        found.append(Trace("javascript", f"JavaScript ({javascript} object(s) with /JS or /JavaScript)"))
    for number in range(doc.embfile_count()):
        info = doc.embfile_info(number)
        shown = info.get("ufilename") or info.get("filename") or info.get("name") or "?"
        found.append(Trace("embedded-file", f"embedded file ({hint(shown)}, {info.get('size', 0):,} bytes)"))
        found.extend(text_traces(str(shown), "an embedded file's name"))
        names.extend(user_names(str(shown)))
    labels = doc.get_page_labels()
    if labels:
        prefixes = sorted({str(label.get("prefix") or "") for label in labels} - {""})
        shown = (
            f"prefix {', '.join(repr(p) for p in prefixes)}"
            if prefixes
            else f"{len(labels)} numbering rule(s)"
        )
        found.append(Trace("page-labels", f"page labels ({hint(shown)})"))


def _page_traces(
    doc: pymupdf.Document, found: list[Trace], names: list[str], beat: Callable[[], None]
) -> None:
    seen_images: set[int] = set()
    for index in range(min(doc.page_count, MAX_PAGES)):
        page = doc[index]
        number = index + 1
        for annot in page.annots() or ():
            author = (annot.info or {}).get("title")
            if author:
                found.append(Trace("annotation-author", f"page {number}: annotation by {hint(author)!r}"))
                names.append(author)
        text = page.get_text()
        for trace in text_traces(text, f"page {number}'s text"):
            if trace.kind != "email":  # an address in a letter is content, not a trace of its source
                found.append(trace)
        for image in page.get_images(full=True):
            xref = image[0]
            if xref in seen_images:
                continue
            seen_images.add(xref)
            try:
                extracted = doc.extract_image(xref)
            except (RuntimeError, ValueError):
                continue
            if not extracted:
                continue
            big = extracted.get("width", 0) * extracted.get("height", 0) >= MIN_DOT_IMAGE
            colour = extracted.get("colorspace", 1) >= 3
            try:
                traces, more = image_traces(
                    extracted["image"],
                    beat=beat,
                    where=f"in image {xref} on page {number}",
                    dots=big and colour,
                    page=f"page {number}: ",
                )
            except (OSError, ValueError, SyntaxError):
                continue  # an image format Pillow does not read (JBIG2, JPX…): MuPDF drew it, nothing to say
            found.extend(traces)
            names.extend(more)
        beat()


def _first_id(doc: pymupdf.Document) -> str | None:
    kind, value = doc.xref_get_key(-1, "ID")
    if kind != "array":
        return None
    found = _ID.search(value)
    return found.group(1).upper() if found else None


def _revision_traces(path: Path, beat: Callable[[], None]) -> list[Trace]:
    """An earlier saved state; with what it holds that the file as it is does not show."""
    history = read_revisions(path)
    if history.count < 2:
        return []
    found: list[Trace] = []
    with pymupdf.open(str(path), filetype="pdf") as final:
        final_text = [final[i].get_text() for i in range(min(final.page_count, MAX_PAGES))]
    for revision in history.revisions[:-1]:
        beat()
        held: list[Trace] = []
        changed = False
        try:
            with pymupdf.open(stream=revision_bytes(path, revision.number), filetype="pdf") as earlier:
                _info_traces(earlier, held, [], f" of revision {revision.number}")
                texts = [earlier[i].get_text() for i in range(min(earlier.page_count, MAX_PAGES))]
                changed = texts != final_text
        except (RuntimeError, ValueError):
            changed = True  # it cannot be compared: it may hold anything
        found.extend(held)
        says = "different pages or text" if changed else "the same text"
        found.append(
            Trace(
                "revision",
                f"earlier revision {revision.number} of {history.count} kept by an incremental update "
                f"(it holds {says}{', and metadata' if held else ''}; anyone can extract it)",
            )
        )
    return found
