"""Redacted copies for a bundle: what lies under each redaction is removed from the file, not covered.

:func:`redact_document` reads an original (a PDF, or an image or other format MuPDF opens) without
ever writing to it and writes a new PDF in which, under every redaction area:

* text is deleted from the content streams (every glyph the area touches, visible or not);
* image pixels are set to white and the image is re-encoded losslessly (masks and soft masks too);
* vector drawings that touch the area are deleted whole;

and the area is then painted black. Annotations and form fields are first flattened into the page
(so what was visible is redacted like everything else, and their hidden comments and authors go),
then the rest is scrubbed: document metadata and XMP, bookmarks, accessibility tags, embedded files,
scripts, links, page thumbnails, marked-content replacement text (``/ActualText``, ``/Alt``) and the
metadata inside JPEG images (EXIF with its thumbnail, XMP, comments). The file is written whole with
unused objects collected, so it holds no earlier revision, and gets a fresh random ``/ID`` so it
cannot be matched to the original by that. It is checked once more before it is kept: no text under
any area, no scripts, no attachments, no annotations, no metadata.

What this cannot hide: each black box keeps the size and place of what it covers, and the text left
on a line keeps its position, so the width of what was removed can be estimated. Redact whole lines
or pad the areas where a short name must not be guessed from its length.

Coordinates are PyMuPDF page coordinates: PDF points from the top-left corner of the *unrotated*
page (its CropBox), whatever the page's ``/Rotate``; for images, the page MuPDF makes of the image.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import secrets
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pymupdf

from reviewer.core.bundles.export_tasks import RedactionRegion  # noqa: TC001  (imported from here too)
from reviewer.core.domain.errors import ReviewerError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

#: Redaction areas may overshoot the page edge by this much (points) for rounding; they are clipped.
EDGE_TOLERANCE = 1.0
PDF_MEDIA_TYPE = "application/pdf"

# pymupdf defines these at runtime; its partial annotations do not show them.
_IMAGES_PIXELS: int = pymupdf.PDF_REDACT_IMAGE_PIXELS  # type: ignore[attr-defined]
_LINE_ART_IF_TOUCHED: int = pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED  # type: ignore[attr-defined]
_TEXT_REMOVE: int = pymupdf.PDF_REDACT_TEXT_REMOVE  # type: ignore[attr-defined]
_ENCRYPT_NONE: int = pymupdf.PDF_ENCRYPT_NONE  # type: ignore[attr-defined]
_ANNOT_POPUP: int = pymupdf.PDF_ANNOT_POPUP  # type: ignore[attr-defined]
_ANNOT_LINK: int = pymupdf.PDF_ANNOT_LINK  # type: ignore[attr-defined]
# What MuPDF raises on damaged files: FileDataError is a RuntimeError, its own errors (FzErrorFormat,
# FzErrorLimit…) derive from FzErrorBase.
_MUPDF_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)
_A4 = pymupdf.paper_rect("a4")

# What a catalog and a page may keep: everything else can carry text of its own (outlines, tags,
# forms, attachments, scripts, thumbnails, private application data, page labels: a label's prefix
# can hold a name) and is dropped.
_CATALOG_KEEP = frozenset(
    {
        "Type",
        "Pages",
        "PageLayout",
        "Version",
        "Extensions",
        "Lang",
        "OCProperties",
        "OutputIntents",
        "ViewerPreferences",
    }
)
_PAGE_KEEP = frozenset(
    {
        "Type",
        "Parent",
        "Resources",
        "MediaBox",
        "CropBox",
        "BleedBox",
        "TrimBox",
        "ArtBox",
        "Rotate",
        "Contents",
        "Group",
        "UserUnit",
    }
)
_TRAILER_KEEP = frozenset({"Root", "Size", "ID"})
# Keys any object may have that hold metadata, private data or other versions of the content
# (an image's /Alternates and /OPI are not redacted with it).
_OBJECT_DROP = ("Metadata", "PieceInfo", "Alternates", "OPI")

_WHITESPACE = frozenset(b" \t\r\n\x0c\x00")
_DELIMITERS = frozenset(b"()<>[]{}/%")
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_SCRIPT = re.compile(r"/(?:JS|JavaScript)(?![^\s/<>\[\]()])")
_END_OF_INLINE_IMAGE = re.compile(rb"[ \t\r\n\x0c\x00]EI(?=[ \t\r\n\x0c\x00]|\Z)")
# JPEG markers that carry no pixels: APP1..APP13 and APP15 (EXIF with its thumbnail, XMP, ICC,
# Photoshop/IPTC…) and COM. APP0 (JFIF, may embed a thumbnail) goes too; APP14 (Adobe: how the
# colours are encoded) stays, the decoder needs it.
_JPEG_DROP = frozenset({0xE0, *range(0xE1, 0xEE), 0xEF, 0xFE})


class RedactionError(ReviewerError, ValueError):
    """A redacted copy cannot be made as asked; the message is one plain line."""


@dataclass(frozen=True, slots=True)
class RedactionSummary:
    """What was redacted, in numbers that reveal nothing of the content."""

    pages: dict[int, int]
    """Page number -> number of areas redacted on it."""
    area_fraction: dict[int, float]
    """Page number -> share of the page's area that is redacted (0..1; overlaps counted once)."""
    output_media_type: str
    notes: tuple[str, ...]
    """Plain-language notes on what else was changed or removed."""


