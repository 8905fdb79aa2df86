"""Merging a colleague's evidence bundle from the window."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reviewer.core.domain.errors import ReviewerError
from reviewer.ui.i18n import translate

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.services.case import Case
    from reviewer.core.services.exchange import MergeReport


def merge_bundle(parent: QWidget, case: Case, show_error: Callable[[str], None]) -> MergeReport | None:
    """Ask for a bundle, merge it (verified first; conflicts reported, not overwritten), say what came in."""
    from reviewer.core.services.exchange import import_bundle

    chosen, _ = QFileDialog.getOpenFileName(
        parent,
        translate("merge", "Merge an evidence bundle"),
        "",
        translate("merge", "Bundles (*.zip);;All files (*)"),
    )
    if not chosen:
        return None
    try:
        report = import_bundle(case, Path(chosen))
    except ReviewerError as exc:
        show_error(str(exc))
        return None
    lines = [
        translate(
            "merge", "New documents: {new}; already here: {matched}; annotations added: {added}."
        ).format(
            new=len(report.new_documents),
            matched=len(report.matched_documents),
            added=report.annotations_added,
        )
    ]
    lines += report.conflicts[:20]
    box = QMessageBox(
        QMessageBox.Icon.Information,
        translate("merge", "Bundle merged"),
        "\n".join(lines),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return report
