"""The PDF work of an export for one document, done in a worker process.

For each document the main process sends a :class:`PiecesRequest` (plain data, in
:mod:`reviewer.core.bundles.export_tasks`) and gets back :class:`DocumentPieces`: what must be
appended to the original to make its annotated copy, and the report's pictures of the regions
annotated. The original is opened once for all of it.

The annotated copy of a PDF is the original's exact bytes followed by an incremental update (the
annotations, the cover page, the new page order). Nothing of the original is rewritten, so its
digital signatures stay valid, anyone can cut the copy at the original's length and find its
SHA-256, and the bundle's writer hashes only the appended bytes. A document that cannot take an
incremental update (an image, an encrypted or a repaired PDF) is saved whole, as before; an
encrypted original's whole copy is a decrypted working copy (its cover page says so), since MuPDF
cannot append to an encrypted file and the bundle does not carry the password.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pymupdf

from reviewer.core.bundles.annotated import annotate
from reviewer.core.bundles.bagit import kernel_copy
from reviewer.core.bundles.export_tasks import CropRequest, DocumentPieces, PiecesRequest

JPEG_QUALITY = 80


def make_pieces(request: PiecesRequest) -> DocumentPieces:
    """Open the document once: draw the crops, then annotate it and write its annotated copy.

    Raises ValueError with a plain reason when the document cannot be opened or annotated.
    """
    source, target = Path(request.source), Path(request.target)
    try:
        if request.filetype == "application/pdf" or (request.filetype is None and _looks_like_pdf(source)):
            made = _incremental_copy(request, source, target)
            if made is not None:
                return made
        return _whole_copy(request, source, target)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ValueError(" ".join(str(exc).split())[:200] or type(exc).__name__) from None


def _looks_like_pdf(path: Path) -> bool:
    with open(path, "rb") as handle:
        return b"%PDF-" in handle.read(1024)


def _incremental_copy(request: PiecesRequest, source: Path, target: Path) -> DocumentPieces | None:
    """The source's bytes copied to ``target``, then an incremental update appended in place.

    MuPDF is given the copy itself to open and update: told to append to another file, it first
    reads both whole to compare them. Returns None (and no ``target``) when the PDF cannot take an
    incremental update (encrypted, repaired on opening) or the result is not sound.
    """
    with open(source, "rb") as src, open(target, "xb") as dst:
        before = os.fstat(src.fileno())
        copied = kernel_copy(src, dst, before.st_size)
        after = os.fstat(src.fileno())
    if copied != before.st_size or (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise ValueError("the file changed while it was being copied; export again")
    with pymupdf.open(str(target), filetype="pdf") as doc:
        # Closed by the ``with`` alone: closing it here as well made its exit raise "document closed",
        # which failed the export of every encrypted or repaired PDF.
        updatable = not (doc.needs_pass or doc.is_encrypted or doc.is_repaired or not doc.is_pdf)
        pages = doc.page_count + 1  # with the cover
        made = _append_update(request, doc, target) if updatable else None
    if made is None:
        target.unlink()
        return None
    crops, thumbnail = made
    try:
        with pymupdf.open(str(target), filetype="pdf") as check:
            sound = not check.is_repaired and check.page_count == pages
    except (RuntimeError, ValueError):
        sound = False
    if not sound or target.stat().st_size <= copied:
        target.unlink(missing_ok=True)
        return None
    return DocumentPieces(copied, (before.st_size, before.st_mtime_ns), crops, thumbnail)


def _append_update(
    request: PiecesRequest, doc: pymupdf.Document, target: Path
) -> tuple[tuple[bytes | None, ...], bytes | None]:
    """Draw the pictures, annotate ``doc``, append the update to ``target`` (the file it was opened from)."""
    # Pictures first: the annotations added below would be drawn on them.
    crops = tuple(_crop(doc, crop) for crop in request.crops)
    thumbnail = _picture(doc, 1, None, request.thumbnail_width) if request.thumbnail_width else None
    annotate(doc, request.annotations, request.cover, title=request.title, withhold=request.withhold)
    # The original's /ID is kept: a new one is a digest of the whole file (14 ms for a scan).
    doc.save(str(target), incremental=True, encryption=pymupdf.mupdf.PDF_ENCRYPT_KEEP, no_new_id=True)
    return crops, thumbnail


def _whole_copy(request: PiecesRequest, source: Path, target: Path) -> DocumentPieces:
    """The annotated copy saved whole: for pictures, and PDFs that cannot take an update."""
    facts = os.stat(source)
    try:
        original = pymupdf.open(str(source), filetype=request.filetype)
    except (RuntimeError, ValueError) as exc:
        raise ValueError(f"it cannot be opened ({' '.join(str(exc).split())[:160]})") from None
    try:
        if original.needs_pass and not original.authenticate(request.password or ""):
            raise ValueError("the original is encrypted and its password is not known")
        crops = tuple(_crop(original, crop) for crop in request.crops)
        thumbnail = _picture(original, 1, None, request.thumbnail_width) if request.thumbnail_width else None
        doc = original if original.is_pdf else pymupdf.open("pdf", original.convert_to_pdf())
        try:
            annotate(doc, request.annotations, request.cover, title=request.title, withhold=request.withhold)
            target.unlink(missing_ok=True)
            # Never encrypted: a copy of an encrypted original is a decrypted working copy.
            doc.save(str(target), garbage=3, deflate=True, encryption=pymupdf.mupdf.PDF_ENCRYPT_NONE)
        finally:
            if doc is not original:
                doc.close()
    finally:
        original.close()
    return DocumentPieces(0, (facts.st_size, facts.st_mtime_ns), crops, thumbnail)


def _crop(doc: pymupdf.Document, request: CropRequest) -> bytes | None:
    picture = _picture(doc, request.page, request.rect, request.width)
    if picture is not None and request.cache is not None:
        suffix = ".jpg" if picture[:2] == b"\xff\xd8" else ".png"
        target = Path(request.cache + suffix)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        with contextlib.suppress(OSError):  # a crop not kept is drawn again next time; no harm
            target.parent.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(picture)
            partial.replace(target)
        partial.unlink(missing_ok=True)
    return picture


def _picture(
    doc: pymupdf.Document, page_number: int, clip: tuple[float, float, float, float] | None, width: int
) -> bytes | None:
    """A page or a region of it, ``width`` pixels wide: JPEG where the page is a picture, else PNG."""
    try:
        page = doc.load_page(page_number - 1)
        area = pymupdf.Rect(*clip) * page.rotation_matrix if clip else page.rect
        scale = width / max(area.width, 1.0)
        pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=area, alpha=False)
        # A scan's grain makes a PNG large and slow to write; JPEG is how the page itself is stored.
        if not doc.is_pdf or page.get_images(full=False):
            return bytes(pixmap.tobytes("jpg", jpg_quality=JPEG_QUALITY))
        return bytes(pixmap.tobytes("png"))
    except (RuntimeError, ValueError, IndexError):
        return None
