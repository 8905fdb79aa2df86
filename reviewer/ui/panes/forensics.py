"""The Forensics pane: what the current document's file says about its history, beside the page.

Signals by severity; a click opens one's explanation, raw value and "Add to rationale"; earlier
revisions to open; near-identical pages elsewhere; an error-level overlay for the page shown; and
region search (forensic_regions.py): where else an annotated stamp, signature or letterhead appears.
Signals inform; they never decide a verdict. Its background work is in forensic_jobs.py, its item
models in forensic_models.py.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.forensics.signals import Severity
from reviewer.core.services import forensics, queries
from reviewer.ui.actions import DocumentActions
from reviewer.ui.i18n import english_plural, translate
from reviewer.ui.panes.forensic_jobs import CopyMoveJob, EnsureJob, JobList, OverlayJob, needs_region_hashes
from reviewer.ui.panes.forensic_models import (
    SEVERITY_COLOURS,
    SIGNAL,
    KindRole,
    NearPageModel,
    RevisionModel,
    SignalTreeModel,
)
from reviewer.ui.panes.forensic_regions import RegionSearchPanel
from reviewer.ui.panes.forensic_widgets import (
    ERROR_STYLE,
    MUTED_STYLE,
    WrappingDelegate,
    WrappingTree,
    heading,
)
from reviewer.ui.roles import RecordRole

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.core.services.case import Case
    from reviewer.core.services.forensics import ForensicsReport, SignalRecord


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
        self._jobs = JobList(self._say)
        self._scratch: Path | None = None
        #: the copies found on each page of the document shown, outlined whenever that page is shown
        self._copies: dict[int, QImage] = {}
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
        self.signal_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.signal_view.setIndentation(14)
        self.signal_view.setToolTip(
            self.tr("Click a signal to read why it matters and its raw value, and to add it to the rationale")
        )

        self.revisions = RevisionModel(self)
        self.revision_view = self._list(self.revisions, self.tr("Select a revision and open it"))
        self.open_revision = QPushButton(self.tr("Open revision…"), self)
        self.open_revision.setToolTip(self.tr("Extract the revision to a file outside the case and open it"))
        self.revision_note = QLabel(self)
        self.revision_note.setStyleSheet(MUTED_STYLE)
        self.revision_note.setWordWrap(True)

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

        self.look_for_copies = QPushButton(self.tr("Look for copies on this page"), self)
        self.look_for_copies.setToolTip(
            self.tr(
                "Look for parts of this page that are copies of each other (a cloned stamp, signature or "
                "line), taking a few seconds. What is found joins the signals and is outlined on the page."
            )
        )
        self.copies_note = QLabel(self)
        self.copies_note.setWordWrap(True)
        self.copies_note.setStyleSheet(MUTED_STYLE)

        # region search: its widgets, its job and its compare view
        self.regions = RegionSearchPanel(case, self._actions, self._jobs, self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._layout()
        self._connect()
        self.set_document(None)

    # -- building ------------------------------------------------------------------------------------

    def _list(self, model: Any, tip: str) -> WrappingTree:
        # a one-column tree whose rows wrap at the pane's width: a narrow pane cuts no name short
        view = WrappingTree(self)
        view.setItemDelegate(WrappingDelegate(view))
        view.setModel(model)
        view.setHeaderHidden(True)
        view.setRootIsDecorated(False)
        view.setIndentation(0)
        view.setWordWrap(True)
        view.setUniformRowHeights(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setToolTip(tip)
        return view

    def _layout(self) -> None:
        self.revision_view.fit_rows(84)
        self.near_view.fit_rows(96)
        self.signal_view.setMinimumHeight(130)  # four rows: the places found never squeeze it shut
        # in a scroll area that shows its bar only when the pane's words need more height than the
        # window has (Russian at 768 pixels): the buttons at the foot are never cut off
        inner = QWidget(self)
        layout = QVBoxLayout(inner)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.error_levels)
        copies = QHBoxLayout()
        copies.addWidget(self.look_for_copies)
        copies.addStretch(1)
        layout.addLayout(copies)
        layout.addWidget(self.copies_note)  # under the button: the pane's whole width for its words
        layout.addWidget(self.signal_view, 1)
        layout.addWidget(heading(self.tr("Revisions"), self))
        layout.addWidget(self.revision_note)
        layout.addWidget(self.revision_view)
        row = QHBoxLayout()
        row.addWidget(self.open_revision)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(heading(self.tr("Near-identical pages elsewhere"), self))
        layout.addWidget(self.near_note)
        layout.addWidget(self.near_view)
        layout.addWidget(self.regions)
        layout.addWidget(self.message)
        # as wide as the widest line that cannot wrap (a check box, a button), its scroll bar beside
        bar = scroll.verticalScrollBar().sizeHint().width()
        scroll.setMinimumWidth(inner.minimumSizeHint().width() + bar)

    def _connect(self) -> None:
        self.open_revision.clicked.connect(self.open_selected_revision)
        self.revision_view.activated.connect(lambda _index: self.open_selected_revision())
        self.near_view.activated.connect(self._near_activated)
        self.error_levels.toggled.connect(self._error_levels_toggled)
        self.look_for_copies.clicked.connect(self.find_copies_on_page)
        self.revision_view.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.signal_view.clicked.connect(self._signal_clicked)
        self.regions.documentChanged.connect(self.documentChanged)
        self.regions.pageWanted.connect(self.pageWanted)
        self.regions.regionsFound.connect(self.regionsFound)
        self.regions.said.connect(self._say)

    # -- what the window asks ------------------------------------------------------------------------

    def use_actions(self, actions: DocumentActions) -> None:
        """Make "Add to rationale" and "Annotate" through these: undoable, on the custody log."""
        self._actions = actions
        self.regions.use_actions(actions)

    def set_document(self, document_id: int | None) -> None:
        """Show the forensics of this document (computed in the background if it has none yet)."""
        changed = document_id != self._document
        self._document = document_id
        self.regions.set_document(document_id)
        if changed:
            self._copies.clear()
            self.copies_note.setText("")
            if self.error_levels.isChecked():
                self.error_levels.setChecked(False)  # which clears the page's overlay
            else:
                self.overlayReady.emit(self._page, QImage())  # no outlines of another document's copies
        self._say("")
        self.refresh()
        running = self._jobs.running()
        pending = any(isinstance(j, EnsureJob) and j.document_id == document_id for j in running)
        if (
            document_id is not None
            and self._report is not None
            and not pending
            and (not self._report.computed or needs_region_hashes(self._case, document_id))
        ):
            self._jobs.start(EnsureJob(self._case, document_id), self._computed)

    def set_page(self, page: int) -> None:
        """The page shown: the error-level overlay, or the copies found on it, follow it."""
        self._page = page
        if self.error_levels.isChecked():
            self._ask_overlay()
        else:
            self._show_copies()

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
        self.signals.set_records(report.signals if report else ())
        self.signal_view.expandToDepth(0)  # the signals by severity; each one opens with a click
        self._add_signal_buttons()
        self.revisions.set_records(report.revisions if report else ())
        self.near.set_records(report.near_pages if report else ())
        self.revision_view.fit_rows(84)
        self.near_view.fit_rows(96)
        self._show_summary(report)
        self.regions.set_annotations(annotations)
        self._update_buttons()

    def shutdown(self) -> None:
        """Stop background work and remove extracted revisions (the window calls this when closing)."""
        self._jobs.shutdown()
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

    def _signal_clicked(self, index: QModelIndex) -> None:
        if index.data(KindRole) == SIGNAL:  # one click opens it: why it matters, "Add to rationale"
            self.signal_view.setExpanded(index, not self.signal_view.isExpanded(index))

    def _add_signal_buttons(self) -> None:
        for index in self.signals.signal_indexes():
            record = index.data(RecordRole)
            button = QPushButton(self.tr("Add to rationale"), self.signal_view)
            button.setToolTip(
                self.tr("Add a line naming this signal to the document's rationale (its status stays)")
            )
            button.setFlat(True)
            button.setStyleSheet("QPushButton { color: #1a73e8; padding: 2px 0; text-align: left; }")
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
            self._show_copies()

    def _ask_overlay(self) -> None:
        if self._document is None:
            return
        job = OverlayJob(self._case, self._document, self._page)
        self._jobs.start(job, functools.partial(self._overlay_done, job))

    def _overlay_done(self, job: OverlayJob, png: object) -> None:
        if job.document_id != self._document or job.page != self._page or not self.error_levels.isChecked():
            return
        image = QImage.fromData(png) if isinstance(png, bytes) else QImage()
        self.overlayReady.emit(job.page, image)

    # -- copies within a page ------------------------------------------------------------------------

    def find_copies_on_page(self) -> None:
        """Look for copies within the page shown, in the background; the result joins the signals."""
        if self._document is None:
            return
        job = CopyMoveJob(self._case, self._document, self._page)
        self.copies_note.setText(self.tr("Looking for copies on page {page}…").format(page=self._page))
        self._say("")
        self._jobs.start(
            job, functools.partial(self._copies_found, job), functools.partial(self._copies_failed, job)
        )
        self._update_buttons()

    def _copies_found(self, job: CopyMoveJob, result: object) -> None:
        self._update_buttons()
        if job.document_id != self._document:
            return
        found, size = cast("tuple[tuple[SignalRecord, ...], tuple[float, float]]", result)
        self.refresh()
        if not found:
            self.copies_note.setText(self.tr("No copied regions on page {page}.").format(page=job.page))
            shown = job.page == self._page and not self.error_levels.isChecked()
            if self._copies.pop(job.page, None) is not None and shown:
                self._show_copies()  # what an earlier look found is replaced by nothing
            return
        count = len(found)
        said = translate(
            "ForensicsPane", "%n pair(s) of copied regions on page {page}: see the signals.", "", count
        )
        self.copies_note.setText(english_plural(said, count).format(page=job.page))
        self._copies[job.page] = copies_overlay(found, size)
        if job.page == self._page and not self.error_levels.isChecked():
            self._show_copies()  # the error levels, when shown, keep the page to themselves

    def _show_copies(self) -> None:
        """Outline the copies found on the page shown, or clear the page's overlay."""
        self.overlayReady.emit(self._page, self._copies.get(self._page, QImage()))

    def _copies_failed(self, job: CopyMoveJob, message: str) -> None:
        self._update_buttons()
        if job.document_id == self._document:
            self.copies_note.setText("")
            self._say(message)

    # -- helpers -------------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        here = self._document is not None
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
        looking = any(isinstance(j, CopyMoveJob) for j in self._jobs.running())
        self.look_for_copies.setEnabled(here and not looking)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


