"""The PyMuPDF side of the on-demand pixel checks, run in worker processes: copy-move and real-JPEG ELA.

Originals are opened read-only and never saved. Pages are drawn unrotated, like the viewer draws them
before turning them, so boxes in page points mean the same here as in annotations.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
import pymupdf

from reviewer.core.forensics.copy_move import copy_move_signal, find_copies
from reviewer.core.forensics.ela import error_levels_png
from reviewer.core.forensics.jpeg_ela import PlacedJpeg, mapped_error_levels, overlay_png, picture_dpi
from reviewer.core.forensics.mupdf_errors import MUPDF_ERRORS
from reviewer.core.ingest.forensic_work import MAX_PIXELS, _open, _page, draw_unrotated
from reviewer.core.ingest.pixel_tasks import CopyMoveResult, CopyMoveTask, ErrorLevels

if TYPE_CHECKING:
    from reviewer.core.ingest.forensic_tasks import ElaTask

Box = tuple[float, float, float, float]

ELA_DEFAULT_DPI = 150.0  # a page without pictures
ELA_MAX_DPI = 300.0
_MAX_PICTURES = 50  # JPEGs laid onto one page's overlay; more is a mosaic, drawn as the page instead
_TYPED_COVER = 0.5  # a copy this much covered by the file's own visible text is typed text, not pixels


def copy_move(task: CopyMoveTask) -> CopyMoveResult:
    """The regions of one page that are copies of each other, as signals with boxes in points."""
    started = time.perf_counter()
    with _open(task.path, task.password) as doc:
        page = _page(doc, task.page)
        pixels, dpi = draw_unrotated(page, task.dpi, grey=True)
        typed = _typed_boxes(page)
    factor = 72.0 / dpi
    found = [c.scaled(factor) for c in find_copies(pixels, dpi)]
    # a born-digital page draws each letter the same way every time: repeated text of the file's own
    # text layer is the same glyph twice, not a copy of pixels
    kept = [c for c in found if not (_covered(c.source, typed) and _covered(c.copy, typed))]
    signals = tuple(copy_move_signal(c, task.page - 1).as_dict() for c in kept)
    return CopyMoveResult(signals, dpi, round(time.perf_counter() - started, 3))


def _typed_boxes(page: pymupdf.Page) -> list[Box]:
    """Boxes of the visible text the page draws (not the invisible OCR layer under a scan)."""
    try:
        traces = page.get_texttrace()
    except MUPDF_ERRORS:
        return []
    return [
        tuple(float(v) for v in t["bbox"])  # type: ignore[misc]
        for t in traces
        if t.get("type") != 3 and t.get("opacity", 1) > 0 and t.get("bbox")
    ]


def _covered(box: Box, typed: list[Box]) -> bool:
    """Whether at least half of ``box`` lies under the given text boxes (measured on a 1-point grid)."""
    x0, y0, x1, y1 = box
    width, height = max(1, int(np.ceil(x1 - x0))), max(1, int(np.ceil(y1 - y0)))
    grid = np.zeros((height, width), bool)
    for tx0, ty0, tx1, ty1 in typed:
        left, top = max(0, int(tx0 - x0)), max(0, int(ty0 - y0))
        right, bottom = min(width, int(np.ceil(tx1 - x0))), min(height, int(np.ceil(ty1 - y0)))
        if right > left and bottom > top:
            grid[top:bottom, left:right] = True
    return bool(typed) and float(grid.mean()) >= _TYPED_COVER


def ela(task: ElaTask) -> ErrorLevels:
    """A page's error levels: its JPEGs' own, mapped onto the page; the page as drawn if it has none."""
    with _open(task.path, task.password) as doc:
        page = _page(doc, task.page)
        unrotated = page.rect * page.derotation_matrix
        size = (abs(unrotated.width), abs(unrotated.height))
        placed = _placed_jpegs(doc, page, task.path)
        if placed and task.dpi is None:
            dpi = max(picture_dpi(_width(p), p.transform) for p in placed)
            dpi = min(dpi or ELA_DEFAULT_DPI, ELA_MAX_DPI)
            area = size[0] * size[1] * (dpi / 72.0) ** 2
            if area > MAX_PIXELS:
                dpi *= (MAX_PIXELS / area) ** 0.5 * 0.999
            mapped = mapped_error_levels(placed, size, dpi)
            if mapped is not None:
                return ErrorLevels(overlay_png(mapped.overlay), mapped.dpi, mapped.pictures)
        dpi = task.dpi or _image_dpi(page) or ELA_DEFAULT_DPI
        pixels, used = draw_unrotated(page, min(dpi, ELA_MAX_DPI), grey=False)
    return ErrorLevels(error_levels_png(pixels), used)


def _image_dpi(page: pymupdf.Page) -> float | None:
    """The resolution of the largest picture on the page: a page without JPEGs is drawn at it."""
    best: tuple[float, float] | None = None
    try:
        infos = page.get_image_info()
    except MUPDF_ERRORS:
        return None
    for info in infos:
        box = pymupdf.Rect(info["bbox"])
        if box.width <= 0 or info.get("width", 0) <= 0:
            continue
        area = box.width * box.height
        if best is None or area > best[0]:
            best = (area, info["width"] / (box.width / 72.0))
    return best[1] if best else None


def _width(placed: PlacedJpeg) -> int:
    """The pixel width in a JPEG's frame header (SOFn), without decoding it; 0 if it is not found."""
    data = placed.data
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return 0
        marker = data[index + 1]
        length = int.from_bytes(data[index + 2 : index + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            return int.from_bytes(data[index + 7 : index + 9], "big")
        index += 2 + length
    return 0


def _placed_jpegs(doc: pymupdf.Document, page: pymupdf.Page, path: str) -> list[PlacedJpeg]:
    """The JPEGs the page draws, each with its own bytes (never re-encoded) and its placement."""
    try:
        infos = page.get_image_info(xrefs=doc.is_pdf)
    except MUPDF_ERRORS:
        return []
    if not doc.is_pdf:
        # a JPEG file is its one page; MuPDF's placement turns it as its EXIF orientation says
        with open(path, "rb") as handle:
            data = handle.read(3)
            if data != b"\xff\xd8\xff" or doc.page_count != 1 or len(infos) != 1:
                return []
            data += handle.read()
        return [PlacedJpeg(data, tuple(float(v) for v in infos[0]["transform"]))]  # type: ignore[arg-type]
    placed: list[PlacedJpeg] = []
    for info in infos[:_MAX_PICTURES]:
        xref = int(info.get("xref") or 0)
        if xref <= 0:
            continue
        try:
            extracted = doc.extract_image(xref)
        except MUPDF_ERRORS:
            continue
        if not extracted or extracted.get("ext") not in ("jpeg", "jpg"):
            continue
        transform = tuple(float(v) for v in info["transform"])
        placed.append(PlacedJpeg(bytes(extracted["image"]), transform, xref))  # type: ignore[arg-type]
    return placed
