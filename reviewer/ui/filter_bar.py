"""The filter bar above the document list: what to show, applied to the list, search and timeline."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import DocumentType, VerificationStatus, parse_partial_date
from reviewer.core.services.queries import DocumentFilter
from reviewer.ui.words import document_type_label, status_label


class FilterBar(QWidget):
    """Text, tag, status, type and document-date filters, for the list, search and timeline alike."""

    changed = Signal(object)  # a DocumentFilter without the sort order

    ANY = "Any"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText(self.tr("Filter: title, reference, issuer, SHA-256…"))
        self.text.setClearButtonEnabled(True)
        self.tag = QComboBox(self)
        self.tag.setToolTip(self.tr("Only documents with this tag"))
        self.status = QComboBox(self)
        self.status.setToolTip(self.tr("Only documents with this status"))
        self.status.addItem(self.tr("Any status"), None)
        for status in VerificationStatus:
            self.status.addItem(status_label(status), status.value)
        self.type = QComboBox(self)
        self.type.setToolTip(self.tr("Only documents of this type"))
        self.type.addItem(self.tr("Any type"), None)
        for kind in DocumentType:
            self.type.addItem(document_type_label(kind).capitalize(), kind.value)
        self.date_from = QLineEdit(self)
        self.date_from.setPlaceholderText(self.tr("dated from YYYY[-MM[-DD]]"))
        self.date_to = QLineEdit(self)
        self.date_to.setPlaceholderText(self.tr("to YYYY[-MM[-DD]]"))
        for field in (self.date_from, self.date_to):
            field.setClearButtonEnabled(True)
            field.setToolTip(
                self.tr("Documents whose date falls in this range (a year or a month counts as a range)")
            )
        self.set_tags([])
        # Three rows that read whole from about 280 px up (the list's side of a 1366 px screen): the
        # text and the tag, the status and the type, the dates. A placeholder Qt has to cut with "…"
        # is said whole in its field's tooltip.
        self.text.setToolTip(self.text.placeholderText())
        for field in (self.date_from, self.date_to):
            field.setToolTip(f"{field.placeholderText()}: {field.toolTip()}")
        for box in (self.tag, self.status, self.type):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        first = QHBoxLayout()
        first.addWidget(self.text, 2)
        first.addWidget(self.tag, 1)
        layout.addLayout(first)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.type, 1)
        layout.addLayout(row)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from, 1)
        dates.addWidget(self.date_to, 1)
        layout.addLayout(dates)
        self.text.textChanged.connect(self._emit)
        self.date_from.textChanged.connect(self._dates_edited)
        self.date_to.textChanged.connect(self._dates_edited)
        for box in (self.tag, self.status, self.type):
            box.currentIndexChanged.connect(self._emit)

    def set_tags(self, tags: list[str]) -> None:
        """Offer these tags, keeping the current choice if it is still there."""
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(self.tr("Any tag"), None)
        for tag in tags:
            self.tag.addItem(tag, tag)
        position = self.tag.findData(current) if current is not None else 0
        self.tag.setCurrentIndex(max(position, 0))
        self.tag.blockSignals(False)

    def current(self) -> DocumentFilter:
        """The filter the bar shows."""
        return DocumentFilter(
            text=self.text.text(),
            tag=self.tag.currentData(),
            status=VerificationStatus(self.status.currentData()) if self.status.currentData() else None,
            doc_type=self.type.currentData(),
            date_from=_date_or_none(self.date_from),
            date_to=_date_or_none(self.date_to),
        )

    def _dates_edited(self) -> None:
        # Half-typed dates ("2019-0") filter nothing until they make sense; the field says so.
        for box in (self.date_from, self.date_to):
            valid = not box.text().strip() or _date_or_none(box) is not None
            box.setStyleSheet(
                "" if valid else "QLineEdit { color: palette(bright-text); background: #b3261e; }"
            )
        self._emit()

    def _emit(self) -> None:
        self.changed.emit(self.current())


def _date_or_none(box: QLineEdit) -> str | None:
    text = box.text().strip()
    if not text:
        return None
    try:
        return parse_partial_date(text)
    except ReviewerError:
        return None
