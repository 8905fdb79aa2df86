"""The Page text pane: the text of the page shown, from its text layer or OCR, to read, search and copy.

It says what became of OCR on the page, marks what the current search matched, and reads the document
again with OCR (in the languages chosen for it) on a background thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.ingest.reading import OcrMode, OcrStatus, usable_text
from reviewer.core.ingest.tesseract import INSTALL_HINT, tesseract_program
from reviewer.core.services.page_layout import text_layer_lines
from reviewer.core.services.page_readings import page_readings
from reviewer.core.services.reading import read_pages
from reviewer.core.services.search import page_text, text_matches
from reviewer.core.services.settings import document_languages, ocr_defaults
from reviewer.ui.actions import DocumentActions
from reviewer.ui.i18n import QT_TRANSLATE_NOOP, translate
from reviewer.ui.jobs import BackgroundJob
from reviewer.ui.panes.ocr_languages import LanguagesDialog

if TYPE_CHECKING:
    from reviewer.core.domain.records import PageText
    from reviewer.core.services.case import Case
    from reviewer.core.services.page_readings import PageReading
    from reviewer.core.services.reading import ReadProgress, ReadReport

TEXT_LAYER, OCR = QT_TRANSLATE_NOOP("PageTextPane", "Text layer"), "OCR"
MATCH_BACKGROUND = QColor("#ffe36e")
MATCH_FOREGROUND = QColor("#1a1a1a")
WARNING_COLOUR = "#c5221f"


def ocr_status_text(page: PageText, *, tesseract_installed: bool) -> str:
    """One line on what became of OCR on a page."""
    status = page.ocr_status
    if status is None:
        return translate("PageTextPane", "Not read yet")
    if status == OcrStatus.DONE:
        languages = page.ocr_languages or translate("PageTextPane", "unknown languages")
        line = translate("PageTextPane", "OCR done ({languages})").format(languages=languages)
        if page.ocr_confidence is not None:
            line += translate("PageTextPane", ", mean confidence {percent} %").format(
                percent=f"{page.ocr_confidence:.0f}"
            )
        return line
    if status == OcrStatus.NOT_NEEDED:
        return translate("PageTextPane", "No OCR needed: the page has a text layer")
    if status == OcrStatus.SKIPPED:
        if not tesseract_installed:
            return translate("PageTextPane", "OCR skipped: Tesseract is not installed — {hint}").format(
                hint=INSTALL_HINT
            )
        return translate("PageTextPane", "OCR skipped: OCR was turned off when the page was read")
    if status == OcrStatus.FAILED:
        reason = page.ocr_error or translate("PageTextPane", "no reason given")
        return translate("PageTextPane", "OCR failed: {reason}").format(reason=reason)
    return f"OCR: {status}"


def layers_of(page: PageText) -> list[str]:
    """The texts a page has, the usable one first (OCR when the text layer is empty or garbage)."""
    has_layer = bool(page.text_layer.strip())
    has_ocr = bool((page.ocr_text or "").strip())
    if has_ocr and not usable_text(page.text_layer):
        return [OCR, TEXT_LAYER] if has_layer else [OCR]
    if has_ocr:
        return [TEXT_LAYER, OCR]
    return [TEXT_LAYER]


class ReadAgainJob(BackgroundJob):
    """OCR every page of one document again; ``finished`` carries the ReadReport."""

    progressed = Signal(object)  # ReadProgress

    def __init__(self, case: Case, document_id: int, languages: str | None) -> None:
        super().__init__("reading again")
        self._case = case
        self._document_id = document_id
        self._languages = languages

    def work(self) -> ReadReport:
        """Read the document again, OCR on every page."""
        return read_pages(
            self._case,
            [self._document_id],
            mode=OcrMode.ALWAYS,
            force=True,
            languages=self._languages,
            on_progress=self.progressed.emit,
            cancel=self.cancel,
        )


class PageTextPane(QWidget):
    """The text of one page; ``documentChanged(document id)`` after it was read again."""

    documentChanged = Signal(int)

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case = case
        self._document_id: int | None = None
        self._page = 0
        self._text: PageText | None = None
        self._layer_lines: str | None = None  # the text layer in lines and paragraphs, as on the page
        self._query = ""
        self._preferred: str | None = None  # the layer chosen by hand, kept from page to page
        self._languages: dict[int, str | None] = {}  # chosen in this session, per document
        self.job: ReadAgainJob | None = None
        self.job_document: int | None = None
        self._before: tuple[PageReading, ...] = ()  # the reading a read-again replaces, for its undo
        self._actions = DocumentActions(case, self)  # the window's, once it gives them
        #: how many places of the text shown the query matched
        self.match_count = 0
        self.layer = QComboBox(self)
        self.layer.setToolTip(self.tr("Which text of the page to show"))
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.source = QLabel(self)  # where the text comes from, when there is nothing to choose
        self.matches = QLabel(self)
        self.languages = QPushButton(self.tr("Languages…"), self)
        self.languages.setToolTip(self.tr("The languages Tesseract reads this document in"))
        self.read_again = QPushButton(self.tr("Read again with OCR"), self)
        self.read_again.setToolTip(self.tr("OCR every page of this document again, in its languages"))
        self.progress = QProgressBar(self)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setPlaceholderText(self.tr("No text on this page"))
        top = QHBoxLayout()
        top.addWidget(self.layer)
        top.addWidget(self.source)
        top.addWidget(self.matches, 1)
        # the buttons on a line of their own, right-aligned: the pane is about 300 px on a laptop
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.languages)
        actions.addWidget(self.read_again)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.text, 1)
        self.layer.activated.connect(self._layer_chosen)
        self.languages.clicked.connect(self._choose_languages)
        self.read_again.clicked.connect(self._read_again_or_cancel)
        self.show_page(None, 0)

    # -- what the window asks --------------------------------------------------------------------------

    def use_actions(self, actions: DocumentActions) -> None:
        """Put each read-again on these actions' undo stack (undo puts the earlier reading back)."""
        self._actions = actions

    def show_page(self, document_id: int | None, page: int) -> None:
        """Show the text of a page (1-based) of a document; None shows nothing."""
        self._document_id, self._page = document_id, page
        self._text = None
        self._layer_lines = None
        error = ""
        if document_id is not None:
            try:
                self._text = page_text(self._case, document_id, page)
                self._layer_lines = text_layer_lines(self._case, document_id, page)
            except ReviewerError as exc:
                error = str(exc)
        self._fill_layers()
        self._show_text()
        busy = self.job is not None
        self.languages.setEnabled(document_id is not None and not busy)
        self.read_again.setEnabled(document_id is not None and (not busy or self.job_document == document_id))
        if self._text is not None:
            installed = tesseract_program() is not None
            self._set_status(ocr_status_text(self._text, tesseract_installed=installed), warning=False)
        else:
            self._set_status(error, warning=bool(error))

    def set_query(self, query: str) -> None:
        """Mark what a search for ``query`` matches on the page ("" marks nothing)."""
        self._query = query.strip()
        self._mark_matches()

    def document_languages(self) -> str:
        """The OCR languages this document will be read in: its own, else those it was last read in,
        else the case's."""
        if self._document_id is not None and (own := document_languages(self._case, self._document_id)):
            return own
        if self._document_id not in self._languages and self._text is not None and self._text.ocr_languages:
            return self._text.ocr_languages
        return ocr_defaults(self._case)[1]

    def set_languages(self, languages: str | None) -> None:
        """Set the OCR languages of the document shown (None: follow the case), on its custody log."""
        if self._document_id is None:
            return
        try:
            self._actions.set_ocr_languages(self._document_id, languages)  # undoable, on the log
        except ReviewerError as exc:
            self._set_status(str(exc), warning=True)
            return
        self._languages[self._document_id] = languages
        self._set_status(
            self.tr("OCR languages of this document: {languages}").format(
                languages=languages or self.tr("as the case")
            ),
            warning=False,
        )

    def read_again_with_ocr(self) -> None:
        """OCR every page of the document shown again, in its languages, on a background thread."""
        if self._document_id is None or self.job is not None:
            return
        try:
            self._before = page_readings(self._case, self._document_id)
        except ReviewerError as exc:
            self._set_status(str(exc), warning=True)
            return
        job = ReadAgainJob(self._case, self._document_id, self.document_languages())
        self.job, self.job_document = job, self._document_id
        job.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        job.finished.connect(self._read, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._read_failed, Qt.ConnectionType.QueuedConnection)
        self.read_again.setText(self.tr("Cancel reading"))
        self.languages.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self._set_status(self.tr("Reading the document again with OCR…"), warning=False)
        job.start()

    # -- inside ----------------------------------------------------------------------------------------

    def _set_status(self, text: str, *, warning: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {WARNING_COLOUR};" if warning else "")

    def _fill_layers(self) -> None:
        layers = layers_of(self._text) if self._text is not None else []
        self.layer.clear()
        for layer in layers:
            self.layer.addItem(self.tr(layer), layer)
        if self._preferred in layers:
            self.layer.setCurrentIndex(layers.index(self._preferred))
        self.layer.setVisible(len(layers) > 1)
        self.source.setText(f"<b>{self.tr(layers[0])}</b>" if len(layers) == 1 else "")
        self.source.setVisible(len(layers) == 1)

    def _layer_chosen(self, _row: int) -> None:
        self._preferred = str(self.layer.currentData() or "")
        self._show_text()

    def shown_layer(self) -> str | None:
        """Which text is shown: ``Text layer`` or ``OCR`` (None without a page)."""
        return str(self.layer.currentData() or "") or None

    def _show_text(self) -> None:
        page = self._text
        if page is None:
            text = ""
        elif self.layer.currentText() == OCR:
            text = page.ocr_text or ""
        else:
            text = self._layer_lines if self._layer_lines is not None else page.text_layer
        self.text.setPlainText(text)
        self._mark_matches()

    def _mark_matches(self) -> None:
        text = self.text.toPlainText()
        spans: list[tuple[int, int]] = []
        if self._query and text:
            try:
                spans = text_matches(text, self._query)
            except ReviewerError:
                spans = []  # the search panel says what is wrong with the query
        mark = QTextCharFormat()
        mark.setBackground(MATCH_BACKGROUND)
        mark.setForeground(MATCH_FOREGROUND)
        selections: list[QTextEdit.ExtraSelection] = []
        for start, end in spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = mark
            selections.append(selection)
        self.text.setExtraSelections(selections)
        if spans:
            first = QTextCursor(self.text.document())
            first.setPosition(spans[0][0])
            self.text.setTextCursor(first)
            self.text.centerCursor()
        self.match_count = len(spans)
        if not self._query or self._text is None:
            self.matches.clear()
        else:
            count = len(spans)
            found = translate("PageTextPane", "%n match(es)", "", count)
            self.matches.setText(found.replace("(es)", "" if count == 1 else "es"))
            self.matches.setToolTip(
                self.tr("on this page, of a search for {query}").format(query=self._query)
            )

    def _choose_languages(self) -> None:
        current, default = self.document_languages(), ocr_defaults(self._case)[1]
        chosen = self._languages.get(self._document_id, "") if self._document_id is not None else ""
        follows = chosen is None or (chosen == "" and current == default)
        dialog = LanguagesDialog(current, default, follows_case=follows, parent=self)
        if dialog.exec() == LanguagesDialog.DialogCode.Accepted:
            self.set_languages(dialog.languages())

    def _read_again_or_cancel(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
            self._set_status(self.tr("Stopping after the pages being read…"), warning=False)
        else:
            self.read_again_with_ocr()

    def _progressed(self, progress: ReadProgress) -> None:
        self.progress.setRange(0, max(progress.pages_total, 1))
        self.progress.setValue(progress.pages_done)
        self._set_status(
            self.tr("Reading again with OCR: {done} of {total} pages").format(
                done=progress.pages_done, total=progress.pages_total
            ),
            warning=False,
        )

    def _job_ended(self) -> int | None:
        document_id = self.job_document
        if self.job is not None:
            self.job.wait()
        self.job, self.job_document = None, None
        self.progress.hide()
        self.read_again.setText(self.tr("Read again with OCR"))
        self.read_again.setEnabled(self._document_id is not None)
        self.languages.setEnabled(self._document_id is not None)
        return document_id

    def _read(self, report: ReadReport) -> None:
        document_id = self._job_ended()
        if document_id is None:
            return
        try:
            self._actions.read_again(document_id, self._before, page_readings(self._case, document_id))
        except ReviewerError as exc:
            self._set_status(str(exc), warning=True)
        if document_id == self._document_id:
            self.show_page(self._document_id, self._page)
        failed, read = len(report.failed), report.ocr
        if report.ocr_missing:
            self._set_status(
                self.tr("OCR skipped: Tesseract is not installed — {hint}").format(hint=INSTALL_HINT),
                warning=True,
            )
        elif report.failed:
            self._set_status(
                translate("PageTextPane", "OCR failed on %n page(s): {first}", "", failed).format(
                    first=report.failed[0]
                ),
                warning=True,
            )
        elif report.cancelled:
            self._set_status(
                translate("PageTextPane", "Stopped: %n page(s) read again", "", read), warning=False
            )
        self.documentChanged.emit(document_id)

    def _read_failed(self, message: str) -> None:
        self._job_ended()
        self._set_status(message, warning=True)
