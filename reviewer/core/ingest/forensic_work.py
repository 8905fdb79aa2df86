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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
import pymupdf

from reviewer.core.forensics import region_match
from reviewer.core.forensics.image import image_signals
from reviewer.core.forensics.pdf import pdf_signals
from reviewer.core.ingest.analyse import thumbnail_phash
from reviewer.core.ingest.forensic_tasks import (
    ClipTask,
    Pixels,
    RegionFeaturesResult,
    RegionFeaturesTask,
    RegionFound,
    RegionSearchTask,
    RegionTemplate,
    RegionTemplateTask,
    SignalsResult,
    SignalsTask,
    UnwarpTask,
)
from reviewer.core.workers.child import Refusal

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray


MAX_PIXELS = 40_000_000
#: Pages without a picture filling them have no pixels of their own: region search draws them at this.
VECTOR_DPI = 150.0
_TEMPLATES: OrderedDict[str, region_match.Template] = OrderedDict()  # a worker keeps its last few


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


# -- region search ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeptFeatures:
    """A page's region-search keypoints, the dpi it was drawn at for them, and its own resolution."""

    features: region_match.Features
    dpi: float
    native_dpi: float


def native_dpi(page: pymupdf.Page) -> float:
    """A page's own resolution: its picture's, if one fills most of it (a scan, a photo), else 150.

    A photo's page size in points follows whatever DPI its header claims; its pixels do not. Sizes
    found by region search are measured in these pixels.
    """
    area = abs(page.rect.width * page.rect.height)
    try:
        infos = page.get_image_info()
    except (RuntimeError, ValueError):
        return VECTOR_DPI
    best: tuple[float, float] | None = None
    for info in infos:
        box = pymupdf.Rect(info["bbox"])
        covered = abs(box.width * box.height)
        if box.width <= 0 or info.get("width", 0) <= 0 or covered < 0.5 * area:
            continue
        if best is None or covered > best[0]:
            best = (covered, info["width"] / (box.width / 72.0))
    return max(36.0, min(1200.0, best[1])) if best else VECTOR_DPI


def search_dpi(page: pymupdf.Page, native: float) -> float:
    """The dpi a page is drawn at for region search: its own, lowered so it is at most WORK_SIDE long."""
    longest = max(abs(page.rect.width), abs(page.rect.height)) / 72.0
    if longest <= 0:
        return native
    return min(native, float(region_match.WORK_SIDE) / float(longest))


def region_template_pixels(task: RegionTemplateTask) -> RegionTemplate:
    """An annotated region drawn as region search sees it (its page's own pixels); refused if blank."""
    with _open(task.path, task.password) as doc:
        page = _page(doc, task.page)
        native = native_dpi(page)
        pixels, used = draw_unrotated(page, search_dpi(page, native), grey=True)
    region = _crop(pixels, task.rect, used)
    try:
        region_match.region_template(region)
    except ValueError as exc:
        raise Refusal(str(exc)) from None
    factor = used / 72.0
    origin = (max(0, int(task.rect[0] * factor)) / factor, max(0, int(task.rect[1] * factor)) / factor)
    return RegionTemplate(_pixels(region, used), origin, native)


def region_search(task: RegionSearchTask, beat: Callable[[], None]) -> tuple[RegionFound, ...]:
    """Look for the template on the task's pages, building (and keeping) each page's keypoints.

    Pages are drawn at their own resolution (at most WORK_SIDE pixels long); a page's pixels are drawn
    again only where its kept keypoints say the template may be, to compare them.
    """
    cv2.setNumThreads(1)  # the pool runs a worker per core already
    template = _TEMPLATES.pop(task.template_key, None)
    if template is None:
        try:
            template = region_match.region_template(task.template.pixels.array())
        except ValueError as exc:
            raise Refusal(str(exc)) from None
    _TEMPLATES[task.template_key] = template
    while len(_TEMPLATES) > 3:
        _TEMPLATES.popitem(last=False)
    found: list[RegionFound] = []
    least = task.threshold if task.threshold is not None else region_match.MIN_CORRELATION
    doc: pymupdf.Document | None = None
    try:
        for number, kept_at in zip(task.pages, task.feature_paths, strict=True):
            kept = load_features(Path(kept_at))
            pixels: NDArray[np.uint8] | None = None
            if kept is None:
                if doc is None:
                    doc = _open(task.path, task.password)
                made = _build_kept(doc, number, Path(kept_at))
                if made is None:
                    beat()
                    continue  # a page that cannot be drawn has no stamp to find
                kept, pixels = made
            candidates = region_match.find_candidates(template, kept.features)
            if candidates and pixels is None:
                if doc is None:
                    doc = _open(task.path, task.password)
                pixels, _used = draw_unrotated(_page(doc, number), kept.dpi, grey=True)
            for candidate in candidates:
                assert pixels is not None
                match = region_match.verify(template, pixels, candidate)
                if match.correlation >= least:
                    found.append(_found(task, number, match, kept))
            beat()
    finally:
        if doc is not None:
            doc.close()
    return tuple(found)


