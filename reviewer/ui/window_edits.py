"""The window's own edits of what is known: statuses, tags, and annotations drawn on the page.

Each asks :class:`~reviewer.ui.actions.DocumentActions` with the value the person saw, so an edit
crossed by someone else's on a shared case is refused and offered (``ConflictBox``), never lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus
from reviewer.core.services import queries
from reviewer.ui.i18n import translate
from reviewer.ui.rationale_dialog import current_rationale, decide

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import QRectF

    from reviewer.ui.main_window import MainWindow
    from reviewer.ui.rationale_dialog import RationaleDialog


class WindowEdits:
    """Edits started from the window's menus, keys and page (see the module's notes)."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def set_status(self, status: VerificationStatus) -> RationaleDialog | None:
        """Set the status of the selected documents; a verdict only once its rationale is given."""
        window = self._window
        ids = window.selected_document_ids()
        return decide(window, window.edits, ids, status, current_rationale(window.case, ids))

    def tags_seen(self, ids: Sequence[int]) -> dict[int, Sequence[str]]:
        """Each document's tags as recorded when the person is asked (what they add to or take from)."""
        return {d: queries.document_detail(self._window.case, d).summary.tags for d in ids}

    def tag_selected(self) -> None:
        """Ask for tags and add them to the selected documents."""
        window = self._window
        ids = window.selected_document_ids()
        seen = self.tags_seen(ids)
        count = len(ids)
        text, ok = QInputDialog.getText(
            window,
            translate("MainWindow", "Tag documents"),
            translate("MainWindow", "Tags for %n document(s), comma-separated:", "", count),
        )
        tags = [t.strip() for t in text.split(",") if t.strip()]
        if ok and tags and ids:
            window.edits.tag(ids, tags, seen=seen)

    def untag_selected(self) -> None:
        """Ask for a tag and remove it from the selected documents."""
        window = self._window
        ids = window.selected_document_ids()
        tags = queries.all_tags(window.case)
        if not ids or not tags:
            return
        seen = self.tags_seen(ids)
        tag, ok = QInputDialog.getItem(
            window,
            translate("MainWindow", "Remove tag"),
            translate("MainWindow", "Tag to remove:"),
            tags,
            0,
            False,
        )
        if ok and tag:
            window.edits.tag(ids, [tag], remove=True, seen=seen)

    def region_drawn(self, page: int, rect: QRectF) -> None:
        """A rectangle drawn on the page: a new annotation there, selected, its note ready to type."""
        doc_id = self._window.current_document_id
        if doc_id is not None:
            self._window.edits.add_annotation(doc_id, page, _rect(rect))
            self._select_newest()

    def text_annotation_wanted(self, page: int, first: int, last: int, kind: AnnotationKind) -> None:
        """Words selected on the page to annotate: a new annotation on them, as for a region."""
        doc_id = self._window.current_document_id
        if doc_id is not None:
            self._window.edits.annotate_text(doc_id, page, (first, last), kind)
            self._select_newest()

    def _select_newest(self) -> None:
        window = self._window
        window.panes.setCurrentWidget(window.annotations)
        records = window.annotations.model
        newest = max(range(records.rowCount()), key=lambda r: records.record(r).created_at, default=None)  # type: ignore[union-attr]
        if newest is not None:
            window.annotations.select(records.record(newest).id)  # type: ignore[union-attr]
            window.annotations.note.setFocus()

    def delete_annotation(self, annotation_id: str) -> None:
        """Withdraw an annotation (Delete on the page)."""
        doc_id = self._window.current_document_id
        if doc_id is not None:
            self._window.edits.delete_annotation(doc_id, annotation_id)

    def region_edited(self, annotation_id: str, rect: QRectF) -> None:
        """An annotation's region moved or resized on the page."""
        doc_id = self._window.current_document_id
        if doc_id is not None:
            self._window.edits.edit_annotation(doc_id, annotation_id, rect=_rect(rect))


def _rect(rect: QRectF) -> Rect:
    return Rect(round(rect.left(), 2), round(rect.top(), 2), round(rect.right(), 2), round(rect.bottom(), 2))