@dataclass(frozen=True, slots=True)
class _PageAreas:
    """The areas to redact on one page, clipped to it, and the unrotated page itself."""

    bounds: pymupdf.Rect
    rects: list[pymupdf.Rect]


class _Unparsable(Exception):
    """A content stream whose syntax the marked-content scrubber cannot follow."""


def redact_document(
    original: Path,
    out: Path,
    regions: Sequence[RedactionRegion],
    *,
    password: str | None = None,
    filetype: str | None = None,
) -> RedactionSummary:
    """Write to ``out`` a scrubbed PDF copy of ``original`` with the content under ``regions`` removed.

    ``original`` is only read. ``password`` opens an encrypted original (the copy is not encrypted);
    ``filetype`` is MuPDF's name for the format (``"pdf"``, ``"jpg"``…) when the file name does not
    tell it. With no regions the copy is still scrubbed. ``out`` appears only once the copy is
    complete and checked. Raises :class:`RedactionError` with a plain reason.
    """
    original, out = Path(original), Path(out)
    _refuse_same_file(original, out)
    doc = _open(original, password, filetype)
    try:
        notes: list[str] = []
        if not doc.is_pdf:
            doc = _as_pdf(doc, notes)
        elif doc.is_repaired:
            doc = _rebuilt(doc, notes)
        areas = _validate(doc, regions)
        _collect_notes(doc, notes)
        _flatten_annotations(doc)
        _apply_redactions(doc, areas, notes)
        _scrub(doc, notes)
        _write_checked(doc, out, areas)
    except RedactionError:
        raise
    except _MUPDF_ERRORS as exc:  # a damaged or unusual file
        raise RedactionError(f"the redacted copy could not be made ({_one_line(exc)})") from None
    finally:
        if not doc.is_closed:
            doc.close()
    return RedactionSummary(
        pages=dict(sorted(Counter(region.page for region in regions).items())),
        area_fraction={page: _covered_fraction(on.bounds, on.rects) for page, on in sorted(areas.items())},
        output_media_type=PDF_MEDIA_TYPE,
        notes=tuple(notes),
    )


