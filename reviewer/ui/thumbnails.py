"""Thumbnails made at import, loaded off the UI thread and kept in a bounded cache."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap

if TYPE_CHECKING:
    from pathlib import Path


class _Loaded(QObject):
    done = Signal(str, QImage)


class _Load(QRunnable):
    def __init__(self, path: Path, signals: _Loaded) -> None:
        super().__init__()
        self.path = path
        self.signals = signals

    def run(self) -> None:
        image = QImage(str(self.path))  # QImage, unlike QPixmap, may be made on any thread
        self.signals.done.emit(str(self.path), image)


class ThumbnailCache(QObject):
    """Gives an icon for a thumbnail file at once if cached, else None and ``ready`` once loaded.

    Icons, not pixmaps: views then draw them at their own icon size.
    """

    ready = Signal(str)

    def __init__(self, capacity: int = 2000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: OrderedDict[str, QIcon] = OrderedDict()
        self._loading: set[str] = set()
        self._capacity = capacity
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Loaded()
        self._signals.done.connect(self._loaded)

    def get(self, path: Path) -> QIcon | None:
        """The icon if loaded; otherwise start loading it and return None."""
        key = str(path)
        icon = self._cache.get(key)
        if icon is not None:
            self._cache.move_to_end(key)
            return icon
        if key not in self._loading:
            self._loading.add(key)
            self._pool.start(_Load(path, self._signals))
        return None

    def wait(self) -> None:
        """Block until queued loads are done (tests, and closing)."""
        self._pool.waitForDone()

    def _loaded(self, key: str, image: QImage) -> None:
        self._loading.discard(key)
        self._cache[key] = QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        self.ready.emit(key)
