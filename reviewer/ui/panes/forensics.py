"""The Forensics pane: what the current document's file says about its history, beside the page.

Signals by severity with their explanation and raw value, each one click from the rationale; earlier
revisions to open; near-identical pages elsewhere; an error-level overlay for the page shown; and
region search: where else an annotated stamp, signature or letterhead appears, each place one click
from an annotation, or side by side in the compare view. Signals inform; they never decide a verdict.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontMetrics, QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import AnnotationKind
from reviewer.core.forensics.signals import Severity
from reviewer.core.services import forensics, queries
from reviewer.ui.actions import DocumentActions
from reviewer.ui.compare import CompareDialog, RegionRef
from reviewer.ui.i18n import english_plural, translate
from reviewer.ui.jobs import BackgroundJob
from reviewer.ui.panes.forensic_models import (
    SEVERITY_COLOURS,
    NearPageModel,
    RegionHitModel,
    RevisionModel,
    SignalTreeModel,
)
from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QResizeEvent

    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.core.services.case import Case
    from reviewer.core.services.forensics import ForensicsReport, SignalRecord
    from reviewer.core.services.region_search import RegionHit, RegionProgress

ERROR_STYLE = "color: #c5221f;"
MUTED_STYLE = "color: #5f6368;"


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(f"<b>{text}</b>", parent)
    label.setContentsMargins(0, 6, 0, 0)
    return label


class WrappingTree(QTreeView):
    """A tree whose rows grow to show their whole text, measured again when the width changes."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.doItemsLayout()


class WrappingDelegate(QStyledItemDelegate):
    """Row heights for word-wrapped text at the column's width (Qt measures one line otherwise)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or index.column() != 0:
            return size
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        icon = 24 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
        width = self._view.columnWidth(0) - (depth + 1) * self._view.indentation() - icon - 16
        if width <= 40:
            return size
        bounds = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(size.width(), max(size.height(), bounds.height() + 6))


def _needs_region_hashes(case: Case, document_id: int) -> bool:
    # region_search (numpy, the image code) is loaded when first needed, not with the window
    from reviewer.core.services.region_search import needs_region_hashes

    return needs_region_hashes(case, document_id)


class EnsureJob(BackgroundJob):
    """Compute a document's signals if it has none yet (a case imported before forensics)."""

    def __init__(self, case: Case, document_id: int) -> None:
        super().__init__("forensics")
        self.case, self.document_id = case, document_id

    def work(self) -> int:
        """Compute them in a worker process."""
        forensics.ensure_forensics(self.case, self.document_id)
        from reviewer.core.services.region_search import ensure_region_hashes

        ensure_region_hashes(self.case, self.document_id)
        return self.document_id


class OverlayJob(BackgroundJob):
    """The error-level overlay of one page, as PNG bytes."""

    def __init__(self, case: Case, document_id: int, page: int) -> None:
        super().__init__("error levels")
        self.case, self.document_id, self.page = case, document_id, page

    def work(self) -> bytes:
        """Draw it in a worker process."""
        return forensics.error_level_overlay(self.case, self.document_id, self.page)


class RegionSearchJob(BackgroundJob):
    """Find an annotated region elsewhere in the case; ``progressed(RegionProgress)`` page by page."""

    progressed = Signal(object)

    def __init__(self, case: Case, annotation_id: str) -> None:
        super().__init__("region search")
        self.case, self.annotation_id = case, annotation_id

    def work(self) -> list[RegionHit]:
        """Search every page of the case in worker processes."""
        from reviewer.core.services.region_search import find_region_elsewhere

        return find_region_elsewhere(
            self.case, self.annotation_id, progress=self.progressed.emit, cancel=self.cancel
        )