def redact_as_pictures(
    original: Path,
    out: Path,
    regions: Sequence[RedactionRegion],
    *,
    password: str | None = None,
    filetype: str | None = None,
    dpi: int = 150,
) -> RedactionSummary:
    """Write to ``out`` a PDF of pictures of the pages of ``original``, black where ``regions`` are.

    The last resort when :func:`redact_document` cannot rewrite a file (a damaged or unusual PDF):
    nothing of the original's objects is carried, only pixels drawn after the areas were blacked
    out, so nothing under them survives; the text layer is lost. Raises :class:`RedactionError`.
    """
    original, out = Path(original), Path(out)
    _refuse_same_file(original, out)
    doc = _open(original, password, filetype)
    fresh = pymupdf.open()
    try:
        areas = _validate(doc, regions)
        scale = dpi / 72
        for page in _pages(doc):
            pixmap = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False)
            on = areas.get(page.number + 1)
            for rect in on.rects if on else ():
                shown = rect * page.rotation_matrix * pymupdf.Matrix(scale, scale)
                box = pymupdf.IRect(
                    math.floor(shown.x0) - 1,
                    math.floor(shown.y0) - 1,
                    math.ceil(shown.x1) + 1,
                    math.ceil(shown.y1) + 1,
                )
                pixmap.set_rect(box & pixmap.irect, (0, 0, 0))
            picture = fresh.new_page(width=page.rect.width, height=page.rect.height)
            picture.insert_image(picture.rect, stream=pixmap.tobytes("png"))
        fresh.set_metadata({})
        _write_checked(fresh, out, {})
    except RedactionError:
        raise
    except _MUPDF_ERRORS as exc:
        raise RedactionError(f"the redacted copy could not be made ({_one_line(exc)})") from None
    finally:
        fresh.close()
        doc.close()
    return RedactionSummary(
        pages=dict(sorted(Counter(region.page for region in regions).items())),
        area_fraction={page: _covered_fraction(on.bounds, on.rects) for page, on in sorted(areas.items())},
        output_media_type=PDF_MEDIA_TYPE,
        notes=(
            "the file could not be rewritten, so the copy is a picture of each page with the areas "
            "blacked out: its text cannot be selected or searched, and nothing else of the file is carried",
        ),
    )


# --------------------------------------------------------------------------
# opening and checking the request
# --------------------------------------------------------------------------


def _refuse_same_file(original: Path, out: Path) -> None:
    try:
        same = out.exists() and os.path.samefile(original, out)
    except OSError:
        same = False
    if same or original.resolve() == out.resolve():
        raise RedactionError("the redacted copy must be written to a new file, never over the original")


def _open(original: Path, password: str | None, filetype: str | None) -> pymupdf.Document:
    if not original.is_file():
        raise RedactionError(f"the original {original.name!r} is missing, or is not a file")
    try:
        # MuPDF opens files read-only; the original is never saved to (see _write_checked)
        doc = pymupdf.open(str(original), filetype=filetype) if filetype else pymupdf.open(str(original))
    except _MUPDF_ERRORS as exc:
        raise RedactionError(f"the original cannot be read as a document ({_one_line(exc)})") from None
    if doc.needs_pass:
        if password is None:
            doc.close()
            raise RedactionError("the original is encrypted; give its password to make a redacted copy")
        if not doc.authenticate(password):
            doc.close()
            raise RedactionError("the original is encrypted and the password given does not open it")
    if doc.page_count < 1:
        doc.close()
        raise RedactionError("the original has no pages that can be read")
    return doc


def _as_pdf(doc: pymupdf.Document, notes: list[str]) -> pymupdf.Document:
    """Convert an image (or another format) to a PDF with the same pages and page coordinates."""
    found = (doc.metadata or {}).get("format") or ""
    image = found in ("", "Image", "TIFF")
    try:
        data = doc.convert_to_pdf()
    except _MUPDF_ERRORS as exc:
        raise RedactionError(f"the original could not be converted to PDF ({_one_line(exc)})") from None
    finally:
        doc.close()
    if image:
        notes.append(
            "the image was converted to a PDF with the same pages; its own metadata (EXIF: camera, time, "
            "place; embedded thumbnails) is not carried over"
        )
    else:
        notes.append(f"the {found} document was converted to a PDF with the same pages")
    return pymupdf.open("pdf", data)


def _rebuilt(doc: pymupdf.Document, notes: list[str]) -> pymupdf.Document:
    """A damaged PDF's readable pages copied into a new one; a page whose object is lost is blank.

    MuPDF repairs a damaged file to read it, but cannot save it whole: objects lost with the damage
    (a page in a truncated object stream) become null and fail the save.
    """
    fresh = pymupdf.open()
    lost: list[int] = []
    try:
        for index in range(doc.page_count):
            try:
                doc.xref_object(doc.page_xref(index))  # raises when the page's object is lost
                fresh.insert_pdf(doc, from_page=index, to_page=index)
            except _MUPDF_ERRORS:
                lost.append(index + 1)
                fresh.new_page(width=_A4.width, height=_A4.height)
    except BaseException:
        fresh.close()
        raise
    finally:
        doc.close()
    said = ""
    if lost:
        which = ", ".join(map(str, lost))
        said = f"; {_count(len(lost), 'page', 'pages')} ({which}) could not be read, left blank"
    notes.append(f"the original is damaged (MuPDF had to repair it); its readable pages were copied{said}")
    return fresh


