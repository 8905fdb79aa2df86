"""Thumbnails made at import, loaded off the UI thread and kept in a bounded cache."""

from __future__ import annotations

import functools
import itertools
from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtGui import QIcon, QImage, QPixmap

if TYPE_CHECKING:
    from pathlib import Path


class _Loaded(QObject):
    """Says in the window's thread that a thumbnail was loaded: ``done(cache token, path, image)``.

    One for the program (:func:`_loads`), as is the thread that loads: a load holds nothing a cache
    owns, so a cache let go while loading (a window closed, a test ended) ends in the window's thread,
    not in the loading thread when its last load ends (Qt objects must end in their own thread).
    """

    done = Signal(int, str, QImage)


class _Load(QRunnable):
    def __init__(self, token: int, path: str, signals: _Loaded) -> None:
        super().__init__()
        self.token = token
        self.path = path
        self.signals = signals

    def run(self) -> None:
        image = QImage(self.path)  # QImage, unlike QPixmap, may be made on any thread
        self.signals.done.emit(self.token, self.path, image)


_tokens = itertools.count(1)


@functools.cache
def _loads() -> tuple[QThreadPool, _Loaded]:
    """The program's thread for loading thumbnails (one: loads are small) and its messenger."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    return pool, _Loaded()


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
        self._token = next(_tokens)
        self._pool, self._signals = _loads()
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
            self._pool.start(_Load(self._token, key, self._signals))
        return None

    def wait(self) -> None:
        """Block until queued loads are done (tests, and closing)."""
        self._pool.waitForDone()

    @Slot(int, str, QImage)
    def _loaded(self, token: int, key: str, image: QImage) -> None:
        if token != self._token:
            return
        self._loading.discard(key)
        self._cache[key] = QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()
        while len(self._cache) > self._capacity:
            self._cache.popitem(last=False)
        self.ready.emit(key)
