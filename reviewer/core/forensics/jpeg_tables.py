"""JPEG quantisation tables compared across the pages of one document.

Every program that writes a JPEG chooses its quantisation tables: a scanner's firmware, a phone, an
image editor each have their own, and the "quality" setting scales them. The pages of one scan share
one set. A page whose picture was made, or opened and saved again, by other software carries other
tables, and stands out from its neighbours even when it looks the same.

Read from each picture's header only (Pillow's ``image.quantization``); no pixel is decoded.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image, UnidentifiedImageError

from reviewer.core.forensics.jpeg import estimate_quality
from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.forensics.placements import placed_images
from reviewer.core.forensics.signals import Severity, Signal

if TYPE_CHECKING:
    import pymupdf

    from reviewer.core.forensics.placements import Placements

#: A picture covering at least this share of its page is the page's picture (its scan or photo);
#: smaller ones (a logo, a stamp placed over the scan) are made separately as a matter of course.
PAGE_PICTURE_COVER = 0.5
MAX_PAGES = 2_000
_MAX_JPEG_BYTES = 64 << 20

Tables = tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class PageTables:
    """The quantisation tables of one page's picture: 0-based ``page``, the PDF object ``xref``."""

    page: int
    xref: int
    tables: Tables


def tables_of(data: bytes) -> Tables | None:
    """The quantisation tables of a JPEG (in table-number order), or None if it is not a readable JPEG."""
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            found = getattr(image, "quantization", None)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None
    if not found:
        return None
    return tuple(tuple(int(v) for v in found[key]) for key in sorted(found))


def page_tables(doc: pymupdf.Document, placements: Placements | None = None) -> list[PageTables]:
    """The tables of each page's picture (the largest JPEG covering half the page or more), in page order.

    ``placements`` are pages' image placements the caller has read already (see ``placed_images``).
    """
    found: list[PageTables] = []
    seen: dict[int, Tables | None] = {}
    for number in range(min(doc.page_count, MAX_PAGES)):
        try:
            page = doc.load_page(number)
            area = abs(page.rect.width * page.rect.height)
            listed = page.get_images(full=True)
            if not any(entry[8] == "DCTDecode" for entry in listed):
                continue  # no JPEG on the page: nothing to place
            # xrefs=True would decode every picture to hash it; pairing by pixel size reads nothing
            placed_here = placed_images(page, placements)
        except MUPDF_ERRORS:
            continue
        by_size: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
        for entry in listed:
            by_size[(entry[2], entry[3])].append(entry)
        best: tuple[float, int] | None = None
        for placed in placed_here:
            same_size = by_size.get((placed.get("width"), placed.get("height")), [])
            if len(same_size) != 1 or same_size[0][8] != "DCTDecode":
                continue
            x0, y0, x1, y1 = placed.get("bbox", (0, 0, 0, 0))
            cover = abs((x1 - x0) * (y1 - y0)) / area if area > 0 else 0.0
            if cover >= PAGE_PICTURE_COVER and (best is None or cover > best[0]):
                best = (cover, int(same_size[0][0]))
        if best is None:
            continue
        xref = best[1]
        if xref not in seen:
            seen[xref] = _read_tables(doc, xref)
        tables = seen[xref]
        if tables is not None:
            found.append(PageTables(number, xref, tables))
    return found


def _read_tables(doc: pymupdf.Document, xref: int) -> Tables | None:
    try:
        data = doc.xref_stream_raw(xref)
    except MUPDF_ERRORS:
        return None
    if not data or len(data) > _MAX_JPEG_BYTES:
        return None
    return tables_of(bytes(data))


def table_signals(pages: list[PageTables]) -> list[Signal]:
    """A notice for each page whose picture's tables differ from most pages'; nothing when all agree.

    With no set of tables shared by more pages than any other, one notice lists the sets instead.
    """
    groups: dict[Tables, list[PageTables]] = defaultdict(list)
    for entry in pages:
        groups[entry.tables].append(entry)
    if len(groups) < 2:
        return []
    ranked = sorted(groups.values(), key=lambda g: (-len(g), g[0].page))
    usual = ranked[0]
    described = [_describe(group) for group in ranked]
    if len(usual) == len(ranked[1]):
        return [
            Signal(
                "pdf.jpeg_tables_differ",
                Severity.NOTICE,
                f"The page pictures were saved by {len(groups)} different JPEG encoders or settings",
                "Each page's picture carries the quantisation tables of the program that last saved "
                "it. The pages of one scan share one set; here no set is shared by most pages. Pages "
                "scanned on different machines, or saved again by other software, look like this.",
                {"groups": described},
            )
        ]
    found = []
    common = described[0]
    for group, description in zip(ranked[1:], described[1:], strict=True):
        for entry in group:
            quality = description["quality"]
            found.append(
                Signal(
                    "pdf.jpeg_tables_differ",
                    Severity.NOTICE,
                    f"Page {entry.page + 1}: its picture was saved by other software or settings",
                    "The page's picture carries other JPEG quantisation tables than most pages "
                    f"(quality about {quality} against about {common['quality']}). The pages of one "
                    "scan share one set: this page was scanned separately, or opened and saved again "
                    "by another program (an editor, a messenger) before it was put in the file.",
                    {
                        "object": entry.xref,
                        "quality": quality,
                        "standard_tables": description["standard_tables"],
                        "pages_like_it": description["pages"],
                        "usual_quality": common["quality"],
                        "usual_standard_tables": common["standard_tables"],
                        "usual_pages": common["pages"],
                    },
                    entry.page,
                )
            )
    return found


def _describe(group: list[PageTables]) -> dict[str, Any]:
    tables = group[0].tables
    estimate = estimate_quality(dict(enumerate(list(t) for t in tables)))
    return {
        "quality": estimate.estimate if estimate else None,
        "standard_tables": estimate.standard if estimate else None,
        "tables": len(tables),
        "pages": [entry.page + 1 for entry in group][:200],
    }


def document_table_signals(doc: pymupdf.Document, placements: Placements | None = None) -> list[Signal]:
    """:func:`table_signals` of an open PDF: what the import calls."""
    return table_signals(page_tables(doc, placements))
