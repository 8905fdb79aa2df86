"""The timeline view: the documents of the list on a time axis by document date, coloured by status.

The window feeds it the same filtered documents as the list (``set_documents``) and keeps the two in
step: ``documentActivated`` when a document is clicked (or Enter pressed) here, ``select_document`` when
one is chosen in the list. Documents without a date are counted in a note above the plot.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from reviewer.core.domain.values import VerificationStatus
from reviewer.ui.i18n import QT_TRANSLATE_NOOP
from reviewer.ui.status_style import STATUS_COLOURS
from reviewer.ui.timeline_canvas import ZOOM_STEP, TimelineCanvas, describe_entry
from reviewer.ui.timeline_data import TimelineData
from reviewer.ui.words import status_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.domain.records import DocumentSummary
    from reviewer.core.services.queries import TimelineDocuments

HINT = QT_TRANSLATE_NOOP(
    "TimelineView",
    "Click a document, or move with ← →  ·  Ctrl+wheel or + − to zoom  ·  drag to pan  ·  Home shows all",
)


class TimelineView(QWidget):
    """Legend and zoom buttons, the plot, and a line about the selected document."""

    documentActivated = Signal(int)  # the id of a document clicked, or chosen with Enter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas(self)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.undated = QLabel(self)
        self.undated.setTextFormat(Qt.TextFormat.PlainText)
        self.caption = QLabel(self.tr(HINT), self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 4, 0)
        header.addWidget(self.legend, 1)
        header.addWidget(self.undated)
        for text, tip, slot in (
            ("−", self.tr("Zoom out (−)"), self.zoom_out),
            ("+", self.tr("Zoom in (+)"), self.zoom_in),
            (self.tr("Fit all"), self.tr("Show every dated document (Home)"), self.fit_all),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the plot keeps the keyboard
            button.clicked.connect(slot)
            header.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.caption)
        self.caption.setContentsMargins(6, 0, 6, 4)
        self.canvas.activated.connect(self.documentActivated)
        self.canvas.selectionChanged.connect(self._selection_changed)
        self.setFocusProxy(self.canvas)
        self._undated_count = 0
        self._counts: Counter[VerificationStatus] = Counter()
        self._muted()
        self.set_documents([])

    @property
    def undated_count(self) -> int:
        """How many of the documents given have no date, and so are not on the axis."""
        return self._undated_count

    def set_documents(self, documents: Sequence[DocumentSummary]) -> None:
        """Show these documents (the list's filtered set); the selection stays if it is among them."""
        self._show(TimelineData.of_documents(documents))

    def show_documents(self, found: TimelineDocuments) -> None:
        """Show the documents of a filter as ``queries.timeline_documents`` counts them (the window's
        way: a row per date, the documents read only where drawn one by one); the selection stays if
        it is among them."""
        self._show(TimelineData(found.counts, found))

    def _show(self, data: TimelineData) -> None:
        undated = data.undated
        count = undated.total()
        self._undated_count = count
        self.canvas.set_data(data)
        self._selection_changed(self.canvas.selected)  # its status may be another now
        self._counts = Counter(data.totals)
        self.legend.setText(_legend(self._counts, self._muted_colour()))
        self.undated.setText(self.tr("No date: {count}").format(count=count))
        self.undated.setVisible(bool(count))
        self.undated.setToolTip(
            self.tr("Not on the timeline, for want of a document date: ")
            + ", ".join(f"{status_label(s).lower()} {n}" for s, n in sorted(undated.items()) if n)
            if count
            else ""
        )

    def select_document(self, document_id: int | None) -> None:
        """Highlight a document chosen elsewhere and bring it into view; an absent one clears it."""
        self.canvas.select(document_id)

    def selected_document(self) -> int | None:
        """The highlighted document's id."""
        return self.canvas.selected

    def fit_all(self) -> None:
        """Show every dated document."""
        self.canvas.fit_all()

    def zoom_in(self) -> None:
        """Show a shorter stretch of time, around the middle."""
        self.canvas.zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        """Show a longer stretch of time, around the middle."""
        self.canvas.zoom(1 / ZOOM_STEP)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._muted()
            self.legend.setText(_legend(self._counts, self._muted_colour()))
        super().changeEvent(event)

    def _muted_colour(self) -> str:
        return self.palette().color(QPalette.ColorRole.PlaceholderText).name()

    def _muted(self) -> None:
        """The caption in the palette's quiet colour (recomputed when the theme changes)."""
        palette = self.caption.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText, self.palette().color(QPalette.ColorRole.PlaceholderText)
        )
        self.caption.setPalette(palette)

    def _selection_changed(self, document_id: int | None) -> None:
        entry = self.canvas.selected_entry if document_id is not None else None
        self.caption.setText(describe_entry(entry) if entry is not None else self.tr(HINT))


def _legend(counts: Counter[VerificationStatus], muted: str) -> str:
    """Status colours with their counts, and what dots and bars mean."""
    items = [
        f"<span style='color:{STATUS_COLOURS[s].name()}; font-size:large'>●</span>&nbsp;{status_label(s)}"
        f"&nbsp;<span style='color:{muted}'>{counts.get(s, 0)}</span>"
        for s in VerificationStatus
    ]
    return "&nbsp;&nbsp; ".join(items)
