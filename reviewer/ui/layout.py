"""The window's layout, page first: the list and the panes fold to a narrow strip, and a reading mode.

The page viewer takes what the list and the panes leave; by default they get ``SHARES`` of the width,
so the page has more than half the window from a 1366 px laptop screen up. Each side folds to an
``EdgeStrip`` (a key, or a drag of its handle to nothing) and unfolds with the key or a click on the
strip, at the width it had. Reading mode shows only the page and its page strip. Everything is kept in
the user's settings and restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QWidget

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QPaintEvent
    from PySide6.QtWidgets import QSplitter

LIST_KEY, PANES_KEY, READING_KEY = "F9", "F10", "F11"
SHARES = (0.21, 0.23)  # the list's and the panes' part of the width by default; the page has the rest
STRIP_WIDTH = 22
SIDE_MIN_WIDTH = 160


def narrow(side: QWidget) -> QWidget:
    """Let a side of the window be narrower than its content asks: the page comes first.

    The filter bar and some panes ask for more than a fifth of a 1366 px screen; with a minimum width
    of its own, a side squeezes its rows evenly instead of taking the page's room.
    """
    side.setMinimumWidth(SIDE_MIN_WIDTH)
    return side


class EdgeStrip(QToolButton):
    """A narrow strip standing for a folded side of the window; a click unfolds it."""

    def __init__(self, label: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self.setToolTip(tip)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedWidth(STRIP_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(label)

    @property
    def label(self) -> str:
        """What the strip unfolds."""
        return self._label

    def sizeHint(self) -> QSize:
        return QSize(STRIP_WIDTH, self.fontMetrics().horizontalAdvance(self._label) + 24)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        # The name runs down the strip, read with the head turned, as on a book's spine.
        painter = QPainter(self)
        painter.translate(self.width() / 2, 12)
        painter.rotate(90)
        height = self.fontMetrics().height()
        box = QRect(0, -height // 2, max(self.height() - 24, 1), height)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{self._label}  ›")
        painter.end()


class PageFirstLayout(QObject):
    """Folds and unfolds the list (splitter's first part) and the panes (its last); see the module."""

    changed = Signal()

    def __init__(
        self,
        splitter: QSplitter,
        chrome: Sequence[QWidget],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.splitter = splitter
        self.side_list, self.side_panes = _part(splitter, 0), _part(splitter, 2)
        self._chrome = list(chrome)  # hidden in reading mode, besides the two sides
        self.list_strip = EdgeStrip(
            self.tr("Documents"), self.tr("Show the document list ({key})").format(key=LIST_KEY), parent
        )
        self.panes_strip = EdgeStrip(
            self.tr("Panes"), self.tr("Show the panes ({key})").format(key=PANES_KEY), parent
        )
        self.widget = QWidget(parent)
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.list_strip)
        row.addWidget(splitter, 1)
        row.addWidget(self.panes_strip)
        splitter.setCollapsible(1, False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        self._list_shown = True
        self._panes_shown = True
        self._reading = False
        self._widths: list[int] | None = None  # the list's and the panes' widths, once known
        self._sized = False
        self.list_strip.clicked.connect(lambda: self.set_list_shown(True))
        self.panes_strip.clicked.connect(lambda: self.set_panes_shown(True))
        splitter.splitterMoved.connect(self._moved)
        splitter.installEventFilter(self)
        self._apply()

    # -- state -----------------------------------------------------------------------------------------

    @property
    def list_shown(self) -> bool:
        """Whether the document list is unfolded (it may still be hidden by reading mode)."""
        return self._list_shown

    @property
    def panes_shown(self) -> bool:
        """Whether the panes are unfolded (they may still be hidden by reading mode)."""
        return self._panes_shown

    @property
    def reading(self) -> bool:
        """Whether only the page and its page strip are shown."""
        return self._reading

    def set_list_shown(self, shown: bool) -> None:
        """Unfold or fold the document list (leaving reading mode to unfold it)."""
        self._set(shown, self._panes_shown, False if shown else self._reading)

    def set_panes_shown(self, shown: bool) -> None:
        """Unfold or fold the panes (leaving reading mode to unfold them)."""
        self._set(self._list_shown, shown, False if shown else self._reading)

    def set_reading(self, reading: bool) -> None:
        """Reading mode on or off; off brings back the sides as they were."""
        self._set(self._list_shown, self._panes_shown, reading)

    def toggle_list(self) -> None:
        """Fold the list if it is seen, else show it."""
        self.set_list_shown(not self.side_list.isVisibleTo(self.splitter))

    def toggle_panes(self) -> None:
        """Fold the panes if they are seen, else show them."""
        self.set_panes_shown(not self.side_panes.isVisibleTo(self.splitter))

    def toggle_reading(self) -> None:
        """Reading mode on or off."""
        self.set_reading(not self._reading)

    def _set(self, list_shown: bool, panes_shown: bool, reading: bool) -> None:
        if (list_shown, panes_shown, reading) == (self._list_shown, self._panes_shown, self._reading):
            return
        self._remember_widths()
        self._list_shown, self._panes_shown, self._reading = list_shown, panes_shown, reading
        self._apply()

    # -- settings --------------------------------------------------------------------------------------

    def save(self, settings: QSettings) -> None:
        """Keep folds, reading mode and the sides' widths for the next window."""
        self._remember_widths()
        settings.setValue("layout/list", self._list_shown)
        settings.setValue("layout/panes", self._panes_shown)
        settings.setValue("layout/reading", self._reading)
        if self._widths is not None:
            settings.setValue("layout/widths", ",".join(str(w) for w in self._widths))

    def restore(self, settings: QSettings) -> None:
        """Folds, reading mode and widths as saved (the defaults where nothing or nonsense is)."""
        widths = str(settings.value("layout/widths", "")).split(",")
        if len(widths) == 2 and all(w.strip().isdigit() for w in widths):
            self._widths = [max(int(w), 40) for w in widths]
        self._list_shown = _flag(settings.value("layout/list"), default=True)
        self._panes_shown = _flag(settings.value("layout/panes"), default=True)
        self._reading = _flag(settings.value("layout/reading"), default=False)
        self._apply()

    # -- inside ----------------------------------------------------------------------------------------

    def _apply(self) -> None:
        seen_list = self._list_shown and not self._reading
        seen_panes = self._panes_shown and not self._reading
        self.side_list.setVisible(seen_list)
        self.side_panes.setVisible(seen_panes)
        self.list_strip.setVisible(not seen_list and not self._reading)
        self.panes_strip.setVisible(not seen_panes and not self._reading)
        for widget in self._chrome:
            widget.setVisible(not self._reading)
        if self._sized:
            self._size_parts()
        self.changed.emit()

    def _size_parts(self) -> None:
        """The sides at their widths, the page the rest."""
        if self._widths is None:
            total = self.splitter.width()
            self._widths = [round(total * SHARES[0]), round(total * SHARES[1])]
        row = self.widget.layout()
        if row is not None:
            row.activate()  # a strip just shown or hidden changes the splitter's width now, not later
        total = sum(self.splitter.sizes())
        left = self._widths[0] if self.side_list.isVisibleTo(self.splitter) else 0
        right = self._widths[1] if self.side_panes.isVisibleTo(self.splitter) else 0
        # never squeeze the page below a third of the room the parts have
        room = max(total - left - right, total // 3)
        self.splitter.setSizes([left, room, right])

    def _remember_widths(self) -> None:
        if not self._sized or self._widths is None:
            return
        sizes = self.splitter.sizes()
        if self.side_list.isVisibleTo(self.splitter) and sizes[0] > 0:
            self._widths[0] = sizes[0]
        if self.side_panes.isVisibleTo(self.splitter) and sizes[2] > 0:
            self._widths[1] = sizes[2]

    def _moved(self, _position: int, _index: int) -> None:
        sizes = self.splitter.sizes()
        # a side dragged to nothing is folded: its strip shows, and it comes back at its old width
        if self.side_list.isVisibleTo(self.splitter) and sizes[0] == 0:
            self._list_shown = False
            self._apply()
        elif self.side_panes.isVisibleTo(self.splitter) and sizes[2] == 0:
            self._panes_shown = False
            self._apply()
        else:
            self._remember_widths()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Sized once, when first shown at the window's real width; later the page takes what changes.
        kind = event.type()
        first = watched is self.splitter and not self._sized and self.splitter.width() > 0
        if first and (kind == QEvent.Type.Show or (kind == QEvent.Type.Resize and self.splitter.isVisible())):
            self._sized = True
            self._size_parts()
        return False


def _part(splitter: QSplitter, index: int) -> QWidget:
    widget = splitter.widget(index)
    if widget is None:
        raise ValueError(f"the splitter has no part {index}")
    return widget


def _flag(value: object, *, default: bool) -> bool:
    """A yes/no from settings (an INI file gives back "true"/"false" strings)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default
