"""A document's pieces for a publication bundle, made in a worker process: its cleaned copy (redacted
where asked) and the annotated copy of that, never anything of the original's bytes.

Every document of a publication bundle is carried as a cleaned PDF, redacted or not (see
:func:`reviewer.core.bundles.redact.redact_document`: no metadata, XMP, page labels, attachments,
scripts, annotation authors, embedded thumbnails or earlier revisions, a fresh random ``/ID``).
An image becomes a PDF of its page: MuPDF turns it the way its EXIF orientation says when it
makes the page, so the picture looks right once the EXIF is gone; its JPEG data is carried without
re-encoding (no generation loss) but stripped of every metadata segment and of anything after
the image's end. The annotated copy is saved whole, in one revision.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.bundles.export_tasks import CleanedPieces, CleanRequest, cover_html
from reviewer.core.bundles.pieces import make_pieces
from reviewer.core.bundles.redact import RedactionError, redact_as_pictures, redact_document

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.bundles.export_tasks import RedactionRegion
    from reviewer.core.bundles.redact import RedactionSummary

_CHUNK = 1 << 20


def clean_for_publication(request: CleanRequest) -> CleanedPieces:
    """Check the original's SHA-256, write its cleaned copy, then the annotated copy of that."""
    original, cleaned = Path(request.original), Path(request.cleaned)
    if _sha256(original) != request.sha256:
        return CleanedPieces(intact=False)
    lines: list[str] = []
    try:
        summary = _clean(request, lines)
    except RedactionError as exc:
        cleaned.unlink(missing_ok=True)
        return CleanedPieces(intact=True, error=str(exc))
    for page, count in sorted(summary.pages.items()):
        share = summary.area_fraction.get(page, 0.0)
        lines.append(f"page {page}: {count} region(s) removed, {share:.1%} of the page")
    sections = (*request.before, ("Redacted for publication", tuple(lines)))
    sections += (("Cleaned for publication", summary.notes), *request.after)
    cover = cover_html(request.title, request.facts, sections)
    made = CleanedPieces(True, tuple(lines), summary.notes, tuple(sorted(summary.pages.items())))
    target = Path(request.pieces.target)
    try:
        pieces = make_pieces(replace(request.pieces, source=str(cleaned), cover=cover))
        if pieces.prefix:
            _one_revision(target)
            pieces = replace(pieces, prefix=0)
    except (ValueError, RuntimeError, OSError) as exc:
        target.unlink(missing_ok=True)
        return replace(made, pieces_error=" ".join(str(exc).split())[:200] or type(exc).__name__)
    return replace(made, pieces=pieces)


def _clean(request: CleanRequest, lines: list[str]) -> RedactionSummary:
    """The cleaned copy; a picture of each page when MuPDF cannot rewrite the file itself."""
    original, cleaned = Path(request.original), Path(request.cleaned)
    regions: Sequence[RedactionRegion] = request.regions
    try:
        return redact_document(
            original, cleaned, regions, password=request.password, filetype=request.filetype
        )
    except RedactionError as exc:
        summary = redact_as_pictures(
            original, cleaned, regions, password=request.password, filetype=request.filetype
        )
        blacked = " with the regions blacked out" if regions else ""
        lines.append(
            f"the cleaned copy could not be made from the file itself ({exc}); it is a picture "
            f"of each page{blacked}, without a text layer"
        )
        return summary


def _one_revision(path: Path) -> None:
    """Save the PDF at ``path`` again whole: no earlier revision, unused objects collected."""
    whole = path.with_name(f".{path.name}.whole")
    with pymupdf.open(str(path)) as doc:
        doc.save(
            str(whole),
            garbage=3,
            deflate=True,
            incremental=False,
            no_new_id=True,
            encryption=pymupdf.mupdf.PDF_ENCRYPT_NONE,
        )
    os.replace(whole, path)


def _sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()
