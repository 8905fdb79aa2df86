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
class ElaResult:
    """A PNG overlay the size of the page drawn at ``dpi``."""

    png: bytes
    dpi: float


@dataclass(frozen=True, slots=True)
class RegionSearchTask:
    """Look for a template on some pages of one original; features are kept in ``feature_paths``.

    ``template_key`` lets a worker keep the template's prepared variants from one task to the next.
    """

    document_id: int
    path: str
    password: str | None
    pages: tuple[int, ...]
    feature_paths: tuple[str, ...]
    template: Pixels
    template_key: str
    threshold: float | None = None


@dataclass(frozen=True, slots=True)
class RegionFound:
    """A place the template was found: page, box in points, score, size and turn."""

    document_id: int
    page: int
    rect: Box
    score: float
    scale: float
    angle: float