def _validate(doc: pymupdf.Document, regions: Sequence[RedactionRegion]) -> dict[int, _PageAreas]:
    """Check every region against its page and return the areas by page, clipped to the page."""
    areas: dict[int, _PageAreas] = {}
    count = doc.page_count
    for number, region in enumerate(regions, start=1):
        if not isinstance(region.page, int) or not 1 <= region.page <= count:
            pages = "1 page" if count == 1 else f"{count} pages"
            raise RedactionError(f"redaction {number} is on page {region.page}, but the document has {pages}")
        coords = (region.x0, region.y0, region.x1, region.y1)
        if not all(isinstance(c, int | float) and math.isfinite(c) for c in coords):
            raise RedactionError(
                f"redaction {number} on page {region.page} has a coordinate that is not a number"
            )
        if region.x1 <= region.x0 or region.y1 <= region.y0:
            raise RedactionError(
                f"redaction {number} on page {region.page} is empty (it needs x0 < x1 and y0 < y1)"
            )
        page = doc[region.page - 1]
        bounds = _page_bounds(page)
        rect = pymupdf.Rect(*coords)
        tol = EDGE_TOLERANCE
        grown = pymupdf.Rect(bounds.x0 - tol, bounds.y0 - tol, bounds.x1 + tol, bounds.y1 + tol)
        if not grown.contains(rect):
            hint = ""
            if page.rotation % 180:
                hint = f" (the page is shown turned by {page.rotation}°: give unrotated coordinates)"
            raise RedactionError(
                f"redaction {number} reaches outside page {region.page}: it spans "
                f"x {rect.x0:.1f}–{rect.x1:.1f}, y {rect.y0:.1f}–{rect.y1:.1f} pt, the unrotated page is "
                f"{bounds.width:.1f} × {bounds.height:.1f} pt{hint}"
            )
        areas.setdefault(region.page, _PageAreas(bounds, [])).rects.append(rect & bounds)
    return areas


def _page_bounds(page: pymupdf.Page) -> pymupdf.Rect:
    """The unrotated page in page coordinates: its CropBox, moved to the origin."""
    box = page.cropbox
    return pymupdf.Rect(0, 0, box.width, box.height)


# --------------------------------------------------------------------------
# redacting
# --------------------------------------------------------------------------


def _collect_notes(doc: pymupdf.Document, notes: list[str]) -> None:
    """Note, before they are removed, the parts of the document that will not be carried over."""
    annotations = links = 0
    for page in _pages(doc):
        kinds = [kind for _, kind, _ in page.annot_xrefs()]  # cheap even with thousands of links
        links += kinds.count(_ANNOT_LINK)
        annotations += sum(1 for kind in kinds if kind not in (_ANNOT_LINK, _ANNOT_POPUP))
    if annotations:
        notes.append(
            f"{_count(annotations, 'annotation or form field', 'annotations and form fields')} "
            f"{_were(annotations)} flattened into the page as shown; their hidden comments, authors and "
            "field values were removed"
        )
    if links:
        notes.append(f"{_count(links, 'link', 'links')} {_were(links)} removed")
    attachments = doc.embfile_count()
    if attachments:
        notes.append(f"{_count(attachments, 'attached file', 'attached files')} {_were(attachments)} removed")
    catalog = doc.pdf_catalog()
    if doc.get_toc(simple=True):
        notes.append("the bookmarks were removed (their titles may repeat redacted text)")
    if doc.xref_get_key(catalog, "StructTreeRoot")[0] != "null":
        notes.append("the accessibility tags were removed (they may repeat redacted text)")
    if _has_scripts(doc):
        notes.append("scripts (JavaScript) were removed")
    if doc.xref_get_key(catalog, "PageLabels")[0] != "null":
        notes.append("the page labels were removed (a label can hold a name); pages are numbered 1, 2, 3…")
    try:
        hidden_layers = [ocg for ocg in doc.get_ocgs().values() if not ocg.get("on", True)]
    except _MUPDF_ERRORS:
        hidden_layers = []
    if hidden_layers:
        notes.append(
            f"the document has {_count(len(hidden_layers), 'layer', 'layers')} hidden by default; "
            "their content is kept — show all layers and check them before publishing"
        )
    notes.append("document metadata (title, author, dates, software) and XMP were removed")