def region_features(task: RegionFeaturesTask, beat: Callable[[], None]) -> RegionFeaturesResult:
    """Build and keep the keypoints of the task's pages whose kept ones are missing, damaged or outdated.

    What :func:`region_search` would build on its first look, done ahead (a queue's features job). A
    page whose kept keypoints are current is left as it is, its file not even rewritten: the job can
    run again, or twice at once, to no harm. Refused if the keypoints cannot be kept.
    """
    cv2.setNumThreads(1)  # the pool runs a worker per core already
    built: list[int] = []
    current: list[int] = []
    undrawable: list[int] = []
    doc: pymupdf.Document | None = None
    try:
        for number, kept_at in zip(task.pages, task.feature_paths, strict=True):
            if features_current(Path(kept_at)):
                current.append(number)
            else:
                if doc is None:
                    doc = _open(task.path, task.password)
                made = _build_kept(doc, number, Path(kept_at))
                if made is None:
                    undrawable.append(number)
                elif features_current(Path(kept_at)):
                    built.append(number)
                else:
                    raise Refusal(f"the page's keypoints cannot be kept in {Path(kept_at).parent}")
            beat()
    finally:
        if doc is not None:
            doc.close()
    return RegionFeaturesResult(tuple(built), tuple(current), tuple(undrawable))


def _build_kept(
    doc: pymupdf.Document, number: int, kept_at: Path
) -> tuple[KeptFeatures, NDArray[np.uint8]] | None:
    """A page's keypoints (kept at ``kept_at``) and the pixels they came from; None if it cannot be drawn."""
    try:
        page = _page(doc, number)
        native = native_dpi(page)
        pixels, used = draw_unrotated(page, search_dpi(page, native), grey=True)
    except (RuntimeError, ValueError):
        return None
    kept = KeptFeatures(region_match.page_features(pixels), used, native)
    save_features(kept_at, kept)
    return kept, pixels


def features_current(path: Path) -> bool:
    """Whether a page's kept keypoints are of this version (reads only the version, not the keypoints)."""
    try:
        with path.open("rb") as file, np.load(file) as kept:  # np.load leaks its own file on a bad zip
            members = set(kept.files)
            wanted = {"version", "points", "descriptors", "size", "dpi", "native_dpi"}
            return wanted <= members and int(kept["version"]) == region_match.FEATURES_VERSION
    except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile):
        return False


def _found(task: RegionSearchTask, number: int, match: region_match.Match, kept: KeptFeatures) -> RegionFound:
    """A match in pixels as a place in points, its size measured in each page's own pixels."""
    template = task.template
    t_dpi = template.pixels.dpi
    factor = t_dpi / 72.0
    ox, oy = template.origin
    to_template_px = np.array([[factor, 0, -ox * factor], [0, factor, -oy * factor], [0, 0, 1]])
    to_points = np.diag([72.0 / kept.dpi, 72.0 / kept.dpi, 1.0])
    homography = to_points @ match.matrix() @ to_template_px
    homography /= homography[2, 2]
    rect = tuple(v * 72.0 / kept.dpi for v in match.box)
    scale = match.scale * (kept.native_dpi / kept.dpi) / (template.native_dpi / t_dpi)
    return RegionFound(
        task.document_id,
        number,
        (rect[0], rect[1], rect[2], rect[3]),
        match.correlation,
        round(scale, 3),
        match.angle,
        match.inliers,
        match.slant,
        tuple(float(v) for v in homography.ravel()),
    )


def unwarp_region(task: UnwarpTask) -> Pixels:
    """The place a homography maps a template region onto, drawn back in the region's frame (RGB).

    What Compare lays over the template: the same size, turn and slant, so the two can be told apart
    stroke by stroke.
    """
    # the same pixels as the region's own crop (:func:`_crop`), so the two lie exactly over each other
    factor = task.dpi / 72.0
    left, top = max(0, int(task.rect[0] * factor)), max(0, int(task.rect[1] * factor))
    right, bottom = int(np.ceil(task.rect[2] * factor)), int(np.ceil(task.rect[3] * factor))
    size = (max(1, right - left), max(1, bottom - top))
    x0, y0 = left / factor, top / factor
    homography = np.array(task.homography, np.float64).reshape(3, 3)
    with _open(task.path, task.password) as doc:
        pixels, used = draw_unrotated(_page(doc, task.page), task.dpi, grey=False)
    from_region = np.array([[1 / factor, 0, x0], [0, 1 / factor, y0], [0, 0, 1]])
    mapping = np.diag([used / 72.0, used / 72.0, 1.0]) @ homography @ from_region
    return _pixels(region_match.unwarp(pixels, mapping, size, (0.0, 0.0)), task.dpi)


def load_features(path: Path) -> KeptFeatures | None:
    """Kept keypoints, or None if there are none, they are of another version or cannot be read."""
    try:
        with path.open("rb") as file, np.load(file) as kept:  # np.load leaks its own file on a bad zip
            if int(kept["version"]) != region_match.FEATURES_VERSION:
                return None
            width, height = (int(v) for v in kept["size"])
            features = region_match.Features(
                np.asarray(kept["points"], np.float32).reshape(-1, 2),
                np.asarray(kept["descriptors"], np.float32).reshape(-1, 128),
                width,
                height,
            )
            return KeptFeatures(features, float(kept["dpi"]), float(kept["native_dpi"]))
    except (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile):
        return None


def save_features(path: Path, kept: KeptFeatures) -> None:
    """Keep a page's keypoints (descriptors as bytes: SIFT's are whole numbers to 255), never half-written.

    An ``.npz`` that ``np.load`` reads, deflated at level 1: the default level takes far longer for
    little gain.
    """
    features = kept.features
    members = {
        "version": np.array(region_match.FEATURES_VERSION),
        "points": features.points,
        "descriptors": np.clip(np.rint(features.descriptors), 0, 255).astype(np.uint8),
        "size": np.array([features.width, features.height]),
        "dpi": np.array(kept.dpi),
        "native_dpi": np.array(kept.native_dpi),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in members.items():
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)  # derived data: a page not kept is drawn again next time
