"""The undo stack under the window's edits: each edit a command that asks a service, and undone by one.

:class:`UndoableActions` makes an edit now or on the stack's first redo, says which documents changed,
and for an edit that says what the person saw (``seen``) turns someone else's crossing edit into an
offer (``conflict``) instead of an error. :class:`~reviewer.ui.actions.DocumentActions` builds the
window's edits on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from reviewer.core.domain.errors import ConflictError, ReviewerError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


class _Command(QUndoCommand):
    def __init__(
        self,
        actions: UndoableActions,
        text: str,
        doc_ids: Sequence[int],
        do: Callable[[], Any],
        undo: Callable[[], Any],
        *,
        done: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(text)
        self._actions = actions
        self._doc_ids = list(doc_ids)
        self._do = do
        self._undo = undo
        self._done = done  # made already by the caller: the stack's first redo() is not to repeat it
        self._then = then

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._actions._run(self._do, self._doc_ids, self._then)

    def undo(self) -> None:
        self._actions._run(self._undo, self._doc_ids, self._then)


class UndoableActions(QObject):
    """Edits on an undo stack (see the module's notes)."""

    changed = Signal(list)  # ids of documents whose record changed
    failed = Signal(str)
    # someone else changed what was being edited: (ConflictError, apply the edit anyway)
    conflict = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)

    def _run(
        self, step: Callable[[], Any], doc_ids: list[int], then: Callable[[], None] | None = None
    ) -> None:
        try:
            step()
        except ReviewerError as exc:
            self.failed.emit(str(exc))
            return
        self.changed.emit(doc_ids)
        if then is not None:
            then()

    def _record(
        self,
        text: str,
        doc_ids: Sequence[int],
        do: Callable[[], Any],
        undo: Callable[[], Any],
        *,
        redo: Callable[[], Any] | None = None,
        then: Callable[[], None] | None = None,
    ) -> Any:
        """Make a change now (its ReviewerError goes to the caller), then put it on the stack done."""
        result = do()
        self.undo_stack.push(_Command(self, text, doc_ids, redo or do, undo, done=True, then=then))
        self.changed.emit(list(doc_ids))
        if then is not None:
            then()
        return result

    def recorded(
        self,
        text: str,
        doc_ids: Sequence[int],
        undo: Callable[[], Any],
        redo: Callable[[], Any],
        then: Callable[[], None] | None = None,
    ) -> None:
        """Put a change made elsewhere (a background job) on the stack, to be undone and redone."""
        self.undo_stack.push(_Command(self, text, doc_ids, redo, undo, done=True, then=then))

    def _push(
        self, text: str, doc_ids: Sequence[int], do: Callable[[], Any], undo: Callable[[], Any]
    ) -> None:
        self.undo_stack.push(_Command(self, text, doc_ids, do, undo))

    def _seen_push(
        self,
        text: str,
        doc_ids: Sequence[int],
        attempt: Callable[[Any], Any],
        undo_to: Callable[[Any], Any],
        seen: Any,
        seen_of: Callable[[Any], Any] = lambda current: current,
    ) -> None:
        """Make an edit that says what the person saw (``attempt(seen)``); on the stack once made.

        Refused because someone changed the value meanwhile (a ConflictError), the window shows
        theirs and ``conflict`` offers to apply this edit anyway, over the value now recorded
        (``seen_of(error.current)``); undo puts back the value it replaced (``undo_to``).
        """
        try:
            self._record(
                text, doc_ids, lambda: attempt(seen), lambda: undo_to(seen), redo=lambda: attempt(None)
            )
        except ConflictError as exc:
            self.changed.emit(list(doc_ids))  # theirs, shown
            current = seen_of(exc.current)
            self.conflict.emit(
                exc, lambda: self._seen_push(text, doc_ids, attempt, undo_to, current, seen_of)
            )
        except ReviewerError as exc:
            self.failed.emit(str(exc))
