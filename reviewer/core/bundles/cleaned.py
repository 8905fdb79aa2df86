"""A document's pieces for a publication bundle, made in a worker process: its cleaned copy (redacted
where asked) and the annotated copy of that, never anything of the original's bytes.

Every document of a publication bundle is carried as a cleaned PDF, redacted or not (see
:func:`reviewer.core.bundles.redact.redact_document`: no metadata, XMP, page labels, attachments,
scripts, annotation authors, embedded thumbnails or earlier revisions, a fresh random ``/ID``).
An image becomes a PDF of its page: MuPDF turns it the way its EXIF orientation says when it
makes the page, so the picture looks right once the EXIF is gone; its JPEG data is carried without
re-encoding (no generation loss) but stripped of every metadata segment and of anything after
the image's end. The annotated copy is saved whole, in one revision.

Asked to (``remove_tracking_dots``), the cleaned copy's colour page images that carry a printer's
tracking dots are replaced by copies with the dots painted out (re-encoded: a JPEG at quality 95,
anything else losslessly); the cover and the report name each page.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf
from PIL import Image

from reviewer.core.bundles.export_tasks import CleanedPieces, CleanRequest, cover_html
from reviewer.core.bundles.pieces import make_pieces
from reviewer.core.bundles.redact import (
    RedactionError,
    redact_as_pictures,
    redact_document,
    strip_jpeg_metadata,
)
from reviewer.core.forensics.traces_image import MAX_DOT_PIXELS
from reviewer.core.forensics.traces_pdf import MIN_DOT_IMAGE
from reviewer.core.forensics.tracking_dots import find_tracking_dots, remove_tracking_dots

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
        if request.remove_tracking_dots:
            summary = replace(summary, notes=summary.notes + _remove_tracking_dots(cleaned))
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


def _remove_tracking_dots(path: Path) -> tuple[str, ...]:
    """Paint printer tracking dots out of the colour page images of the PDF at ``path``, in place.

    Each colour page image large enough to be a scan is searched as ``check-publication`` searches
    it; one with a dot pattern is replaced by the painted copy (a JPEG re-encoded at quality 95
    without chroma subsampling, any other image losslessly), its soft mask kept. The copy is then
    saved whole again, its fresh ``/ID`` kept. One line per page whose dots were removed.
    """
    lines: list[str] = []
    replaced: set[int] = set()
    seen: set[int] = set()
    whole = path.with_name(f".{path.name}.dots")
    try:
        with pymupdf.open(str(path)) as doc:
            for page in doc:
                on_page = False
                for info in page.get_images(full=True):
                    xref = info[0]
                    if xref not in seen:
                        seen.add(xref)
                        if _clean_image(doc, page, xref, lines):
                            replaced.add(xref)
                    on_page = on_page or xref in replaced
                if on_page:
                    lines.append(f"printer tracking dots removed from page {page.number + 1}")
            if replaced:
                doc.save(
                    str(whole),
                    garbage=4,
                    deflate=True,
                    clean=True,
                    incremental=False,
                    no_new_id=True,
                    encryption=pymupdf.mupdf.PDF_ENCRYPT_NONE,
                    preserve_metadata=0,
                )
        if replaced:
            os.replace(whole, path)
    except (RuntimeError, ValueError, OSError, pymupdf.mupdf.FzErrorBase) as exc:
        whole.unlink(missing_ok=True)
        message = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise RedactionError(f"printer tracking dots could not be removed ({message})") from None
    return tuple(lines)


def _clean_image(doc: pymupdf.Document, page: pymupdf.Page, xref: int, lines: list[str]) -> bool:
    """Replace image ``xref`` by a copy without its tracking dots, if it has any; whether it did."""
    extracted = doc.extract_image(xref)
    if not extracted or extracted.get("colorspace", 1) < 3:
        return False  # a grey or black-and-white image cannot carry yellow dots
    pixels = extracted.get("width", 0) * extracted.get("height", 0)
    if pixels < MIN_DOT_IMAGE:
        return False  # logos and icons, left as check-publication leaves them
    if pixels > MAX_DOT_PIXELS:
        lines.append(
            f"page {page.number + 1}: an image too large to search for printer tracking dots was kept as is"
        )
        return False
    try:
        with Image.open(io.BytesIO(extracted["image"])) as opened:
            opened.load()
            image = opened.copy()
    except (OSError, ValueError, SyntaxError):
        return False  # a format Pillow does not read (JBIG2, JPX…): check-publication cannot search it either
    if find_tracking_dots(image) is None:
        return False
    painted = remove_tracking_dots(image)
    if painted.mode not in ("RGB", "L"):
        painted = painted.convert("RGB")
    buffer = io.BytesIO()
    if extracted.get("ext") == "jpeg":
        painted.save(buffer, "JPEG", quality=95, subsampling=0)
        data = strip_jpeg_metadata(buffer.getvalue())
    else:
        painted.save(buffer, "PNG")
        data = buffer.getvalue()
    smask = int(extracted.get("smask") or 0)
    page.replace_image(xref, stream=data)
    if smask:
        doc.xref_set_key(xref, "SMask", f"{smask} 0 R")
    return True


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
