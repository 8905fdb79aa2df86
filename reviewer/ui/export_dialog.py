"""Exporting an evidence bundle from the window: options, then the export on a background thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.names import shown_line
from reviewer.ui.i18n import translate
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from reviewer.core.services.case import Case
    from reviewer.core.services.export import ExportOptions, ExportReport


class ExportJob(BackgroundJob):
    """One export on its own thread; ``finished`` carries the ExportReport."""

    progressed = Signal(str, int, int)

    def __init__(self, case: Case, out: Path, options: ExportOptions) -> None:
        super().__init__("the export")
        self._case, self._out, self._options = case, out, options

    def work(self) -> ExportReport:
        """Write the bundle."""
        from reviewer.core.services.export import export_bundle  # PyMuPDF and the bag code: when asked

        return export_bundle(
            self._case, self._out, self._options, on_progress=self.progressed.emit, cancel=self.cancel
        )


class ExportDialog(QDialog):
    """Where to, which documents, redacted or not; then progress and the outcome."""

    def __init__(self, case: Case, selected: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export an evidence bundle"))
        self.setMinimumWidth(560)
        self._case = case
        self._selected = selected
        self.job: ExportJob | None = None
        self.report: ExportReport | None = None
        self.removed = False
        self.path = QLineEdit(str(Path.home() / f"{case.root.name}-bundle.zip"), self)
        browse = QPushButton(self.tr("Choose…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        count = len(selected)
        self.only_selected = QCheckBox(
            translate("ExportDialog", "Only the %n selected document(s)", "", count), self
        )
        self.only_selected.setEnabled(bool(selected))
        self.redact = QCheckBox(
            self.tr("Redact for publication (remove what redactions cover; withhold sources)"), self
        )
        self.remove_dots = QCheckBox(
            self.tr("Remove printer tracking dots (page images are re-encoded)"), self
        )
        self.remove_dots.setEnabled(False)  # a publication bundle's cleaned copies only
        self.redact.toggled.connect(self._redact_toggled)
        self.as_zip = QCheckBox(self.tr("One zip file"), self)
        self.as_zip.setChecked(True)
        self.as_zip.toggled.connect(self._zip_toggled)
        form = QFormLayout()
        form.addRow(self.tr("Bundle"), row)
        form.addRow("", self.only_selected)
        form.addRow("", self.redact)
        form.addRow("", self.remove_dots)
        form.addRow("", self.as_zip)
        self.label = QLabel("", self)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.hide()
        # the publication check's findings, one a line (a publication bundle only)
        self.findings = QListWidget(self)
        self.findings.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.start_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button = self.buttons.addButton(
            self.tr("Keep the bundle"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.remove_button = self.buttons.addButton(
            self.tr("Remove it"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        for button in (self.keep_button, self.remove_button):
            button.hide()
        self.keep_button.clicked.connect(self._keep)
        self.remove_button.clicked.connect(self._remove)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        layout.addWidget(self.findings)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        if self.as_zip.isChecked():
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export to"), self.path.text(), self.tr("Zip (*.zip)")
            )
        else:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export into a new folder inside"))
        if chosen:
            self.path.setText(chosen)

    def _redact_toggled(self, on: bool) -> None:
        self.remove_dots.setEnabled(on)
        if not on:
            self.remove_dots.setChecked(False)

    def _zip_toggled(self, on: bool) -> None:
        text = self.path.text()
        if on and not text.endswith(".zip"):
            self.path.setText(text + ".zip")
        elif not on and text.endswith(".zip"):
            self.path.setText(text.removesuffix(".zip"))

    def start(self) -> None:
        """Run the export with the options shown."""
        from reviewer.core.services.export import ExportOptions

        redact = self.redact.isChecked()
        options = ExportOptions(
            docs=list(self._selected) if self.only_selected.isChecked() else (),
            redact=redact,
            zip=self.as_zip.isChecked(),
            remove_tracking_dots=redact and self.remove_dots.isChecked(),
            check_publication=redact,  # checked in the same job, on the finished bag
        )
        self.job = ExportJob(self._case, Path(self.path.text()).expanduser(), options)
        self.job.progressed.connect(self._progress, Qt.ConnectionType.QueuedConnection)
        self.job.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self.job.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.start_button.setEnabled(False)
        self.bar.show()
        self.bar.setRange(0, 0)
        self.job.start()

    def _progress(self, what: str, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(what)

    def _finished(self, report: ExportReport) -> None:
        self.report = report
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        documents = report.documents
        redacted = self.tr(", {count} redacted").format(count=len(report.redacted)) if report.redacted else ""
        self.label.setText(
            translate("ExportDialog", "Exported %n document(s){redacted} to {path}.", "", documents).format(
                redacted=redacted, path=report.path
            )
            + " "
            + self.tr("Anyone can check it with a BagIt validator, or: reviewer verify BUNDLE")
            # what the bundle lacks (a worker that crashed on a document…), one line each
            + "".join(f"\n{p.name}: {line}" for p in report.problems for line in p.missing)
            + "".join(f"\n{line}" for line in report.left_out)
            + self._checked(report)
        )
        self.start_button.hide()
        if report.findings:
            self.findings.addItems([shown_line(f.line()) for f in report.findings])
            self.findings.show()
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.NoButton)
            self.keep_button.show()
            self.remove_button.show()
            return
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)

    def _checked(self, report: ExportReport) -> str:
        """The publication check's verdict, after the export's own lines."""
        if report.findings is None:
            return ""
        if not report.findings:
            return "\n" + self.tr("checked: nothing found that could identify a source")
        n = len(report.findings)
        found = translate("ExportDialog", "checked: %n thing(s) found that could identify a source.", "", n)
        return "\n" + found + " " + self.tr("Keep the bundle, or remove it?")

    def _keep(self) -> None:
        self.accept()

    def _remove(self) -> None:
        """Remove the bundle this export wrote (nothing else), then offer to close."""
        from reviewer.core.services.export import remove_bundle

        if self.report is None:
            return
        try:
            remove_bundle(self._case, self.report)
        except ReviewerError as exc:
            self.label.setText(str(exc))
            return
        self.removed = True
        self.label.setText(self.tr("The bundle was removed: {path}").format(path=self.report.path))
        self.findings.hide()
        self.keep_button.hide()
        self.remove_button.hide()
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.accept)

    def _failed(self, message: str) -> None:
        self.label.setText(message)
        self.start_button.setEnabled(True)
        self.bar.hide()

    def reject(self) -> None:
        """Cancel an export in flight (nothing is left where it was going) and close."""
        if self.job is not None:
            self.job.cancel.set()
            self.label.setText(self.tr("Cancelling…"))
            self.job.wait(600)
        super().reject()