#: How many overlay pixels a point of the page is drawn with: enough for crisp outlines.
_OVERLAY_ZOOM = 2.0


def copies_overlay(found: tuple[SignalRecord, ...], size: tuple[float, float]) -> QImage:
    """A transparent picture of the whole unrotated page with each pair of copies outlined and joined."""
    width, height = (max(1, round(v * _OVERLAY_ZOOM)) for v in size)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(_OVERLAY_ZOOM, _OVERLAY_ZOOM)
    colour = QColor(SEVERITY_COLOURS[Severity.WARNING])
    fill = QColor(colour)
    fill.setAlpha(40)
    painter.setPen(QPen(colour, 1.5))
    for record in found:
        boxes = [record.value.get(k) for k in ("source", "copy")] if isinstance(record.value, dict) else []
        rects = [QRectF(b[0], b[1], b[2] - b[0], b[3] - b[1]) for b in boxes if b and len(b) == 4]
        for rect in rects:
            painter.fillRect(rect, fill)
            painter.drawRect(rect)
        if len(rects) == 2:
            painter.setPen(QPen(colour, 1.0, Qt.PenStyle.DashLine))
            painter.drawLine(rects[0].center(), rects[1].center())
            painter.setPen(QPen(colour, 1.5))
    painter.end()
    return image
