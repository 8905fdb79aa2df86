"""What comes into a case and goes out of it from the window: import (files, a folder, dropped files),
export of a bundle, merge of another fact-checker's bundle. The window keeps its menu entries and
hands them to :class:`CaseTransfers`, which tells it when the list is to be read again."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from reviewer.ui.export_dialog import ExportDialog
from reviewer.ui.i18n import translate
from reviewer.ui.import_dialog import ImportDialog, ImportJob, ImportOptionsDialog, ask_import
from reviewer.ui.merge import merge_bundle

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.domain.records import ImportReport
    from reviewer.core.services.case import Case
    from reviewer.core.services.importing import ImportOptions


class CaseTransfers(QObject):
    """Import, export and merge for one window (see the module's notes)."""

    imported = Signal(object)  # ImportReport, or None when the import failed: the list is read again
    merged = Signal()  # a bundle merged: the list is read again
    exported = Signal()  # the export dialog closed: the documents it marked are shown again

    def __init__(self, case: Case, window: QWidget, show_error: Callable[[str], None]) -> None:
        super().__init__(window)
        self._case = case
        self._window = window
        self._show_error = show_error
        self.running: ImportDialog | None = None
        self.options: ImportOptionsDialog | None = None

    def choose_files(self) -> None:
        """Pick files to import."""
        files, _ = QFileDialog.getOpenFileNames(
            self._window, translate("MainWindow", "Import files into the case")
        )
        if files:
            self.ask_import([Path(f) for f in files])

    def choose_folder(self) -> None:
        """Pick a folder to import."""
        folder = QFileDialog.getExistingDirectory(
            self._window, translate("MainWindow", "Import a folder into the case")
        )
        if folder:
            self.ask_import([Path(folder)])

    def ask_import(self, paths: list[Path]) -> ImportOptionsDialog:
        """Ask for the files' source, date received, passwords and languages; then import them."""
        self.options = ask_import(self._window, self._case, paths, self.import_paths)
        return self.options

    def import_paths(
        self, paths: list[Path], options: ImportOptions | None = None, languages: str | None = None
    ) -> ImportDialog:
        """Import in the background with a progress dialog; the window stays usable."""
        job = ImportJob(self._case, paths, options, languages)
        dialog = ImportDialog(job, self._window)
        job.finished.connect(self._done, Qt.ConnectionType.QueuedConnection)
        job.failed.connect(lambda _message: self._done(None), Qt.ConnectionType.QueuedConnection)
        self.running = dialog
        dialog.open()
        job.start()
        return dialog

    def _done(self, report: ImportReport | None) -> None:
        """The list shows new documents at once; the dialog stays open if files were refused."""
        if self.running is not None:
            self.running.job.wait(30)
        self.running = None
        self.imported.emit(report)

    def export_bundle(self, doc_ids: list[int]) -> ExportDialog:
        """Ask where and what, then export with progress."""
        dialog = ExportDialog(self._case, doc_ids, self._window)
        dialog.finished.connect(lambda _code: self.exported.emit())
        dialog.open()
        return dialog

    def merge_bundle(self) -> None:
        """Merge another fact-checker's bundle (verified first; conflicts reported, not overwritten)."""
        if merge_bundle(self._window, self._case, self._show_error) is not None:
            self.merged.emit()

    def stop(self) -> None:
        """Stop an import under way (closing the window does)."""
        if self.running is not None:
            self.running.job.cancel.set()
            self.running.job.wait(30)
