"""Region search, the lower part of the Forensics pane: where else an annotated stamp, signature or
letterhead appears in the case, each place one click from an annotation, or side by side in the
compare view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import AnnotationKind
from reviewer.ui.compare import CompareDialog, RegionRef
from reviewer.ui.i18n import english_plural, translate
from reviewer.ui.panes.forensic_jobs import RegionSearchJob
from reviewer.ui.panes.forensic_models import RegionHitModel
from reviewer.ui.panes.forensic_widgets import MUTED_STYLE, WrappingDelegate, WrappingTree, heading

if TYPE_CHECKING:
    from collections.abc import Iterable

    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.core.services.case import Case
    from reviewer.core.services.region_search import RegionHit, RegionProgress
    from reviewer.ui.actions import DocumentActions
    from reviewer.ui.panes.forensic_jobs import JobList


class RegionSearchPanel(QWidget):
    """Search the case for one of the current document's annotated regions, in the background.

    The pane calls ``set_document`` and then ``set_annotations``; one-line errors go out as ``said``.
    """

    documentChanged = Signal(int)  # a place found became an annotation of this document
    pageWanted = Signal(int, int)  # document, page (1-based)
    regionsFound = Signal(int)  # a search ended: how many places it found (-1: failed or cancelled)
    said = Signal(str)  # a one-line error to show ("" clears it)

    def __init__(self, case: Case, actions: DocumentActions, jobs: JobList, parent: QWidget | None = None):
        super().__init__(parent)
        self._case, self._actions, self._jobs = case, actions, jobs
        self._document: int | None = None
        self._annotations: list[AnnotationRecord] = []
        self.job: RegionSearchJob | None = None
        self.compare_dialog: CompareDialog | None = None

        self.choice = QComboBox(self)
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.choice.setMinimumContentsLength(12)
        self.find_button = QPushButton(self.tr("Find elsewhere"), self)
        self.find_button.setToolTip(
            self.tr(
                "Look for this annotated region on every page of the case: at another place, 0.3–3 times "
                "the size, turned up to 15°, on a page photographed at an angle"
            )
        )
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.hits = RegionHitModel(self)
        # a one-column tree: each place in two lines wrapped at the pane's width, never cut short
        self.hit_view = WrappingTree(self)
        self.hit_view.setItemDelegate(WrappingDelegate(self.hit_view))
        self.hit_view.setModel(self.hits)
        self.hit_view.setHeaderHidden(True)
        self.hit_view.setRootIsDecorated(False)
        self.hit_view.setIndentation(0)
        self.hit_view.setWordWrap(True)
        self.hit_view.setUniformRowHeights(False)
        self.hit_view.setAlternatingRowColors(True)
        self.hit_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hit_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.annotate_button = QPushButton(self.tr("Annotate"), self)
        self.annotate_button.setToolTip(
            self.tr("Mark the chosen place as an annotation on that document, saying what it matched")
        )
        self.compare_button = QPushButton(self.tr("Compare"), self)
        self.compare_button.setToolTip(
            self.tr("The annotated region and the chosen place side by side, at the same scale")
        )
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.hint = QLabel(
            self.tr("Annotate a stamp, signature or letterhead to look for it elsewhere."), self
        )
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(MUTED_STYLE)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Region search"), self))
        layout.addWidget(self.hint)
        layout.addWidget(self.choice)  # on its own line: an annotation's words are long
        search = QHBoxLayout()
        search.addStretch(1)
        search.addWidget(self.find_button)
        search.addWidget(self.cancel_button)
        layout.addLayout(search)
        layout.addWidget(self.progress)
        layout.addWidget(self.note)
        layout.addWidget(self.hit_view)
        chosen = QHBoxLayout()
        chosen.addStretch(1)
        chosen.addWidget(self.compare_button)
        chosen.addWidget(self.annotate_button)
        layout.addLayout(chosen)

        self.find_button.clicked.connect(self.find_elsewhere)
        self.cancel_button.clicked.connect(self.cancel_search)
        self.hit_view.doubleClicked.connect(self._hit_activated)
        self.hit_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.annotate_button.clicked.connect(self._annotate_chosen)
        self.compare_button.clicked.connect(self._compare_chosen)
        self.choice.currentIndexChanged.connect(lambda _i: self._update_buttons())

    def use_actions(self, actions: DocumentActions) -> None:
        """Make "Annotate" through these: undoable, on the custody log."""
        self._actions = actions

    def set_document(self, document_id: int | None) -> None:
        """The document shown: another one clears the places found."""
        if document_id != self._document:
            self.hits.set_records([])
            self.note.setText("")
        self._document = document_id

    def set_annotations(self, annotations: Iterable[AnnotationRecord]) -> None:
        """The shown document's annotations: each one but a redaction is a region to search for."""
        self._annotations = [a for a in annotations if a.kind is not AnnotationKind.REDACTION]
        chosen = self.choice.currentData()
        self.choice.blockSignals(True)
        self.choice.clear()
        for a in self._annotations:
            said = (a.note or a.transcription or self.tr("no note")).splitlines()[0]
            self.choice.addItem(self.tr("p. {page}: {words}").format(page=a.page, words=short(said)), a.id)
            self.choice.setItemData(self.choice.count() - 1, said, Qt.ItemDataRole.ToolTipRole)
        at = self.choice.findData(chosen)
        self.choice.setCurrentIndex(max(0, at))
        self.choice.blockSignals(False)
        self._update_buttons()

    def find_elsewhere(self) -> RegionSearchJob | None:
        """Search the case for the chosen annotated region, in the background."""
        annotation = self.choice.currentData()
        if annotation is None or self.job is not None:
            return None
        job = RegionSearchJob(self._case, str(annotation))
        job.progressed.connect(self._searched, Qt.ConnectionType.QueuedConnection)
        self.job = job
        self.hits.set_records([])
        self.note.setText(self.tr("Searching every page of the case…"))
        self.progress.setRange(0, 0)
        self._jobs.start(job, self._found, self._search_failed)
        self._update_buttons()
        return job

    def cancel_search(self) -> None:
        """Stop the search."""
        if self.job is not None:
            self.job.cancel.set()

    def annotate_hit(self, hit: RegionHit) -> None:
        """Make the found place an annotation on its document (on its custody log)."""
        try:
            self._actions.annotate_hit(hit)  # Ctrl+Z withdraws it
        except ReviewerError as exc:
            self.said.emit(str(exc))
            return
        for row in range(self.hits.rowCount()):
            if self.hits.record(row) == hit:
                self.hits.mark_annotated(row)
        self._update_buttons()
        self.said.emit("")
        self.documentChanged.emit(hit.document_id)

    def chosen_hit(self) -> RegionHit | None:
        """The place chosen in the list."""
        index = self.hit_view.currentIndex()
        return self.hits.record(index.row()) if index.isValid() else None

    def _annotate_chosen(self) -> None:
        hit = self.chosen_hit()
        if hit is not None:
            self.annotate_hit(hit)

    def _compare_chosen(self) -> None:
        hit = self.chosen_hit()
        if hit is not None:
            self.compare_hit(hit)

    def compare_hit(self, hit: RegionHit) -> CompareDialog | None:
        """Open the compare view: the annotated region beside the place found."""
        source = next((a for a in self._annotations if a.id == hit.annotation_id), None)
        if source is None:
            return None
        box = (source.x0, source.y0, source.x1, source.y1)
        what = source.note or self.tr("annotated region")
        left = RegionRef(
            source.document_id, source.page, box, f"{source.document_id}, p. {source.page}: {what}"
        )
        caption = f"{hit.document_id} · {hit.document_name}, p. {hit.page}"
        right = RegionRef(
            hit.document_id, hit.page, hit.rect, caption, hit.scale, hit.angle, homography=hit.homography
        )
        dialog = CompareDialog(self._case, left, right, self)
        dialog.pageWanted.connect(self.pageWanted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "compare_dialog", None))
        dialog.show()
        return dialog

    def _searched(self, progress: RegionProgress) -> None:
        self.progress.setRange(0, max(progress.pages_total, 1))
        self.progress.setValue(progress.pages_done)
        self.note.setText(
            self.tr("Searching: {done} of {total} pages").format(
                done=progress.pages_done, total=progress.pages_total
            )
        )

    def _found(self, hits: object) -> None:
        job = self.job
        self.job = None
        found: list[RegionHit] = list(hits) if isinstance(hits, list) else []
        if job is not None and job.cancel.is_set():
            self.note.setText(self.tr("Search cancelled."))
        elif job is not None and job.annotation_id != self.choice.currentData():
            self.note.setText("")
        else:
            self.hits.set_records(found)
            if found:
                self.hit_view.setCurrentIndex(self.hits.index(0))
            count = len(found)
            places = english_plural(translate("ForensicsPane", "%n other place(s)", "", count), count)
            self.note.setText(
                self.tr("Found in {places}; double-click one to open it.").format(places=places)
                if found
                else self.tr("Not found anywhere else in the case.")
            )
        self._update_buttons()
        self.regionsFound.emit(len(found) if job is None or not job.cancel.is_set() else -1)

    def _search_failed(self, message: str) -> None:
        self.job = None
        self.note.setText("")
        self.said.emit(message)
        self._update_buttons()
        self.regionsFound.emit(-1)

    def _hit_activated(self, index: QModelIndex) -> None:
        hit = self.hits.record(index.row())
        if hit is not None:
            self.pageWanted.emit(hit.document_id, hit.page)

    def _update_buttons(self) -> None:
        searching = self.job is not None
        here = self._document is not None
        self.find_button.setEnabled(here and not searching and self.choice.currentData() is not None)
        self.choice.setEnabled(not searching)
        self.choice.setVisible(bool(self._annotations))
        self.find_button.setVisible(bool(self._annotations))
        self.hint.setVisible(here and not self._annotations)
        self.cancel_button.setVisible(searching)
        self.progress.setVisible(searching)
        found = self.hits.rowCount() > 0
        self.hit_view.setVisible(found)
        self.hit_view.fit_rows(200)  # as tall as the places found: the signals above keep the rest
        self.compare_button.setVisible(found)
        self.annotate_button.setVisible(found)
        hit = self.chosen_hit()
        self.compare_button.setEnabled(hit is not None)
        self.annotate_button.setEnabled(hit is not None and not hit.annotated)
        self.annotate_button.setText(
            self.tr("Annotated") if hit is not None and hit.annotated else self.tr("Annotate")
        )


def short(words: str, most: int = 36) -> str:
    """At most ``most`` characters of ``words``, cut after a whole word (the whole note is its tooltip)."""
    if len(words) <= most:
        return words
    cut = words[: most + 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return (cut if len(cut) >= most // 2 else words[:most]) + "…"