def _flatten_annotations(doc: pymupdf.Document) -> None:
    """Turn annotations and form fields into page content, so they are redacted like the rest."""
    try:
        doc.bake(annots=True, widgets=True)
    except _MUPDF_ERRORS as exc:
        raise RedactionError(
            f"the annotations and form fields could not be flattened ({_one_line(exc)})"
        ) from None


def _apply_redactions(doc: pymupdf.Document, areas: dict[int, _PageAreas], notes: list[str]) -> None:
    removed_drawings = 0
    for number, on in areas.items():
        page = doc[number - 1]
        drawings = len(page.get_cdrawings())
        for rect in on.rects:
            page.add_redact_annot(rect, fill=(0, 0, 0), cross_out=False)
        # images: blank the pixels under the area, keep the rest of the image (PIXELS);
        # line art: delete every path that touches the area, not only those it covers (IF_TOUCHED),
        #   since a path partly outside may be a glyph outline, a signature or a drawn stamp;
        # text: delete every glyph the area touches, invisible ones included (REMOVE).
        page.apply_redactions(images=_IMAGES_PIXELS, graphics=_LINE_ART_IF_TOUCHED, text=_TEXT_REMOVE)
        # each area adds its black box, one drawing
        removed_drawings += max(0, drawings + len(on.rects) - len(page.get_cdrawings()))
    if areas:
        notes.append(
            "under each area, text was deleted and image pixels were blanked, then the area was painted "
            "black; each box keeps the size of what it covers, so the length of a removed word can be "
            "estimated"
        )
    if removed_drawings:
        notes.append(
            f"{_count(removed_drawings, 'vector drawing', 'vector drawings')} touching the areas "
            f"{_were(removed_drawings)} deleted whole, also where {_it_they(removed_drawings)} reached "
            "beyond them (lines, boxes, shapes)"
        )


def _scrub(doc: pymupdf.Document, notes: list[str]) -> None:
    """Remove everything that can carry text or traces besides the visible page content."""
    for page in _pages(doc):
        # A page with nothing drawn on it (a damaged file's lost page) has nothing to normalise, and
        # MuPDF's filter refuses it.
        if page.get_contents():
            page.clean_contents()  # normalise the content streams (and forms) before scrubbing them
    doc.set_metadata({})
    doc.del_xml_metadata()
    jpegs = 0
    for xref in range(1, doc.xref_length()):
        text = _object_text(doc, xref)
        if not text.startswith("<<"):
            continue
        for key in _OBJECT_DROP:
            if f"/{key}" in text and doc.xref_get_key(xref, key)[0] != "null":
                doc.xref_set_key(xref, key, "null")
        if not doc.xref_is_stream(xref):
            continue
        if _is_content_stream(doc, xref):
            _scrub_content_stream(doc, xref)
        elif "/DCTDecode" in text and _stream_filter(doc, xref) == "/DCTDecode":
            jpegs += _scrub_jpeg_stream(doc, xref)
    for page in _pages(doc):
        for xref in page.get_contents():
            _scrub_content_stream(doc, xref)
    if jpegs:
        notes.append(
            f"the metadata inside {_count(jpegs, 'JPEG image', 'JPEG images')} (EXIF, XMP, thumbnails, "
            "comments) was removed; the pixels are unchanged"
        )
    for key in doc.xref_get_keys(-1):
        if key not in _TRAILER_KEEP:
            doc.xref_set_key(-1, key, "null")
    fresh = secrets.token_hex(16).upper()
    doc.xref_set_key(-1, "ID", f"[<{fresh}><{fresh}>]")
    # last, with no page loaded: objects are rewritten here
    _keep_keys(doc, doc.pdf_catalog(), _CATALOG_KEEP)
    for index in range(doc.page_count):
        _keep_keys(doc, doc.page_xref(index), _PAGE_KEEP)


