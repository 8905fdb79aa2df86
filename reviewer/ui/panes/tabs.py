"""The panes beside the page, one tab each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QTabWidget, QToolButton, QVBoxLayout, QWidget

from reviewer.ui.flow_layout import FlowLayout
from reviewer.ui.panes.annotations import AnnotationsPane
from reviewer.ui.panes.entities import EntitiesPane
from reviewer.ui.panes.forensics import ForensicsPane
from reviewer.ui.panes.links import LinksPane
from reviewer.ui.panes.metadata import MetadataPane
from reviewer.ui.panes.page_text import PageTextPane
from reviewer.ui.panes.provenance import ProvenancePane
from reviewer.ui.panes.verification import VerificationPane

if TYPE_CHECKING:
    from reviewer.core.services.case import Case
    from reviewer.ui.actions import DocumentActions


class PaneTabs(QTabWidget):
    """Status, notes, fields, sources, text, entities, links and forensics of the document shown."""

    def __init__(self, case: Case, edits: DocumentActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verification = VerificationPane(edits, self)
        self.annotations = AnnotationsPane(edits, self)
        self.metadata = MetadataPane(edits, self)
        self.provenance = ProvenancePane(self)
        self.page_text = PageTextPane(case, self)
        self.entities = EntitiesPane(case, self)
        self.links = LinksPane(case, self)
        self.forensics = ForensicsPane(case, self)
        # Short labels, so that every tab shows in a pane of ordinary width; the tooltip says more.
        for pane, label, tip in (
            (self.verification, self.tr("Status"), self.tr("Verification status, rationale and checklist")),
            (
                self.annotations,
                self.tr("Notes"),
                self.tr("Annotations: marked regions with notes, transcriptions, translations"),
            ),
            (
                self.metadata,
                self.tr("Fields"),
                self.tr("Metadata: what the document is, and what its file says"),
            ),
            (
                self.provenance,
                self.tr("Sources"),
                self.tr("Provenance: where the bytes were found, and the custody log"),
            ),
            (self.page_text, self.tr("Text"), self.tr("The text of the page: text layer and OCR")),
            (
                self.entities,
                self.tr("Entities"),
                self.tr("Dates, reference numbers, amounts and watched terms"),
            ),
            (self.links, self.tr("Links"), self.tr("Links to other documents, and suggested ones")),
            (
                self.forensics,
                self.tr("Forensics"),
                self.tr("What the file's structure, metadata and pixels say; region search"),
            ),
        ):
            self.setTabToolTip(self.addTab(pane, label), tip)
        # Panes that ask the case for more than the document's detail learn of a new document when
        # they are looked at, not on every step through the list.
        self._lazy: dict[QWidget, object] = {self.entities: None, self.links: None, self.forensics: None}
        self._document: int | None = None
        self.currentChanged.connect(lambda _index: self._tell(self.currentWidget()))

    def show_document(self, document_id: int | None) -> None:
        """The document shown: the current pane is told now, the others when they are chosen."""
        self._document = document_id
        for pane in self._lazy:
            self._lazy[pane] = _STALE
        self._tell(self.currentWidget())

    def _tell(self, pane: QWidget) -> None:
        if self._lazy.get(pane) is not _STALE:
            return
        self._lazy[pane] = None
        if pane is self.entities:
            self.entities.set_document(self._document)
        elif pane is self.links:
            self.links.set_document(self._document)
        elif pane is self.forensics:
            self.forensics.set_document(self._document)


_STALE = object()


class PaneNames(QWidget):
    """The panes' names above them, on as many rows as the side's width needs: every name shows whole.

    A tab bar holds one row. At 1366 px the side has room for four of the eight names: it scrolled the
    rest out of sight, and with a later pane chosen it showed the first one cut ("tatus").
    """

    def __init__(self, tabs: QTabWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paneNames")
        self._tabs = tabs
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        flow = FlowLayout(self, spacing=2)
        flow.setContentsMargins(2, 2, 2, 4)
        for index in range(tabs.count()):
            name = QToolButton(self)
            name.setText(tabs.tabText(index))
            name.setToolTip(tabs.tabToolTip(index))
            name.setCheckable(True)
            name.setAutoRaise(True)
            name.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._group.addButton(name, index)
            flow.addWidget(name)
        # the chosen name stands out as a tab does: framed, on the panes' own background
        self.setStyleSheet(
            "#paneNames QToolButton { padding: 3px 7px; border: 1px solid transparent; border-radius: 3px; }"
            "#paneNames QToolButton:hover { border-color: palette(mid); }"
            "#paneNames QToolButton:checked { background: palette(base); border-color: palette(dark); }"
        )
        self._group.idClicked.connect(tabs.setCurrentIndex)
        tabs.currentChanged.connect(self._show_current)
        tabs.tabBar().hide()
        self._show_current(tabs.currentIndex())

    def name(self, index: int) -> QToolButton:
        """The button naming pane ``index``."""
        button = self._group.button(index)
        assert isinstance(button, QToolButton)
        return button

    def _show_current(self, index: int) -> None:
        button = self._group.button(index)
        if button is not None:
            button.setChecked(True)


class PaneSide(QWidget):
    """The window's right side: the panes' names (:class:`PaneNames`) above the panes."""

    def __init__(self, tabs: QTabWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = PaneNames(tabs, self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.names)
        column.addWidget(tabs, 1)
