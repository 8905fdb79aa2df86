"""The PyMuPDF side of forensics on demand, run in worker processes: signals, crops, overlays, search.

Originals are opened read-only and never saved. Pages are drawn unrotated, like the viewer draws them
before turning them, so boxes in page points mean the same here as in annotations.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pymupdf

from reviewer.core.forensics.ela import error_levels_png
from reviewer.core.forensics.image import image_signals
from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.forensics.regions import (
    DEFAULT_THRESHOLD,
    FINE_DPI,
    PageFeatures,
    RegionTemplate,
    find_region,
    page_features,
    region_template,
)
from reviewer.core.ingest.analyse import thumbnail_phash
from reviewer.core.ingest.forensic_tasks import (
    ClipTask,
    ElaResult,
    ElaTask,
    Pixels,
    RegionFound,
    RegionSearchTask,
    SignalsResult,
    SignalsTask,
)
from reviewer.core.workers.child import Refusal

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray


MAX_PIXELS = 40_000_000
ELA_DEFAULT_DPI = 150.0
ELA_MAX_DPI = 300.0
_TEMPLATES: OrderedDict[str, RegionTemplate] = OrderedDict()  # a worker keeps its last few


def _open(path: str, password: str | None) -> pymupdf.Document:
    try:
        doc = pymupdf.open(path)
    except (RuntimeError, ValueError) as exc:
        raise Refusal(f"the original cannot be opened ({' '.join(str(exc).split())[:200]})") from None
    if doc.needs_pass and not doc.authenticate(password or ""):
        doc.close()
        raise Refusal("the document is encrypted and its password is not known")
    return doc


def _page(doc: pymupdf.Document, number: int) -> pymupdf.Page:
    if not 1 <= number <= doc.page_count:
        raise Refusal(f"the document has pages 1 to {doc.page_count}, not {number}")
    page: pymupdf.Page = doc.load_page(number - 1)
    return page


def draw_unrotated(page: pymupdf.Page, dpi: float, *, grey: bool) -> tuple[NDArray[np.uint8], float]:
    """The page drawn unrotated at ``dpi`` (lowered for huge pages) as H×W or H×W×3; and the dpi used."""
    zoom = dpi / 72.0
    area = page.rect.width * page.rect.height * zoom * zoom
    if area > MAX_PIXELS:
        zoom *= (MAX_PIXELS / area) ** 0.5 * 0.999
    matrix = page.derotation_matrix * pymupdf.Matrix(zoom, zoom)
    colours = pymupdf.csGRAY if grey else pymupdf.csRGB
    pix = page.get_pixmap(matrix=matrix, colorspace=colours, alpha=False)
    shape = (pix.height, pix.width) if grey else (pix.height, pix.width, 3)
    pixels = np.frombuffer(pix.samples, np.uint8).reshape(shape).copy()
    return pixels, zoom * 72.0


def _pixels(array: NDArray[np.uint8], dpi: float) -> Pixels:
    channels = 1 if array.ndim == 2 else array.shape[2]
    return Pixels(array.shape[1], array.shape[0], channels, np.ascontiguousarray(array).tobytes(), dpi)


def signals(task: SignalsTask, beat: Callable[[], None]) -> SignalsResult:
    """The import-time signals of an original, and each page's hash from a thumbnail drawn as at import."""
    received = None
    with contextlib.suppress(ValueError, TypeError):
        received = datetime.date.fromisoformat(task.received_on) if task.received_on else None
    if task.is_pdf:
        found = pdf_signals(
            task.path, password=task.password, received=received, trust_roots=task.trust_roots
        )
    elif task.is_image:
        found = image_signals(task.path, received=received, trust_roots=task.trust_roots)
    else:
        found = []
    beat()
    hashes: list[tuple[int, str | None]] = []
    with _open(task.path, task.password) as doc:
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)
                longest = max(page.rect.width, page.rect.height)
                scale = task.thumbnail_px / longest if longest > 0 else 0
                value = None
                if scale:
                    value = thumbnail_phash(page.get_pixmap(matrix=pymupdf.Matrix(scale, scale), alpha=False))
            except (RuntimeError, ValueError):
                value = None
            hashes.append((index + 1, value))
            beat()
    return SignalsResult(tuple(s.as_dict() for s in found), tuple(hashes))


