"""Hands pages drawn by ``reviewer.core.rendering`` to the UI thread as QImages."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from reviewer.core.rendering.renderer import PageRenderer
from reviewer.core.rendering.requests import RenderedPage, RenderRequest


class RenderBridge(QObject):
    """Owns a ``PageRenderer``; emits ``rendered(request, image, zoom, error)`` on the UI thread."""

    rendered = Signal(object, QImage, float, str)

    def __init__(self, processes: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._renderer = PageRenderer(self._on_result, processes=processes)

    def request(self, request: RenderRequest, *, priority: int = 0) -> None:
        """Ask for a page; see ``PageRenderer.request``."""
        self._renderer.request(request, priority=priority)

    def retain(self, keep: object) -> None:
        """Drop queued requests ``keep`` rejects."""
        self._renderer.retain(keep)  # type: ignore[arg-type]

    def pending(self) -> int:
        """Requests not yet answered."""
        return self._renderer.pending()

    def close(self) -> None:
        """Stop the worker processes."""
        self._renderer.close()

    def _on_result(self, result: RenderedPage) -> None:
        # Runs on the renderer's thread: build the QImage here (allowed off the UI thread, and it is
        # the costly part), then let the queued signal carry it to the UI thread.
        if result.error is not None:
            self.rendered.emit(result.request, QImage(), 0.0, result.error)
            return
        image = QImage(
            result.samples, result.width, result.height, result.stride, QImage.Format.Format_RGB888
        ).copy()
        self.rendered.emit(result.request, image, result.zoom, "")


__all__ = ["RenderBridge", "RenderRequest"]
