"""The main window: document list, page viewer and panes, wired to the actions and services."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.names import shown_line
from reviewer.core.services import queries
from reviewer.core.services.documents import page_words
from reviewer.core.services.search import highlights
from reviewer.ui.actions import DocumentActions
from reviewer.ui.document_list import DAMAGED_MARK, DocumentListModel, DocumentListView
from reviewer.ui.filter_bar import FilterBar
from reviewer.ui.i18n import translate
from reviewer.ui.layout import PageFirstLayout, narrow
from reviewer.ui.live import ConflictBox
from reviewer.ui.menus import build_menus
from reviewer.ui.page_strip import PageStrip, PageStripModel
from reviewer.ui.page_view import PageView
from reviewer.ui.panes.tabs import PaneSide, PaneTabs
from reviewer.ui.reading_status import ReadingStatus
from reviewer.ui.search_panel import SearchPanel
from reviewer.ui.store_check import StoreCheck
from reviewer.ui.timeline import TimelineView
from reviewer.ui.unlock_dialog import UnlockBar
from reviewer.ui.window_edits import WindowEdits
from reviewer.ui.window_state import restore_window, save_window
from reviewer.ui.window_status import WindowStatus, ocr_missing_message
from reviewer.ui.window_team import WorkingTogether
from reviewer.ui.window_transfers import CaseTransfers

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from reviewer.core.domain.records import ImportReport
    from reviewer.core.domain.values import VerificationStatus
    from reviewer.core.services.case import Case
    from reviewer.core.services.importing import ImportOptions
    from reviewer.core.services.reading import ReadReport
    from reviewer.ui.export_dialog import ExportDialog
    from reviewer.ui.import_dialog import ImportDialog, ImportOptionsDialog
    from reviewer.ui.live import LiveUpdates
    from reviewer.ui.rationale_dialog import RationaleDialog
    from reviewer.ui.render_bridge import RenderBridge
    from reviewer.ui.thumbnails import ThumbnailCache


class MainWindow(QMainWindow):
    """One open case."""

    document_shown = Signal(object)  # document id or None
    _told_ocr_missing = False  # once per run of the app, not once per window
    import_finished = Signal(object)  # ImportReport
    # the File menu's case commands: the Launcher opens and closes cases, not the window
    new_case_wanted = Signal()
    open_case_wanted = Signal()
    recent_case_wanted = Signal(str)  # the case folder
    close_case_wanted = Signal()

    def __init__(
        self, case: Case, bridge: RenderBridge, thumbnails: ThumbnailCache, settings: QSettings
    ) -> None:
        super().__init__()
        self.case = case
        self.settings = settings
        self.edits = DocumentActions(case, self)
        self.setWindowTitle(f"{shown_line(case.title)} ({shown_line(_home(case.root))}) — reviewer")
        self.setAcceptDrops(True)
        self._doc_id: int | None = None
        self.transfers = CaseTransfers(case, self, self.show_error)
        self.window_edits = WindowEdits(self)
        self.rationale_dialog: RationaleDialog | None = None

        # left: filters and the document list
        self.filters = FilterBar(self)
        self.model = DocumentListModel(case, thumbnails, self)
        self.list = DocumentListView(self.model, self)
        self.count = QLabel(self)
        self.timeline = TimelineView(self)
        self.search = SearchPanel(case, self)
        # One filter bar for the three ways of looking at the case.
        self.browse = QTabWidget(self)
        self.browse.setDocumentMode(True)
        self.browse.addTab(self.list, self.tr("Documents"))
        self.browse.addTab(self.search, self.tr("Search"))
        self.browse.addTab(self.timeline, self.tr("Timeline"))
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(self.browse, 1)
        left_layout.addWidget(self.count)

        # centre: the page
        self.viewer = PageView(bridge, case.layout, self)
        self.unlock_bar = UnlockBar(case, self)  # in the page area, for a locked document
        self.strip_model = PageStripModel(case.layout, thumbnails, self)
        self.strip = PageStrip(self.strip_model, self)
        self.page_label = QLabel(self)
        self._damaged: str | None = None  # the damage line of the document shown, said by the page label
        self.tools = QToolBar(self)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        self.tool_row = QWidget(centre)
        bar = QHBoxLayout(self.tool_row)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.tools, 1)
        bar.addWidget(self.page_label)
        centre_layout.addWidget(self.tool_row)
        centre_layout.addWidget(self.unlock_bar)
        centre_layout.addWidget(self.viewer, 1)
        centre_layout.addWidget(self.strip)

        # right: the panes
        self.panes = PaneTabs(case, self.edits, self)
        self.verification, self.annotations = self.panes.verification, self.panes.annotations
        self.metadata, self.provenance = self.panes.metadata, self.panes.provenance
        self.page_text, self.entities = self.panes.page_text, self.panes.entities
        self.links, self.forensics = self.panes.links, self.panes.forensics
        self.panes_side = PaneSide(self.panes, self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for part in (narrow(left), centre, narrow(self.panes_side)):
            self.splitter.addWidget(part)
        self.status = WindowStatus(self.statusBar(), self)
        self.reading = ReadingStatus(case, self)
        self.status.add(self.reading)
        # The page first: the sides take SHARES of the width, fold to a strip, and reading mode hides them.
        self.layout_parts = PageFirstLayout(self.splitter, [self.tool_row, self.statusBar()], self)
        self.setCentralWidget(self.layout_parts.widget)
        self.menus = build_menus(self)
        self._connect()
        self.team = WorkingTogether(case, self.status, self)  # a shared case: others' changes, who is here
        self.team.connect_to(self._changed_elsewhere, self._case_changed_elsewhere, self.show_error)
        self._restore()
        self._update_count()
        self.filters.set_tags(queries.all_tags(case))
        self._timeline_stale = True
        if self.model.rowCount():
            self.list.selectRow(0)
        # Pages left unread by an earlier import or an interrupted run are read in the background, and
        # files in the store that no document records are told (never removed): both once the first
        # page is sharp, so that on two cores neither takes the CPU that page is drawn with.
        self.store_check = StoreCheck(case, self)
        self._background_started = False
        self.viewer.page_sharp.connect(self._start_background)
        # no page to wait for (an empty case), or one that is never drawn (a render error)
        QTimer.singleShot(0 if self.viewer.document_id is None else 3000, self._start_background)

    def _start_background(self, *_page: object) -> None:
        if self._background_started:
            return
        self._background_started = True
        self.reading.start()
        self.store_check.start()

    # -- building ------------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.list.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._row_chosen(current.row())
        )
        self.filters.changed.connect(self._filter_changed)
        self.viewer.page_changed.connect(self._page_changed)
        self.viewer.region_drawn.connect(self.window_edits.region_drawn)
        self.viewer.text_annotation_wanted.connect(self.window_edits.text_annotation_wanted)
        self.viewer.set_word_source(lambda doc, page: page_words(self.case, doc, page))
        self.viewer.region_edited.connect(self.window_edits.region_edited)
        self.viewer.region_selected.connect(self.annotations.select)
        self.viewer.delete_requested.connect(self.window_edits.delete_annotation)
        self.annotations.selected.connect(self.viewer.select_region)
        self.annotations.page_wanted.connect(self.viewer.go_to_page)
        self.strip.clicked.connect(lambda index: self.viewer.go_to_page(index.row() + 1))
        self.edits.changed.connect(self.refresh)
        self.edits.failed.connect(self.show_error)
        self.edits.conflict.connect(lambda error, anyway: ConflictBox(error, anyway, self).open())
        self.edits.pages_changed.connect(self._document_read_again)
        for pane in (self.provenance, self.links, self.entities, self.page_text, self.forensics):
            pane.use_actions(self.edits)  # their edits go on the window's undo stack
        self.browse.currentChanged.connect(lambda _index: self._update_timeline())
        self.timeline.documentActivated.connect(self.open_document)
        self.search.hitActivated.connect(self.open_hit)
        self.filters.changed.connect(self.search.set_filter)
        self.page_text.documentChanged.connect(self._document_read_again)
        self.entities.documentWanted.connect(self.open_document)
        self.links.documentWanted.connect(self.open_document)
        self.links.linksChanged.connect(self.refresh)
        self.forensics.documentChanged.connect(lambda doc: self.refresh([doc]))
        self.forensics.pageWanted.connect(self.open_page)
        self.forensics.overlayReady.connect(self.viewer.set_overlay)
        self.entities.caseChanged.connect(lambda: self.search.set_filter(self.filters.current()))
        self.reading.finished.connect(self._reading_done)
        self.reading.failed.connect(self.show_error)
        self.unlock_bar.unlocked.connect(self._unlocked)
        self.unlock_bar.failed.connect(self.show_error)
        self.transfers.imported.connect(self._import_done)
        self.transfers.merged.connect(self._merged)
        self.transfers.exported.connect(lambda: self.refresh(self.selected_document_ids()))

    # -- documents -----------------------------------------------------------------------------------

    @property
    def current_document_id(self) -> int | None:
        """The document shown."""
        return self._doc_id

    def selected_document_ids(self) -> list[int]:
        """Documents selected in the list (the current one if none)."""
        rows = sorted({i.row() for i in self.list.selectionModel().selectedRows()})
        ids = [d for d in (self.model.document_id(r) for r in rows) if d is not None]
        return ids or ([self._doc_id] if self._doc_id is not None else [])

    def open_document(self, doc_id: int) -> None:
        """Select a document in the list (clearing a filter that hides it) and show it."""
        row = self.model.row_of(doc_id)
        if row is None:
            self.filters.text.clear()
            row = self.model.row_of(doc_id)
        if row is not None:
            self.list.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def step_document(self, step: int) -> None:
        """Next (1) or previous (-1) document in the list."""
        row = self.list.currentIndex().row() + step
        if 0 <= row < self.model.rowCount() or (step > 0 and self.model.canFetchMore(self.list.rootIndex())):
            if row >= self.model.rowCount():
                self.model.fetchMore(self.list.rootIndex())
            self.list.selectRow(min(row, self.model.rowCount() - 1))

    def _row_chosen(self, row: int) -> None:
        doc_id = self.model.document_id(row)
        if doc_id == self._doc_id:
            return
        self._doc_id = doc_id
        source = queries.page_view(self.case, doc_id) if doc_id is not None else None
        summary = next(iter(queries.summaries(self.case, [doc_id])), None) if doc_id is not None else None
        self._damaged = summary.damaged if summary is not None else None
        self.strip_model.set_source(source)
        self.viewer.show_document(source)
        self.unlock_bar.show_for(doc_id, summary is not None and summary.locked)
        self._show_detail()
        self.timeline.select_document(doc_id)
        self.document_shown.emit(doc_id)

    def _unlocked(self, doc_id: int) -> None:
        """A document's pages became readable: show them, and read (OCR) them as after an import."""
        self.model.refresh_documents([doc_id])
        if self._doc_id == doc_id:
            self._doc_id = None
            row = self.model.row_of(doc_id)
            if row is not None:
                self._row_chosen(row)
        self.reading.start()

    def _show_detail(self) -> None:
        detail = queries.document_detail(self.case, self._doc_id) if self._doc_id is not None else None
        self.verification.set_document(detail)
        self.metadata.set_document(detail)
        self.provenance.set_document(detail)
        self.panes.show_document(self._doc_id)
        annotations = detail.annotations if detail else ()
        self.annotations.set_document(self._doc_id, annotations)
        self.viewer.set_annotations(annotations)

    def refresh(self, doc_ids: Sequence[int]) -> None:
        """Show documents again after a change."""
        self.model.refresh_documents(doc_ids)
        self.filters.set_tags(queries.all_tags(self.case))
        if self._doc_id in doc_ids:
            self._show_detail()
        # a status, date or title the timeline draws may have changed: counted again when it is seen
        self._timeline_stale = True
        self._update_timeline()

    @property
    def live(self) -> LiveUpdates | None:
        """What others change in a shared case, heard as committed (None for a local case)."""
        return self.team.live

    def _changed_elsewhere(self, doc_ids: Sequence[int]) -> None:
        # the rows, the panes of the one shown (what is being typed stays) and the timeline, as a change
        # made here; the count of documents is the same
        self.refresh(doc_ids)

    def _case_changed_elsewhere(self) -> None:
        """Documents came or went, or changes were missed (a connection made again): read it all again."""
        self.model.reload()  # the same filter: set_filter would keep the rows as they were
        self.filters.set_tags(queries.all_tags(self.case))
        self._update_count()
        self._keep_selection()
        if self._doc_id is not None:
            self._show_detail()

    def _filter_changed(self, wanted: queries.DocumentFilter) -> None:
        current = self.model.current_filter
        self.model.set_filter(
            queries.DocumentFilter(
                text=wanted.text,
                tag=wanted.tag,
                status=wanted.status,
                doc_type=wanted.doc_type,
                date_from=wanted.date_from,
                date_to=wanted.date_to,
                sort=current.sort,
                descending=current.descending,
            )
        )
        self._update_count()
        self._keep_selection()

    def _keep_selection(self) -> None:
        """The document shown stays selected if still listed; else the first one is shown (or none)."""
        row = self.model.row_of(self._doc_id) if self._doc_id is not None else None
        if row is not None:
            self.list.selectRow(row)
        elif self.model.rowCount():
            self.list.selectRow(0)
        else:
            self._row_chosen(-1)

    def _update_count(self) -> None:
        total = self.model.total()
        self.count.setText(translate("MainWindow", "%n document(s)", "", total))
        self._timeline_stale = True
        self._update_timeline()

    def _update_timeline(self) -> None:
        # The timeline needs every filtered document, not the list's loaded rows: built only when seen.
        if self._timeline_stale and self.browse.currentWidget() is self.timeline:
            self._timeline_stale = False
            self.timeline.show_documents(queries.timeline_documents(self.case, self.model.current_filter))
            self.timeline.select_document(self._doc_id)

    def _reading_done(self, report: ReadReport) -> None:
        """Pages read: what they say is searchable now; say once if OCR could not run."""
        if self._doc_id is not None:
            self._show_detail()
            self.page_text.show_page(self._doc_id, self.viewer.current_page)
        if report.ocr_missing and not MainWindow._told_ocr_missing:
            MainWindow._told_ocr_missing = True
            self.show_error(ocr_missing_message(report.skipped))
        else:
            self.status.reading_done(report)

    def open_hit(self, doc_id: int, page: int, query: str) -> None:
        """Show a search hit: the document at its page, the words found highlighted there and in its text."""
        self.open_document(doc_id)
        self.viewer.set_highlighter(
            (lambda d, p: highlights(self.case, d, p, query)) if query.strip() else None
        )
        self.page_text.set_query(query)
        if page:
            self.viewer.go_to_page(page)
        else:
            self.panes.setCurrentWidget(self.metadata)

    def show_search(self) -> None:
        """The search tab, its field ready to type in."""
        self.browse.setCurrentWidget(self.search)
        self.search.focus_search()

    def _document_read_again(self, doc_id: int) -> None:
        self.refresh([doc_id])
        if doc_id == self._doc_id:
            self.page_text.show_page(doc_id, self.viewer.current_page)
            self.viewer.set_highlighter(self.viewer.highlighter)

    def open_page(self, doc_id: int, page: int) -> None:
        """Show a document at a page."""
        self.open_document(doc_id)
        self.viewer.go_to_page(page)

    def _page_changed(self, page: int) -> None:
        self.page_text.show_page(self._doc_id, page)
        self.forensics.set_page(page)
        total = self.viewer.page_count
        shown_page = self.tr("Page {page} of {total}").format(page=page, total=total)
        if self._damaged:  # a file that arrived damaged says so above every page; the tooltip says how
            shown_page += "   " + DAMAGED_MARK + " " + self.tr("damaged")
        self.page_label.setText("  " + shown_page + "  ")
        self.page_label.setToolTip(self._damaged or "")
        self.strip.setCurrentIndex(self.strip_model.index(page - 1))

    # -- edits ---------------------------------------------------------------------------------------

    def set_status(self, status: VerificationStatus) -> None:
        """Set the status of the selected documents; a verdict only once its rationale is given."""
        self.rationale_dialog = self.window_edits.set_status(status)

    def tag_selected(self) -> None:
        """Ask for tags and add them to the selected documents."""
        self.window_edits.tag_selected()

    def untag_selected(self) -> None:
        """Ask for a tag and remove it from the selected documents."""
        self.window_edits.untag_selected()

    def show_error(self, message: str) -> None:
        """Tell the person, without stopping them (the box is not modal)."""
        self.status.error(message, self)

    # -- import, export, merge (window_transfers) ----------------------------------------------------

    @property
    def import_options(self) -> ImportOptionsDialog | None:
        """The dialog asking how to import, while it is open."""
        return self.transfers.options

    def choose_files(self) -> None:
        """Pick files to import."""
        self.transfers.choose_files()

    def choose_folder(self) -> None:
        """Pick a folder to import."""
        self.transfers.choose_folder()

    def ask_import(self, paths: list[Path]) -> ImportOptionsDialog:
        """Ask for the files' source, date received, passwords and languages; then import them."""
        return self.transfers.ask_import(paths)

    def import_paths(
        self, paths: list[Path], options: ImportOptions | None = None, languages: str | None = None
    ) -> ImportDialog:
        """Import in the background with a progress dialog; the window stays usable."""
        return self.transfers.import_paths(paths, options, languages)

    def _import_done(self, report: ImportReport | None) -> None:
        """The list shows new documents at once; the dialog stays open if files were refused."""
        self.model.reload()
        self.filters.set_tags(queries.all_tags(self.case))
        self._update_count()
        if self._doc_id is None and self.model.rowCount():
            self.list.selectRow(0)
        self.reading.start()
        self.import_finished.emit(report)

    def export_bundle(self) -> ExportDialog:
        """Ask where and what, then export with progress."""
        return self.transfers.export_bundle(self.selected_document_ids())

    def merge_bundle(self) -> None:
        """Merge another fact-checker's bundle (verified first; conflicts reported, not overwritten)."""
        self.transfers.merge_bundle()

    def _merged(self) -> None:
        self.model.reload()
        self._update_count()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.ask_import(paths)

    # -- state between runs --------------------------------------------------------------------------

    def _restore(self) -> None:
        restore_window(self, self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._background_started = True  # a deferred start must not come after closing
        self.team.stop()
        self.reading.stop()
        self.store_check.stop()
        self.forensics.shutdown()
        if self.page_text.job is not None:
            self.page_text.job.cancel.set()
            self.page_text.job.wait(30)
        self.transfers.stop()
        save_window(self, self.settings)
        super().closeEvent(event)


def _home(folder: Path) -> str:
    """A folder as a person reads it: under the home folder as ``~/…``."""
    try:
        return "~/" + str(folder.relative_to(Path.home()))
    except ValueError:
        return str(folder)