def _keep_keys(doc: pymupdf.Document, xref: int, keep: frozenset[str]) -> None:
    """Delete the keys of dictionary object ``xref`` (not a stream) that are not in ``keep``."""
    dropped = {key for key in doc.xref_get_keys(xref) if key not in keep}
    if not dropped:
        return
    for key in dropped:
        doc.xref_set_key(xref, key, "null")  # whatever the value was, it is now one line
    # a null value means "absent", but leave no trace of the key: MuPDF writes one top-level key a line
    lines = doc.xref_object(xref).splitlines()
    kept = [
        line
        for line in lines
        if not (line.startswith("  /") and line.endswith(" null") and line[3:-5] in dropped)
    ]
    doc.update_object(xref, "\n".join(kept))


def _is_content_stream(doc: pymupdf.Document, xref: int) -> bool:
    """Form XObjects and tiling patterns: streams of drawing operators (page contents are done apart)."""
    subtype: str = doc.xref_get_key(xref, "Subtype")[1]
    pattern: str = doc.xref_get_key(xref, "PatternType")[1]
    return subtype == "/Form" or pattern == "1"


def _stream_filter(doc: pymupdf.Document, xref: int) -> str:
    kind: str
    value: str
    kind, value = doc.xref_get_key(xref, "Filter")
    if kind == "array":
        names = value.strip("[] ").split()
        return names[0] if len(names) == 1 else value
    return value


def _scrub_content_stream(doc: pymupdf.Document, xref: int) -> None:
    data = doc.xref_stream(xref)
    if not data:
        return
    cleaned = strip_marked_content_properties(data)
    if cleaned != data:
        doc.update_stream(xref, cleaned)


def _scrub_jpeg_stream(doc: pymupdf.Document, xref: int) -> int:
    data = doc.xref_stream_raw(xref)
    cleaned = strip_jpeg_metadata(data)
    if cleaned == data:
        return 0
    # update_stream stores the bytes as they are and drops /Filter; give it back
    doc.update_stream(xref, cleaned, compress=False)
    doc.xref_set_key(xref, "Filter", "/DCTDecode")
    return 1


def _has_scripts(doc: pymupdf.Document) -> bool:
    return any(_SCRIPT.search(_object_text(doc, xref)) for xref in range(1, doc.xref_length()))


def _object_text(doc: pymupdf.Document, xref: int) -> str:
    """The object's source, or "" for a broken one (MuPDF does not write those: they become null)."""
    try:
        text: str = doc.xref_object(xref)
    except _MUPDF_ERRORS:
        return ""
    return text


# --------------------------------------------------------------------------
# writing and checking the copy
# --------------------------------------------------------------------------


