"""Importing from the window: first where the files came from, then the import on a background thread.

``ImportOptionsDialog`` asks for the source, the date received (or "not known"), passwords for
encrypted files and the OCR languages before anything is imported; ``ImportDialog`` shows progress,
a Cancel button and the refused files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.names import shown
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.services.settings import ocr_defaults, set_document_languages
from reviewer.ui.jobs import BackgroundJob
from reviewer.ui.panes.ocr_languages import LanguagesDialog

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reviewer.core.domain.records import ImportProgress, ImportReport
    from reviewer.core.services.case import Case


class ImportJob(BackgroundJob):
    """One import on its own thread; ``finished`` carries the ImportReport."""

    progressed = Signal(object)  # ImportProgress

    def __init__(
        self,
        case: Case,
        paths: list[Path],
        options: ImportOptions | None = None,
        languages: str | None = None,
    ) -> None:
        super().__init__("the import")
        self._case = case
        self._paths = paths
        self._options = options or ImportOptions()
        self._languages = languages

    def work(self) -> ImportReport:
        """Import the paths; the new documents get the OCR languages chosen (on their custody logs)."""
        report = import_paths(
            self._case, self._paths, self._options, on_progress=self.progressed.emit, cancel=self.cancel
        )
        if self._languages:
            for item in report.imported:
                set_document_languages(self._case, item.id, self._languages)
        return report


class ImportOptionsDialog(QDialog):
    """Where the files came from, when, their passwords and languages; ``options()`` once accepted."""

    def __init__(self, case: Case, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import into the case"))
        self.setMinimumWidth(560)
        self.paths = paths
        self._case_languages = ocr_defaults(case)[1]
        self._languages: str | None = None  # None: as the case
        what = shown(str(paths[0])) if len(paths) == 1 else f"{len(paths)} files and folders"
        self.what = QLabel(f"<b>{_escape(what)}</b>", self)
        self.what.setWordWrap(True)
        self.what.setToolTip("\n".join(shown(str(p)) for p in paths[:30]))
        self.source = QLineEdit(self)
        self.source.setPlaceholderText(
            self.tr("who or where they came from: a person, a channel, a leak's name")
        )
        self.received = QDateEdit(QDate.currentDate(), self)
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.received.setMaximumDate(QDate.currentDate())
        self.not_known = QCheckBox(self.tr("not known"), self)
        self.not_known.setToolTip(self.tr("The day the files were received is not known"))
        self.passwords = QPlainTextEdit(self)
        self.passwords.setPlaceholderText(
            self.tr("for encrypted files: one password a line, each tried in turn")
        )
        self.passwords.setTabChangesFocus(True)
        self.passwords.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.languages = QLabel(self)
        self.choose_languages = QPushButton(self.tr("Languages…"), self)
        self.choose_languages.setToolTip(self.tr("The languages Tesseract reads these documents in"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        received = QHBoxLayout()
        received.addWidget(self.received)
        received.addWidget(self.not_known)
        received.addStretch(1)
        languages = QHBoxLayout()
        languages.addWidget(self.languages, 1)
        languages.addWidget(self.choose_languages)
        form = QFormLayout(self)
        form.addRow(self.tr("Import"), self.what)
        form.addRow(self.tr("Source"), self.source)
        form.addRow(self.tr("Received"), received)
        form.addRow(self.tr("Passwords"), self.passwords)
        form.addRow("OCR", languages)
        hint = QLabel(
            self.tr(
                "The files are copied byte for byte and never changed. Source and date are kept with each "
                "file, and can be corrected later in the Sources pane."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(hint)
        form.addRow(self.buttons)
        self.not_known.toggled.connect(self.received.setDisabled)
        self.choose_languages.clicked.connect(self._choose_languages)
        self.not_known.setChecked(True)
        self.set_languages(None)

    def set_received(self, day: QDate | None) -> None:
        """The day the files were received (None: not known)."""
        self.not_known.setChecked(day is None)
        if day is not None:
            self.received.setDate(day)

    def set_languages(self, languages: str | None) -> None:
        """OCR languages of the documents imported (None: as the case)."""
        self._languages = languages
        self.languages.setText(
            languages or self.tr("as the case ({languages})").format(languages=self._case_languages)
        )

    def options(self) -> ImportOptions:
        """What the import records and tries."""
        lines = [line for line in self.passwords.toPlainText().splitlines() if line.strip()]
        received = None if self.not_known.isChecked() else self.received.date().toString("yyyy-MM-dd")
        return ImportOptions(
            source=self.source.text().strip() or None,
            received_on=received,
            password=lines[0] if lines else None,
            passwords=tuple(lines[1:]),
        )

    def chosen_languages(self) -> str | None:
        """The OCR languages chosen for these documents (None: as the case)."""
        return self._languages

    def _choose_languages(self) -> None:
        current = self._languages or self._case_languages
        dialog = LanguagesDialog(
            current, self._case_languages, follows_case=self._languages is None, parent=self
        )
        dialog.setWindowTitle(self.tr("OCR languages of these documents"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_languages(dialog.languages()))
        dialog.open()


class ImportDialog(QDialog):
    """Progress of an import, a Cancel button, and the refused files with their reasons."""

    def __init__(self, job: ImportJob, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Importing"))
        self.setMinimumWidth(560)
        self.job = job
        self.report: ImportReport | None = None
        self.label = QLabel(self.tr("Looking at the files…"), self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.refused = QListWidget(self)
        self.refused.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.refused)
        layout.addWidget(self.buttons)
        job.progressed.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        job.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

    def _progress(self, progress: ImportProgress) -> None:
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        self.label.setText(
            self.tr(
                "{done} of {total} files: {new} new, {duplicates} already in the case, {refused} refused"
            ).format(
                done=progress.done,
                total=progress.total,
                new=progress.imported,
                duplicates=progress.duplicates,
                refused=progress.failed,
            )
        )

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        verb = self.tr("Import cancelled") if report.cancelled else self.tr("Import finished")
        self.label.setText(
            self.tr("{verb}: {new} new, {duplicates} already in the case, {refused} refused.").format(
                verb=verb,
                new=len(report.imported),
                duplicates=len(report.duplicates),
                refused=len(report.failed),
            )
        )
        if report.failed:
            self.refused.show()
            for failure in report.failed:
                self.refused.addItem(f"{failure.path}: {failure.error}")
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            self.buttons.rejected.connect(self.accept)
        else:
            self.accept()

    def _failed(self, message: str) -> None:
        self.label.setText(message)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

    def _cancel(self) -> None:
        if self.report is None:
            self.job.cancel.set()
            self.label.setText(self.tr("Cancelling…"))
        else:
            self.reject()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ask_import(
    parent: QWidget,
    case: Case,
    paths: list[Path],
    start: Callable[[list[Path], ImportOptions, str | None], object],
) -> ImportOptionsDialog:
    """Ask where ``paths`` came from (window-modal); once accepted, ``start(paths, options, languages)``."""
    dialog = ImportOptionsDialog(case, paths, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: start(paths, dialog.options(), dialog.chosen_languages()))
    dialog.open()
    return dialog