def clip(task: ClipTask) -> Pixels:
    """A region of a page, drawn unrotated at ``task.dpi``."""
    with _open(task.path, task.password) as doc:
        pixels, dpi = draw_unrotated(_page(doc, task.page), task.dpi, grey=task.grey)
    return _pixels(_crop(pixels, task.rect, dpi), dpi)


def _crop(
    pixels: NDArray[np.uint8], rect: tuple[float, float, float, float], dpi: float
) -> NDArray[np.uint8]:
    factor = dpi / 72.0
    x0, y0, x1, y1 = rect
    height, width = pixels.shape[:2]
    left, top = max(0, int(x0 * factor)), max(0, int(y0 * factor))
    right, bottom = min(width, int(np.ceil(x1 * factor))), min(height, int(np.ceil(y1 * factor)))
    if right <= left or bottom <= top:
        raise Refusal("the region lies outside the page")
    return pixels[top:bottom, left:right]


def ela(task: ElaTask) -> ElaResult:
    """The error-level overlay of a page, at the resolution of its largest picture (or 150 dpi)."""
    with _open(task.path, task.password) as doc:
        page = _page(doc, task.page)
        dpi = task.dpi or _image_dpi(page) or ELA_DEFAULT_DPI
        pixels, used = draw_unrotated(page, min(dpi, ELA_MAX_DPI), grey=False)
    return ElaResult(error_levels_png(pixels), used)


def _image_dpi(page: pymupdf.Page) -> float | None:
    """The resolution of the largest picture on the page: drawn at it, the JPEG's blocks line up."""
    best: tuple[float, float] | None = None
    try:
        infos = page.get_image_info()
    except (RuntimeError, ValueError):
        return None
    for info in infos:
        box = pymupdf.Rect(info["bbox"])
        if box.width <= 0 or info.get("width", 0) <= 0:
            continue
        area = box.width * box.height
        if best is None or area > best[0]:
            best = (area, info["width"] / (box.width / 72.0))
    return best[1] if best else None


def region_search(task: RegionSearchTask, beat: Callable[[], None]) -> tuple[RegionFound, ...]:
    """Look for the template on the task's pages, building (and keeping) each page's features."""
    template = _TEMPLATES.pop(task.template_key, None)
    if template is None:
        try:
            template = region_template(task.template.array(), task.template.dpi)
        except ValueError as exc:
            raise Refusal(str(exc)) from None
    _TEMPLATES[task.template_key] = template
    while len(_TEMPLATES) > 3:
        _TEMPLATES.popitem(last=False)
    found: list[RegionFound] = []
    threshold = task.threshold if task.threshold is not None else DEFAULT_THRESHOLD
    doc: pymupdf.Document | None = None
    try:
        for number, kept in zip(task.pages, task.feature_paths, strict=True):
            features = load_features(Path(kept))
            if features is None:
                if doc is None:
                    doc = _open(task.path, task.password)
                try:
                    pixels, dpi = draw_unrotated(_page(doc, number), FINE_DPI, grey=True)
                except (RuntimeError, ValueError):
                    beat()
                    continue  # a page that cannot be drawn has no stamp to find
                features = page_features(pixels, dpi)
                save_features(Path(kept), features)
            for match in find_region(template, [(number, features)], threshold=threshold):
                found.append(
                    RegionFound(task.document_id, number, match.rect, match.score, match.scale, match.angle)
                )
            beat()
    finally:
        if doc is not None:
            doc.close()
    return tuple(found)


def load_features(path: Path) -> PageFeatures | None:
    """Kept features, or None if there are none (or they cannot be read: they are rebuilt)."""
    try:
        with np.load(path) as kept:
            level = kept["level0"]
            dpi = float(kept["dpi"])
    except (OSError, ValueError, KeyError, EOFError):
        return None
    return page_features(level, dpi)


def save_features(path: Path, features: PageFeatures) -> None:
    """Keep a page's finest level (the others are quick to rebuild), compressed; never half-written.

    An ``.npz`` that ``np.load`` reads, deflated at level 1: grainy scans hardly compress further, and
    the default level takes five times longer (~95 ms a page, most of a first search).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in (("level0", features.levels[0]), ("dpi", np.array(features.dpi))):
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)  # derived data: a page not kept is drawn again next time