def _write_checked(doc: pymupdf.Document, out: Path, areas: dict[int, _PageAreas]) -> None:
    """Save the whole document to a new file beside ``out``, check it, then move it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        try:
            # a full save (never incremental): one revision, unused objects collected (garbage=4
            # also merges duplicates), content streams rewritten (clean) and compressed (deflate)
            doc.save(
                temp_name,
                garbage=4,
                deflate=True,
                clean=True,
                incremental=False,
                no_new_id=True,
                encryption=_ENCRYPT_NONE,
                preserve_metadata=0,
            )
        except _MUPDF_ERRORS as exc:
            raise RedactionError(f"the redacted copy could not be written ({_one_line(exc)})") from None
        _check_copy(temp, doc.page_count, areas)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _check_copy(path: Path, page_count: int, areas: dict[int, _PageAreas]) -> None:
    """Open the written copy afresh and refuse it if anything that should be gone is still there."""
    with pymupdf.open(str(path)) as copy:
        problems: list[str] = []
        if copy.is_encrypted or copy.page_count != page_count:
            problems.append("it does not open as the same pages")
        for number, on in areas.items():
            page = copy[number - 1]
            for char in _chars(page):
                bbox = pymupdf.Rect(char["bbox"])
                centre = pymupdf.Point((bbox.x0 + bbox.x1) / 2, (bbox.y0 + bbox.y1) / 2)
                if any(centre in rect for rect in on.rects):
                    problems.append(f"text remains under a redaction on page {number}")
                    break
        for page in _pages(copy):
            if page.annot_xrefs():
                problems.append(f"page {page.number + 1} still has annotations or links")
                break
        if any(value for key, value in (copy.metadata or {}).items() if key not in ("format", "encryption")):
            problems.append("document metadata remains")
        if copy.get_xml_metadata() or copy.embfile_count() or _has_scripts(copy):
            problems.append("XMP metadata, attached files or scripts remain")
        if problems:
            raise RedactionError("the redacted copy failed its own check (" + "; ".join(problems) + ")")


def _chars(page: pymupdf.Page) -> Iterable[dict[str, object]]:
    raw = page.get_text("rawdict", flags=pymupdf.TEXT_PRESERVE_WHITESPACE)
    for block in raw.get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                yield from span.get("chars", [])


# --------------------------------------------------------------------------
# byte-level scrubbers (pure functions)
# --------------------------------------------------------------------------


def strip_marked_content_properties(data: bytes) -> bytes:
    """Drop the property lists of marked content from a content stream, except optional content.

    ``/Span <</ActualText (…) /Alt (…)>> BDC`` becomes ``/Span BMC`` (and ``DP`` becomes ``MP``): such
    lists can hold the text a redaction removed, as replacement text, alternate descriptions or
    expansions. ``/OC`` (layers) keeps its properties, it decides what is shown. Raises
    :class:`RedactionError` on syntax it cannot follow rather than guess.
    """
    if b"BDC" not in data and b"DP" not in data:
        return data
    try:
        edits = _marked_content_edits(data)
    except _Unparsable:
        raise RedactionError(
            "a content stream of the document could not be checked for hidden replacement text; "
            "no redacted copy was made"
        ) from None
    if not edits:
        return data
    parts: list[bytes] = []
    last = 0
    for start, stop, replacement in edits:
        parts += [data[last:start], replacement]
        last = stop
    parts.append(data[last:])
    return b"".join(parts)


def _marked_content_edits(data: bytes) -> list[tuple[int, int, bytes]]:
    """Where ``tag properties BDC`` (or ``DP``) is, as (start, end, replacement) of ``properties BDC``."""
    edits: list[tuple[int, int, bytes]] = []
    operands: list[tuple[int, bytes]] = []
    i, n = 0, len(data)
    while True:
        i = _skip_space(data, i)
        if i >= n:
            break
        c = data[i]
        if c == 0x2F:  # /name
            end = _end_of_word(data, i + 1)
            operands.append((i, data[i:end]))
        elif c == 0x28:  # (string)
            end = _end_of_string(data, i)
            operands.append((i, b"("))
        elif c == 0x5B or data.startswith(b"<<", i):  # [array] or <<dict>>
            end = _end_of_composite(data, i)
            operands.append((i, b"<<"))
        elif c == 0x3C:  # <hex string>
            end = data.find(b">", i)
            if end < 0:
                raise _Unparsable
            end += 1
            operands.append((i, b"<"))
        elif c in _DELIMITERS:
            raise _Unparsable
        else:
            end = _end_of_word(data, i)
            word = data[i:end]
            if _NUMBER.fullmatch(word) or word in (b"true", b"false", b"null"):
                operands.append((i, word))
            else:
                if word == b"BI":
                    end = _end_of_inline_image(data, end)
                elif word in (b"BDC", b"DP") and len(operands) >= 2:
                    tag = operands[-2][1]
                    if tag.startswith(b"/") and tag != b"/OC":
                        edits.append((operands[-1][0], end, b"BMC" if word == b"BDC" else b"MP"))
                operands.clear()
        i = end
    return edits


def _skip_space(data: bytes, i: int) -> int:
    n = len(data)
    while i < n:
        if data[i] in _WHITESPACE:
            i += 1
        elif data[i] == 0x25:  # % comment to the end of the line
            while i < n and data[i] not in b"\r\n":
                i += 1
        else:
            break
    return i


def _end_of_word(data: bytes, i: int) -> int:
    n = len(data)
    while i < n and data[i] not in _WHITESPACE and data[i] not in _DELIMITERS:
        i += 1
    return i


def _end_of_string(data: bytes, i: int) -> int:
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash escapes the next byte
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise _Unparsable


def _end_of_composite(data: bytes, i: int) -> int:
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if data.startswith(b"<<", i) or data.startswith(b">>", i):
            depth += 1 if c == 0x3C else -1
            i += 2
        elif c in b"[]":
            depth += 1 if c == 0x5B else -1
            i += 1
        elif c == 0x28:
            i = _end_of_string(data, i)
            continue
        elif c == 0x3C:
            end = data.find(b">", i)
            if end < 0:
                raise _Unparsable
            i = end + 1
        elif c == 0x25:
            i = _skip_space(data, i)
            continue
        else:
            i += 1
        if depth == 0:
            return i
        if depth < 0:
            break
    raise _Unparsable


def _end_of_inline_image(data: bytes, i: int) -> int:
    """Skip an inline image from just after ``BI`` to just after its ``EI``."""
    start = data.find(b"ID", i)
    if start < 0:
        raise _Unparsable
    found = _END_OF_INLINE_IMAGE.search(data, start + 3)
    if found is None:
        raise _Unparsable
    return found.end()


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Return the JPEG ``data`` without its metadata segments; the compressed pixels are kept as they are.

    Drops APP0 to APP13, APP15 and comments (EXIF with its embedded thumbnail, JFIF thumbnails, XMP,
    ICC, Photoshop/IPTC) wherever they are, between scans too, and whatever follows the end-of-image
    marker (a phone's appended pictures or depth map, or anything hidden after the image); keeps
    APP14 (Adobe colour transform) which decoding needs. Data that is not a well-formed JPEG up to
    its first scan is returned unchanged; a JPEG cut short keeps what it has after its last marker.
    """
    if not data.startswith(b"\xff\xd8"):
        return data
    parts = [data[:2]]
    i, n = 2, len(data)
    scanned = False
    while i + 2 <= n:
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of image: nothing after it is part of the picture
            parts.append(data[i : i + 2])
            return b"".join(parts)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            parts.append(data[i : i + 2])
            i += 2
            continue
        if i + 4 > n:
            break
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > n:
            break
        if marker not in _JPEG_DROP:
            parts.append(data[i : i + 2 + length])
        i += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded pixels up to the next real marker
            scanned = True
            end = _end_of_scan(data, i)
            parts.append(data[i:end])
            i = end
    if not scanned:
        return data
    parts.append(data[i:])  # cut short inside a marker: keep the rest as it was
    return b"".join(parts)


