"""What forensics on demand asks of a worker and gets back: plain, picklable data, without PyMuPDF.

The services import only this module; the PyMuPDF side (``forensic_work``) is imported in the workers,
by the job names of :mod:`reviewer.core.workers.registry`.
Pages are 1-based; rectangles are in points from the top-left of the unrotated page, as annotations
are, and pixels come from the page drawn unrotated (as the viewer draws it before turning it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class SignalsTask:
    """Compute the import-time signals and page hashes of an original already in the case."""

    path: str
    password: str | None
    is_pdf: bool
    is_image: bool
    received_on: str | None = None
    thumbnail_px: int = 200
    trust_roots: tuple[bytes, ...] = ()  # the case's (PEM or DER), for signatures and content credentials


@dataclass(frozen=True, slots=True)
class SignalsResult:
    """Signals (``Signal.as_dict``, pages 0-based) and (page number, phash hex) pairs."""

    signals: tuple[dict[str, Any], ...]
    hashes: tuple[tuple[int, str | None], ...]


@dataclass(frozen=True, slots=True)
class ClipTask:
    """Draw ``rect`` of page ``page`` at ``dpi``, grey or RGB."""

    path: str
    password: str | None
    page: int
    rect: Box
    dpi: float
    grey: bool = True


@dataclass(frozen=True, slots=True)
class Pixels:
    """Packed pixels (``channels`` bytes a pixel, no padding) and the dpi they were drawn at."""

    width: int
    height: int
    channels: int
    samples: bytes
    dpi: float

    def array(self) -> NDArray[np.uint8]:
        """The pixels as a numpy array (H×W, or H×W×channels)."""
        import numpy as np

        flat = np.frombuffer(self.samples, np.uint8)
        if self.channels == 1:
            return flat.reshape(self.height, self.width)
        return flat.reshape(self.height, self.width, self.channels)


@dataclass(frozen=True, slots=True)
class ElaTask:
    """The error-level overlay of page ``page``, drawn at ``dpi`` (None: the page's own image dpi)."""

    path: str
    password: str | None
    page: int
    dpi: float | None = None


@dataclass(frozen=True, slots=True)
class RegionTemplateTask:
    """Draw region ``rect`` of page ``page`` as region search sees it, and check it can be searched for."""

    path: str
    password: str | None
    page: int
    rect: Box


@dataclass(frozen=True, slots=True)
class RegionTemplate:
    """An annotated region as region search sees it: grey pixels of its page drawn at ``pixels.dpi``.

    ``origin`` is the pixels' top-left corner in points of the unrotated page; ``native_dpi`` the
    page's own resolution (its scan's or photo's pixels), against which sizes are measured.
    """

    pixels: Pixels
    origin: tuple[float, float]
    native_dpi: float


@dataclass(frozen=True, slots=True)
class RegionSearchTask:
    """Look for a template on some pages of one original; features are kept in ``feature_paths``.

    ``template_key`` lets a worker keep the template's keypoints from one task to the next.
    """

    document_id: int
    path: str
    password: str | None
    pages: tuple[int, ...]
    feature_paths: tuple[str, ...]
    template: RegionTemplate
    template_key: str
    threshold: float | None = None


@dataclass(frozen=True, slots=True)
class RegionFound:
    """A place the template was found: page, box in points, how well it matches, size, turn, slant.

    ``score`` is how closely the un-warped pixels agree with the template's ink (at most 1), ``inliers``
    how many keypoint pairs agree on the mapping; ``scale`` is the size against the template's, each
    in its own page's pixels; ``angle`` the turn in degrees (counter-clockwise); ``slant`` 1 for a flat
    copy, more for a page seen at an angle. ``homography`` (3×3, row by row) maps points of the
    template's page onto points of this page.
    """

    document_id: int
    page: int
    rect: Box
    score: float
    scale: float
    angle: float
    inliers: int = 0
    slant: float = 1.0
    homography: tuple[float, ...] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)


@dataclass(frozen=True, slots=True)
class UnwarpTask:
    """Draw the place ``homography`` maps template region ``rect`` onto, brought back onto the region.

    ``homography`` maps points of the template's page onto points of page ``page`` of ``path``; the
    result is the region's size at ``dpi``, in RGB.
    """

    path: str
    password: str | None
    page: int
    homography: tuple[float, ...]
    rect: Box
    dpi: float


@dataclass(frozen=True, slots=True)
class RegionFeaturesTask:
    """Build and keep the region-search keypoints of some pages of one original, where not current.

    ``feature_paths`` are where region search reads them (``CaseLayout.region_features``), one a page.
    """

    document_id: int
    path: str
    password: str | None
    pages: tuple[int, ...]
    feature_paths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegionFeaturesResult:
    """Pages whose keypoints were built, were current already, or could not be drawn (nothing kept)."""

    built: tuple[int, ...] = ()
    current: tuple[int, ...] = ()
    undrawable: tuple[int, ...] = ()
