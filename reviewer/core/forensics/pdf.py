"""Every import-time signal of a PDF in one call: metadata, revisions, structure, pages.

Built for the import workers: it opens the file once, reads no pixel, and never raises for a bad file.
A file MuPDF cannot open, or a check that trips over a malformed object, becomes an info signal saying
what could not be checked; the other checks still run.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.forensics.c2pa import credential_signals
from reviewer.core.forensics.jpeg_tables import document_table_signals
from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.forensics.pdf_metadata import metadata_signals
from reviewer.core.forensics.pdf_pages import page_signals
from reviewer.core.forensics.pdf_structure import (
    needs_object_scan,
    revision_signals,
    structure_signals,
)
from reviewer.core.forensics.revisions import RevisionHistory, read_revisions
from reviewer.core.forensics.signals import Severity, Signal
from reviewer.core.forensics.signatures import validated_signatures

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence

    from reviewer.core.forensics.placements import Placements

_PDF_ERRORS = MUPDF_ERRORS


def pdf_signals(
    path: Path | str,
    *,
    password: str | None = None,
    received: datetime.date | datetime.datetime | None = None,
    now: datetime.datetime | None = None,
    trust_roots: Sequence[bytes] = (),
    document: pymupdf.Document | None = None,
    placements: Placements | None = None,
) -> list[Signal]:
    """All import-time signals of the PDF at ``path``, warnings first.

    ``document`` is ``path`` already open in the caller (opened with ``password``), who keeps it: the
    import's worker has just read its pages, and reading them from there again is cheaper than from a
    second copy of the document. ``placements`` are its pages' image placements, read with their text
    (``reviewer.core.forensics.placements``).

    ``password`` opens an encrypted file; without it, only what the bytes show is checked.
    ``received`` (when the document reached the newsroom) makes dates after it a warning; ``now``
    (default: the clock) does the same for dates in the future. ``trust_roots`` (the case's, PEM or
    DER) are what its signatures and content credentials are validated against, offline.
    """
    path = Path(path)
    found: list[Signal] = []
    try:
        history = read_revisions(path)
    except OSError as exc:
        return [_not_checked("pdf.unreadable", "The file cannot be read", exc)]
    try:
        doc = pymupdf.open(str(path), filetype="pdf") if document is None else document
    except _PDF_ERRORS as exc:
        found += revision_signals(history)
        found.append(_not_checked("pdf.unreadable", "MuPDF cannot open the file", exc))
        return _ordered(found)
    with doc if document is None else contextlib.nullcontext(doc):
        history = RevisionHistory(
            history.revisions,
            history.linearized,
            history.size,
            history.trailing_bytes,
            _mupdf_count(doc),
        )
        found += revision_signals(history)
        if doc.needs_pass and not (password and doc.authenticate(password)):
            found.append(
                Signal(
                    "pdf.encrypted",
                    Severity.INFO,
                    "Encrypted: only its structure was checked",
                    "The file needs a password to open. Without it, its metadata, pages and fonts "
                    "cannot be read.",
                    {"password_given": password is not None},
                )
            )
            return _ordered(found)
        method = (doc.metadata or {}).get("encryption")
        if doc.is_encrypted or method:
            found.append(
                Signal(
                    "pdf.encrypted",
                    Severity.INFO,
                    "Encrypted",
                    "The file is encrypted; it was opened with the password given, or needs none to "
                    "read but restricts editing or printing.",
                    {"method": method},
                )
            )
        found += _guarded("metadata", lambda: metadata_signals(doc, received=received, now=now))
        scan = needs_object_scan(path)
        found += _guarded("structure", lambda: structure_signals(doc, history, scan_objects=scan))
        found += _guarded("pages", lambda: page_signals(doc, received=received, placements=placements))
        found += _guarded("jpeg_tables", lambda: document_table_signals(doc, placements))
        found = validated_signatures(found, path, trust_roots=trust_roots, password=password)
        found += credential_signals(path, prefix="pdf", trust_roots=trust_roots)
    return _ordered(found)


def _mupdf_count(doc: pymupdf.Document) -> int | None:
    if doc.is_repaired:
        return None
    try:
        return int(doc.version_count)
    except _PDF_ERRORS:
        return None


def _guarded(part: str, check: Callable[[], list[Signal]]) -> list[Signal]:
    try:
        return check()
    except _PDF_ERRORS as exc:
        return [_not_checked(f"pdf.{part}_not_checked", f"Its {part} could not be checked", exc)]


def _not_checked(code: str, title: str, exc: BaseException) -> Signal:
    reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    return Signal(
        code,
        Severity.INFO,
        title,
        "The file is malformed in a way that stopped this check; the other checks ran.",
        reason,
    )


def _ordered(found: list[Signal]) -> list[Signal]:
    return sorted(found, key=lambda s: -s.severity.rank)