def _end_of_scan(data: bytes, i: int) -> int:
    """Where the entropy-coded data starting at ``i`` ends: the next marker that is not a stuffed
    0xFF00, a restart marker or a fill byte (or the end of the data)."""
    n = len(data)
    while True:
        i = data.find(b"\xff", i)
        if i < 0 or i + 1 >= n:
            return n
        following = data[i + 1]
        if following != 0x00 and not 0xD0 <= following <= 0xD7:
            return i
        i += 2


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def _covered_fraction(bounds: pymupdf.Rect, rects: Sequence[pymupdf.Rect]) -> float:
    """Share of ``bounds`` covered by the union of ``rects`` (overlapping areas counted once)."""
    page_area = bounds.width * bounds.height
    if page_area <= 0:
        return 0.0
    xs = sorted({r.x0 for r in rects} | {r.x1 for r in rects})
    covered = 0.0
    for left, right in itertools.pairwise(xs):
        spans = sorted((r.y0, r.y1) for r in rects if r.x0 <= left and r.x1 >= right)
        height, top, bottom = 0.0, -math.inf, -math.inf
        for y0, y1 in spans:
            if y0 > bottom:
                height += bottom - top if bottom > top else 0.0
                top, bottom = y0, y1
            else:
                bottom = max(bottom, y1)
        height += bottom - top if bottom > top else 0.0
        covered += height * (right - left)
    return float(round(min(1.0, covered / page_area), 6))


def _pages(doc: pymupdf.Document) -> Iterator[pymupdf.Page]:
    for index in range(doc.page_count):
        yield doc.load_page(index)


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number:,} {many}"


def _were(number: int) -> str:
    return "was" if number == 1 else "were"


def _it_they(number: int) -> str:
    return "it" if number == 1 else "they"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__
