"""Every edit the window makes, as an undoable command that calls a ``reviewer.core`` service.

Widgets never change the case themselves: they call these, which push a ``QUndoCommand`` whose
``redo``/``undo`` ask the services, so every edit and every undo lands on the custody log like any
other change. ``changed`` names the documents to show again; ``failed`` carries a plain message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus
from reviewer.core.services import documents, queries

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.services.case import Case


class _Command(QUndoCommand):
    def __init__(
        self,
        actions: DocumentActions,
        text: str,
        doc_ids: Sequence[int],
        do: Callable[[], Any],
        undo: Callable[[], Any],
    ) -> None:
        super().__init__(text)
        self._actions = actions
        self._doc_ids = list(doc_ids)
        self._do = do
        self._undo = undo

    def redo(self) -> None:
        self._actions._run(self._do, self._doc_ids)

    def undo(self) -> None:
        self._actions._run(self._undo, self._doc_ids)


class DocumentActions(QObject):
    """Undoable edits of the open case."""

    changed = Signal(list)  # ids of documents whose record changed
    failed = Signal(str)

    def __init__(self, case: Case, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.undo_stack = QUndoStack(self)

    def _run(self, step: Callable[[], Any], doc_ids: list[int]) -> None:
        try:
            step()
        except ReviewerError as exc:
            self.failed.emit(str(exc))
            return
        self.changed.emit(doc_ids)

    def _push(
        self, text: str, doc_ids: Sequence[int], do: Callable[[], Any], undo: Callable[[], Any]
    ) -> None:
        self.undo_stack.push(_Command(self, text, doc_ids, do, undo))

    # -- status, tags, fields ------------------------------------------------------------------------

    def set_status(self, doc_ids: Sequence[int], status: VerificationStatus, note: str | None) -> None:
        """Set the status (and rationale) of one or more documents."""
        before = {d: queries.document_detail(self.case, str(d)) for d in doc_ids}
        plural = f"{len(doc_ids)} documents" if len(doc_ids) > 1 else f"document {doc_ids[0]}"

        def do() -> None:
            for d in doc_ids:
                documents.set_status(self.case, str(d), status, note)

        def undo() -> None:
            for d, detail in before.items():
                documents.set_status(self.case, str(d), detail.summary.status, detail.status_note)

        self._push(f"Status of {plural}: {status.value}", doc_ids, do, undo)

    def set_rationale(self, doc_id: int, note: str) -> None:
        """Change the rationale of the current status."""
        detail = queries.document_detail(self.case, str(doc_id))
        if (detail.status_note or "") == note.strip():
            return
        self.set_status([doc_id], detail.summary.status, note)

    def tag(self, doc_ids: Sequence[int], tags: Sequence[str], *, remove: bool = False) -> None:
        """Add (or remove) tags on documents; undo restores exactly the tags each had."""
        before = {d: set(queries.document_detail(self.case, str(d)).summary.tags) for d in doc_ids}

        def do() -> None:
            documents.tag_documents(self.case, [str(d) for d in doc_ids], tags, remove=remove)

        def undo() -> None:
            for d, had in before.items():
                if remove:
                    back = [t for t in tags if t in had]
                    if back:
                        documents.tag_documents(self.case, [str(d)], back)
                else:
                    added = [t for t in tags if t not in had]
                    if added:
                        documents.tag_documents(self.case, [str(d)], added, remove=True)

        verb = "Untag" if remove else "Tag"
        self._push(f"{verb} {', '.join(tags)}", doc_ids, do, undo)

    def set_field(self, doc_id: int, name: str, value: str) -> None:
        """Set one metadata field (or free field); an empty value clears it."""
        detail = queries.document_detail(self.case, str(doc_id))
        old = {**detail.fields, **detail.free_fields}.get(name, "")
        if old == value.strip():
            return

        def do() -> None:
            documents.set_metadata(self.case, str(doc_id), {name: value})

        def undo() -> None:
            documents.set_metadata(self.case, str(doc_id), {name: old})

        self._push(f"Set {name}", [doc_id], do, undo)

    def set_check(self, doc_id: int, item: str, state: str, note: str | None) -> None:
        """Record a checklist finding."""
        old = queries.document_detail(self.case, str(doc_id)).checklist[item]
        if (old.state, old.note or "") == (state, (note or "").strip()):
            return

        def do() -> None:
            documents.set_check(self.case, str(doc_id), item, state, note)

        def undo() -> None:
            documents.set_check(self.case, str(doc_id), item, old.state, old.note)

        self._push(f"Checklist: {item}", [doc_id], do, undo)

    # -- annotations ---------------------------------------------------------------------------------

    def add_annotation(
        self, doc_id: int, page: int, rect: Rect, kind: AnnotationKind = AnnotationKind.NOTE
    ) -> None:
        """Mark a region; undo withdraws it, redo brings the same annotation back."""
        created: list[str] = []

        def do() -> None:
            if created:
                documents.restore_annotation(self.case, created[0])
            else:
                created.append(
                    documents.add_annotation(self.case, str(doc_id), page=page, rect=rect, kind=kind).id
                )

        def undo() -> None:
            documents.delete_annotation(self.case, created[0])

        self._push(f"Add {kind.value} on page {page}", [doc_id], do, undo)

    def edit_annotation(self, doc_id: int, annotation_id: str, **changes: Any) -> None:
        """Change an annotation's region, kind, texts or tags."""
        old = next(
            a for a in queries.document_detail(self.case, str(doc_id)).annotations if a.id == annotation_id
        )
        previous: dict[str, Any] = {}
        for key, value in changes.items():
            if key == "rect":
                previous[key] = Rect(old.x0, old.y0, old.x1, old.y1)
            elif key == "tags":
                previous[key] = list(old.tags)
            elif key == "kind":
                previous[key] = old.kind
            else:
                previous[key] = getattr(old, key) or ""
            if key not in ("rect", "tags", "kind") and (getattr(old, key) or "") == (value or "").strip():
                del previous[key]
        if not previous:
            return
        wanted = {k: v for k, v in changes.items() if k in previous}

        def do() -> None:
            documents.update_annotation(self.case, annotation_id, **wanted)

        def undo() -> None:
            documents.update_annotation(self.case, annotation_id, **previous)

        label = "Move annotation" if set(wanted) == {"rect"} else "Edit annotation"
        self._push(label, [doc_id], do, undo)

    def delete_annotation(self, doc_id: int, annotation_id: str) -> None:
        """Withdraw an annotation; undo brings it back."""

        def do() -> None:
            documents.delete_annotation(self.case, annotation_id)

        def undo() -> None:
            documents.restore_annotation(self.case, annotation_id)

        self._push("Delete annotation", [doc_id], do, undo)
