"""What the window asks a render worker and what it gets back: plain, picklable data, without PyMuPDF."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RenderRequest:
    """Draw page ``page`` (1-based) of the original at ``path`` at ``zoom`` pixels per point.

    The page is drawn unrotated: the viewer turns it, so annotations stay in unrotated page points.
    """

    path: str
    page: int
    zoom: float
    password: str | None = None
    tag: object = None  # the caller's own key, returned untouched


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """RGB pixels of a drawn page (``stride`` bytes a row), or the reason there are none."""

    request: RenderRequest
    width: int = 0
    height: int = 0
    stride: int = 0
    samples: bytes = b""
    zoom: float = 0.0
    error: str | None = None
