"""What the on-demand pixel checks (copy-move, error levels of the real JPEG) ask of a worker and get back.

Plain, picklable data without PyMuPDF or OpenCV, like :mod:`reviewer.core.ingest.forensic_tasks`; the
work is in :mod:`reviewer.core.ingest.pixel_work`, run in the workers. Pages are 1-based; boxes are
in points from the top-left of the unrotated page, as annotations are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CopyMoveTask:
    """Look for regions of page ``page`` that are copies of each other, the page drawn at ``dpi``."""

    path: str
    password: str | None
    page: int
    dpi: float = 200.0


@dataclass(frozen=True, slots=True)
class CopyMoveResult:
    """The copies found (``Signal.as_dict`` shapes, pages 0-based), the dpi used and the seconds it took."""

    signals: tuple[dict[str, Any], ...]
    dpi: float
    seconds: float


@dataclass(frozen=True, slots=True)
class ErrorLevels:
    """A page's error-level overlay (PNG, the whole unrotated page at ``dpi``) and how it was made.

    ``pictures`` lists the JPEGs whose own bytes were analysed (object number, pixel size, dpi on the
    page); empty when the page has none and the overlay is of the page as drawn.
    """

    png: bytes
    dpi: float
    pictures: tuple[dict[str, Any], ...] = ()

    @property
    def of_jpegs(self) -> bool:
        """Whether the levels are the embedded JPEGs' own, not the page's as drawn."""
        return bool(self.pictures)
