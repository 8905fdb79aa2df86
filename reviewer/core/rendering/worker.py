"""The rendering side of a render worker process: open originals read-only, draw pages, return pixels.

Imported by name in the worker (``reviewer.core.workers.registry.RENDER``), never by the window.
"""

from __future__ import annotations

from collections import OrderedDict

import pymupdf

from reviewer.core.rendering.requests import RenderedPage, RenderRequest

MAX_PIXELS = 40_000_000  # a page drawn larger than this is drawn smaller: the screen gains nothing
OPEN_DOCUMENTS = 4


class _Documents:
    """A few open documents, most recently used kept: reopening a big PDF for each page is slow."""

    def __init__(self) -> None:
        self._open: OrderedDict[str, pymupdf.Document] = OrderedDict()

    def get(self, path: str, password: str | None) -> pymupdf.Document:
        doc = self._open.pop(path, None)
        if doc is None:
            doc = pymupdf.open(path)
            if doc.needs_pass and not doc.authenticate(password or ""):
                doc.close()
                raise PermissionError("the document is encrypted and its password is not known")
        self._open[path] = doc
        while len(self._open) > OPEN_DOCUMENTS:
            _, oldest = self._open.popitem(last=False)
            oldest.close()
        return doc


_documents = _Documents()


def render(request: RenderRequest) -> RenderedPage:
    """Draw one page; never raises for a bad page, it says why instead."""
    try:
        doc = _documents.get(request.path, request.password)
        page = doc.load_page(request.page - 1)
        zoom = request.zoom
        area = page.rect.width * page.rect.height * zoom * zoom
        if area > MAX_PIXELS:
            zoom *= (MAX_PIXELS / area) ** 0.5 * 0.999  # the pixel grid rounds up
        matrix = page.derotation_matrix * pymupdf.Matrix(zoom, zoom)
        pixmap = page.get_pixmap(matrix=matrix, alpha=False, colorspace=pymupdf.csRGB)
        return RenderedPage(
            request, pixmap.width, pixmap.height, pixmap.stride, bytes(pixmap.samples), zoom=zoom
        )
    except Exception as exc:  # noqa: BLE001  (a page that cannot be drawn is shown as such, not raised)
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        return RenderedPage(request, error=f"this page cannot be drawn ({text})")