class ForensicsPane(QWidget):
    """The current document's forensics. The window calls ``set_document`` and ``set_page``."""

    documentChanged = Signal(int)  # its rationale or annotations changed
    pageWanted = Signal(int, int)  # document, page (1-based)
    overlayReady = Signal(int, QImage)  # page, overlay the size of the whole page (null: remove it)
    revisionOpened = Signal(str)  # the path of an extracted revision
    regionsFound = Signal(int)  # a region search ended: how many places it found (-1: failed or cancelled)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._actions = DocumentActions(case, self)  # the window's, once it gives them
        self._document: int | None = None
        self._page = 1
        self._report: ForensicsReport | None = None
        self._annotations: list[AnnotationRecord] = []
        self._jobs: list[BackgroundJob] = []
        self.region_job: RegionSearchJob | None = None
        self.compare_dialog: CompareDialog | None = None
        self._scratch: Path | None = None
        #: how an extracted revision is opened (tests replace it)
        self.open_file: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(p))
        )

        self.title = QLabel("<b>" + self.tr("Forensics") + "</b>", self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.signals = SignalTreeModel(self)
        self.signal_view = WrappingTree(self)
        self.signal_view.setItemDelegate(WrappingDelegate(self.signal_view))
        self.signal_view.setModel(self.signals)
        self.signal_view.setHeaderHidden(True)
        self.signal_view.setWordWrap(True)
        self.signal_view.setUniformRowHeights(False)
        self.signal_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.signal_view.header().setStretchLastSection(False)
        self.signal_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.signal_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.signal_view.setToolTip(self.tr("Expand a signal to read why it matters and its raw value"))

        self.revisions = RevisionModel(self)
        self.revision_view = self._list(self.revisions, self.tr("Select a revision and open it"))
        self.open_revision = QPushButton(self.tr("Open revision…"), self)
        self.open_revision.setToolTip(self.tr("Extract the revision to a file outside the case and open it"))
        self.revision_note = QLabel(self)
        self.revision_note.setStyleSheet(MUTED_STYLE)

        self.near = NearPageModel(self)
        self.near_view = self._list(self.near, self.tr("Double-click to open that page"))
        self.near_note = QLabel(self)
        self.near_note.setWordWrap(True)
        self.near_note.setStyleSheet(MUTED_STYLE)

        self.error_levels = QCheckBox(self.tr("Show error levels over the page"), self)
        self.error_levels.setToolTip(
            self.tr(
                "Lay over the page how much each part changes when saved once more as JPEG. A pasted or "
                "retouched region often stands out; edges and text do too. A hint for the eye, never proof."
            )
        )

        self.region_choice = QComboBox(self)
        self.region_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.region_choice.setMinimumContentsLength(12)
        self.find_button = QPushButton(self.tr("Find elsewhere"), self)
        self.find_button.setToolTip(
            self.tr(
                "Look for this annotated region on every page of the case, at another place, 0.8–1.2 times "
                "the size and turned up to 5°"
            )
        )
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.hits = RegionHitModel(self)
        self.hit_view = QTableView(self)
        self.hit_view.setModel(self.hits)
        self.hit_view.verticalHeader().hide()
        self.hit_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.hit_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hit_view.setShowGrid(False)
        self.hit_view.setWordWrap(False)
        header = self.hit_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.region_note = QLabel(self)
        self.region_note.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._layout()
        self._connect()
        self.set_document(None)

    # -- building ------------------------------------------------------------------------------------

    def _list(self, model: Any, tip: str) -> QListView:
        view = QListView(self)
        view.setModel(model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setToolTip(tip)
        return view

    def _layout(self) -> None:
        self.revision_view.setMaximumHeight(84)
        self.near_view.setMaximumHeight(96)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.error_levels)
        layout.addWidget(self.signal_view, 3)
        layout.addWidget(_heading(self.tr("Revisions"), self))
        layout.addWidget(self.revision_note)
        layout.addWidget(self.revision_view)
        row = QHBoxLayout()
        row.addWidget(self.open_revision)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(_heading(self.tr("Near-identical pages elsewhere"), self))
        layout.addWidget(self.near_note)
        layout.addWidget(self.near_view)
        layout.addWidget(_heading(self.tr("Region search"), self))
        layout.addWidget(self.region_choice)  # on its own line: an annotation's words are long
        search = QHBoxLayout()
        search.addStretch(1)
        search.addWidget(self.find_button)
        search.addWidget(self.cancel_button)
        layout.addLayout(search)
        layout.addWidget(self.progress)
        layout.addWidget(self.region_note)
        layout.addWidget(self.hit_view, 2)
        layout.addWidget(self.message)

    def _connect(self) -> None:
        self.open_revision.clicked.connect(self.open_selected_revision)
        self.revision_view.activated.connect(lambda _index: self.open_selected_revision())
        self.near_view.activated.connect(self._near_activated)
        self.error_levels.toggled.connect(self._error_levels_toggled)
        self.find_button.clicked.connect(self.find_elsewhere)
        self.cancel_button.clicked.connect(self.cancel_search)
        self.hit_view.doubleClicked.connect(self._hit_activated)
        self.region_choice.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.revision_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())

    # -- what the window asks ------------------------------------------------------------------------

    def use_actions(self, actions: DocumentActions) -> None:
        """Make "Add to rationale" and "Annotate" through these: undoable, on the custody log."""
        self._actions = actions

    def set_document(self, document_id: int | None) -> None:
        """Show the forensics of this document (computed in the background if it has none yet)."""
        changed = document_id != self._document
        self._document = document_id
        if changed:
            self.hits.set_records([])
            self.region_note.setText("")
            if self.error_levels.isChecked():
                self.error_levels.setChecked(False)
        self._say("")
        self.refresh()
        pending = any(isinstance(j, EnsureJob) and j.document_id == document_id for j in self._jobs)
        if (
            document_id is not None
            and self._report is not None
            and not pending
            and (not self._report.computed or _needs_region_hashes(self._case, document_id))
        ):
            self._start(EnsureJob(self._case, document_id), self._computed)

    def set_page(self, page: int) -> None:
        """The page shown: the error-level overlay follows it."""
        self._page = page
        if self.error_levels.isChecked():
            self._ask_overlay()

    def refresh(self) -> None:
        """Read the document's forensics and annotations again."""
        report = None
        annotations: list[AnnotationRecord] = []
        if self._document is not None:
            try:
                report = forensics.forensics_of(self._case, self._document)
                annotations = list(queries.document_detail(self._case, self._document).annotations)
            except ReviewerError as exc:
                self._say(str(exc))
        self._report = report
        self._annotations = [a for a in annotations if a.kind is not AnnotationKind.REDACTION]
        self.signals.set_records(report.signals if report else ())
        self.signal_view.expandToDepth(0)
        self._add_signal_buttons()
        self.revisions.set_records(report.revisions if report else ())
        self.near.set_records(report.near_pages if report else ())
        self._show_summary(report)
        self._fill_regions()
        self._update_buttons()

    def shutdown(self) -> None:
        """Stop background work and remove extracted revisions (the window calls this when closing)."""
        for job in list(self._jobs):
            job.cancel.set()
            job.wait(30)
        self._jobs.clear()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    # -- signals -------------------------------------------------------------------------------------

    def _show_summary(self, report: ForensicsReport | None) -> None:
        if self._document is None or report is None:
            self.summary.setText(self.tr("No document shown."))
            return
        if not report.computed:
            self.summary.setText(self.tr("Computing this document's signals…"))
            return
        counts = {s: sum(1 for r in report.signals if r.severity is s) for s in Severity}
        warnings, notices, facts = counts[Severity.WARNING], counts[Severity.NOTICE], counts[Severity.INFO]
        parts = [
            f"<span style='color:{SEVERITY_COLOURS[s].name()}'>{english_plural(label, n)}</span>"
            for s, label, n in (
                (Severity.WARNING, translate("ForensicsPane", "%n warning(s)", "", warnings), warnings),
                (Severity.NOTICE, translate("ForensicsPane", "%n notice(s)", "", notices), notices),
                (Severity.INFO, translate("ForensicsPane", "%n fact(s)", "", facts), facts),
            )
        ]
        note = (
            f"<span style='{MUTED_STYLE}'>"
            + self.tr("Signals inform; they never decide a verdict.")
            + "</span>"
        )
        self.summary.setText(f"{', '.join(parts)}. {note}")

    def _add_signal_buttons(self) -> None:
        for index in self.signals.signal_indexes():
            record = index.data(RecordRole)
            button = QPushButton(self.tr("Add to rationale"), self.signal_view)
            button.setToolTip(
                self.tr("Add a line naming this signal to the document's rationale (its status stays)")
            )
            button.setFlat(True)
            button.setStyleSheet("QPushButton { color: #1a73e8; padding: 0 6px; }")
            button.clicked.connect(lambda _checked=False, r=record: self.add_to_rationale(r))
            self.signal_view.setIndexWidget(index, button)

    def add_to_rationale(self, record: SignalRecord) -> None:
        """Append the signal to the document's rationale; on the custody log."""
        if self._document is None:
            return
        try:
            self._actions.add_signal_to_rationale(self._document, record.code, record.page)
        except ReviewerError as exc:
            self._say(str(exc))
            return
        self._say("")
        self.documentChanged.emit(self._document)

    def _computed(self, document_id: object) -> None:
        if document_id == self._document:
            self.refresh()

    # -- revisions and pages -------------------------------------------------------------------------

    def open_selected_revision(self) -> Path | None:
        """Extract the selected revision to a temporary file outside the case and open it."""
        index = self.revision_view.currentIndex()
        record = self.revisions.record(index.row()) if index.isValid() else None
        if record is None or self._document is None:
            return None
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="reviewer-revisions-"))
        target = self._scratch / f"document-{self._document}-revision-{record.number}.pdf"
        try:
            if not target.exists():
                forensics.revision_file(self._case, self._document, record.number, target)
        except ReviewerError as exc:
            self._say(str(exc))
            return None
        self.open_file(target)
        self.revisionOpened.emit(str(target))
        return target

    def _near_activated(self, index: QModelIndex) -> None:
        record = self.near.record(index.row())
        if record is not None:
            self.pageWanted.emit(record.document_id, record.other_page)

    # -- error levels --------------------------------------------------------------------------------

    def _error_levels_toggled(self, on: bool) -> None:
        if on:
            self._ask_overlay()
        else:
            self.overlayReady.emit(self._page, QImage())

    def _ask_overlay(self) -> None:
        if self._document is None:
            return
        job = OverlayJob(self._case, self._document, self._page)
        self._start(job, functools.partial(self._overlay_done, job))

    def _overlay_done(self, job: OverlayJob, png: object) -> None:
        if job.document_id != self._document or job.page != self._page or not self.error_levels.isChecked():
            return
        image = QImage.fromData(png) if isinstance(png, bytes) else QImage()
        self.overlayReady.emit(job.page, image)

    # -- region search -------------------------------------------------------------------------------

    def _fill_regions(self) -> None:
        chosen = self.region_choice.currentData()
        self.region_choice.blockSignals(True)
        self.region_choice.clear()
        for a in self._annotations:
            words = (a.note or a.transcription or self.tr("no note")).splitlines()[0][:40]
            self.region_choice.addItem(self.tr("p. {page}: {words}").format(page=a.page, words=words), a.id)
        if not self._annotations:
            self.region_choice.addItem(self.tr("Annotate a stamp, signature or letterhead first"), None)
        at = self.region_choice.findData(chosen)
        self.region_choice.setCurrentIndex(max(0, at))
        self.region_choice.blockSignals(False)

    def find_elsewhere(self) -> RegionSearchJob | None:
        """Search the case for the chosen annotated region, in the background."""
        annotation = self.region_choice.currentData()
        if annotation is None or self.region_job is not None:
            return None
        job = RegionSearchJob(self._case, str(annotation))
        job.progressed.connect(self._searched, Qt.ConnectionType.QueuedConnection)
        self.region_job = job
        self.hits.set_records([])
        self.region_note.setText(self.tr("Searching every page of the case…"))
        self.progress.setRange(0, 0)
        self._start(job, self._found, self._search_failed)
        self._update_buttons()
        return job

    def cancel_search(self) -> None:
        """Stop the search."""
        if self.region_job is not None:
            self.region_job.cancel.set()

    def _searched(self, progress: RegionProgress) -> None:
        self.progress.setRange(0, max(progress.pages_total, 1))
        self.progress.setValue(progress.pages_done)
        self.region_note.setText(
            self.tr("Searching: {done} of {total} pages").format(
                done=progress.pages_done, total=progress.pages_total
            )
        )

    def _found(self, hits: object) -> None:
        job = self.region_job
        self.region_job = None
        found: list[RegionHit] = list(hits) if isinstance(hits, list) else []
        if job is not None and job.cancel.is_set():
            self.region_note.setText(self.tr("Search cancelled."))
        elif job is not None and job.annotation_id != self.region_choice.currentData():
            self.region_note.setText("")
        else:
            self.hits.set_records(found)
            self._add_hit_buttons()
            count = len(found)
            places = english_plural(translate("ForensicsPane", "%n other place(s)", "", count), count)
            self.region_note.setText(
                self.tr("Found in {places}; double-click one to open it.").format(places=places)
                if found
                else self.tr("Not found anywhere else in the case.")
            )
        self._update_buttons()
        self.regionsFound.emit(len(found) if job is None or not job.cancel.is_set() else -1)

    def _search_failed(self, message: str) -> None:
        self.region_job = None
        self.region_note.setText("")
        self._say(message)
        self._update_buttons()
        self.regionsFound.emit(-1)

    def _add_hit_buttons(self) -> None:
        column = len(RegionHitModel.HEADERS) - 1
        for row in range(self.hits.rowCount()):
            hit = self.hits.record(row)
            if hit is None:
                continue
            cell = QWidget(self.hit_view)
            layout = QHBoxLayout(cell)
            layout.setContentsMargins(2, 0, 2, 0)
            layout.setSpacing(4)
            annotate = QPushButton(self.tr("Annotated") if hit.annotated else self.tr("Annotate"), cell)
            annotate.setEnabled(not hit.annotated)
            annotate.setToolTip(
                self.tr("Mark this place as an annotation on that document, saying what it matched")
            )
            annotate.clicked.connect(lambda _checked=False, h=hit, b=annotate: self.annotate_hit(h, b))
            compare = QPushButton(self.tr("Compare"), cell)
            compare.setToolTip(self.tr("The annotated region and this place side by side, at the same scale"))
            compare.clicked.connect(lambda _checked=False, h=hit: self.compare_hit(h))
            layout.addWidget(annotate)
            layout.addWidget(compare)
            self.hit_view.setIndexWidget(self.hits.index(row, column), cell)

    def annotate_hit(self, hit: RegionHit, button: QPushButton | None = None) -> None:
        """Make the found place an annotation on its document (on its custody log)."""
        try:
            self._actions.annotate_hit(hit)  # Ctrl+Z withdraws it
        except ReviewerError as exc:
            self._say(str(exc))
            return
        if button is not None:
            button.setText(self.tr("Annotated"))
            button.setEnabled(False)
        self._say("")
        self.documentChanged.emit(hit.document_id)

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
        right = RegionRef(hit.document_id, hit.page, hit.rect, caption, scale=hit.scale, angle=hit.angle)
        dialog = CompareDialog(self._case, left, right, self)
        dialog.pageWanted.connect(self.pageWanted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.compare_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "compare_dialog", None))
        dialog.show()
        return dialog

    def _hit_activated(self, index: QModelIndex) -> None:
        hit = self.hits.record(index.row())
        if hit is not None:
            self.pageWanted.emit(hit.document_id, hit.page)

    # -- helpers -------------------------------------------------------------------------------------

    def _start(
        self,
        job: BackgroundJob,
        done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        self._jobs.append(job)
        job.finished.connect(
            lambda result, j=job: self._ended(j, done, result), Qt.ConnectionType.QueuedConnection
        )
        job.failed.connect(
            lambda message, j=job: self._ended(j, failed or self._say, message),
            Qt.ConnectionType.QueuedConnection,
        )
        job.start()

    def _ended(self, job: BackgroundJob, then: Callable[[Any], None], value: object) -> None:
        job.wait(30)
        if job in self._jobs:
            self._jobs.remove(job)
            then(value)

    def _update_buttons(self) -> None:
        here = self._document is not None
        searching = self.region_job is not None
        self.open_revision.setEnabled(here and self.revision_view.currentIndex().isValid())
        self.open_revision.setVisible(self.revisions.rowCount() > 1)
        self.revision_view.setVisible(self.revisions.rowCount() > 1)
        count = self.revisions.rowCount()
        if not here or self._report is None:
            self.revision_note.setText("")
        elif count == 0:
            self.revision_note.setText(self.tr("Not a PDF: no revisions."))
        elif count == 1:
            self.revision_note.setText(self.tr("Saved once: no earlier revision in the file."))
        else:
            self.revision_note.setText(
                self.tr(
                    "Saved {count} times: each earlier revision is still in the file, exactly as it was."
                ).format(count=count)
            )
        self.near_view.setVisible(self.near.rowCount() > 0)
        self.near_note.setText(
            ""
            if self.near.rowCount()
            else self.tr("No page of another document looks the same.")
            if here
            else ""
        )
        self.error_levels.setEnabled(here)
        self.find_button.setEnabled(here and not searching and self.region_choice.currentData() is not None)
        self.region_choice.setEnabled(not searching)
        self.cancel_button.setVisible(searching)
        self.progress.setVisible(searching)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
