"""Every edit the window makes, as an undoable command that calls a ``reviewer.core`` service.

Widgets never change the case themselves: they call these, which push a ``QUndoCommand`` whose
``redo``/``undo`` ask the services, so every edit and every undo lands on the custody log like any
other change. ``changed`` names the documents to show again; ``failed`` carries a plain message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.domain.values import AnnotationKind, LinkRelation, Rect, VerificationStatus
from reviewer.core.services import documents, entities, forensics, links, queries
from reviewer.core.services.page_readings import restore_page_readings
from reviewer.core.services.provenance import KEEP, Keep, set_sighting_provenance
from reviewer.core.services.settings import document_languages, set_document_languages
from reviewer.ui.undoable import UndoableActions
from reviewer.ui.words import (
    annotation_kind_label,
    check_item_label,
    field_label,
    relation_label,
    status_label,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from reviewer.core.services.case import Case
    from reviewer.core.services.entities import WatchTermRecord
    from reviewer.core.services.links import LinkRecord
    from reviewer.core.services.page_readings import PageReading
    from reviewer.core.services.region_search import RegionHit


class DocumentActions(UndoableActions):
    """Undoable edits of the open case."""

    watch_list_changed = Signal()  # a term was added or taken off: every page's entities changed
    pages_changed = Signal(int)  # a document whose pages' reading (OCR text, words) changed

    def __init__(self, case: Case, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.case = case

    # -- status, tags, fields ------------------------------------------------------------------------

    def set_status(
        self,
        doc_ids: Sequence[int],
        status: VerificationStatus,
        note: str | None,
        seen: Mapping[int, tuple[VerificationStatus, str | None]] | None = None,
    ) -> None:
        """Set the status (and rationale) of one or more documents, all or none.

        ``seen``: each document's status and rationale as the person saw them (refused, with an
        offer, when one of them was decided by someone else meanwhile).
        """
        before = {d: queries.document_detail(self.case, d) for d in doc_ids}
        plural = (
            self.tr("%n documents", "", len(doc_ids))
            if len(doc_ids) > 1
            else self.tr("document {id}").format(id=doc_ids[0])
        )
        text = self.tr("Status of {documents}: {status}").format(
            documents=plural, status=status_label(status)
        )
        if seen is not None:
            ids = list(doc_ids)

            def attempt(was: Mapping[int, tuple[VerificationStatus, str | None]] | None) -> None:
                documents.set_statuses(self.case, ids, status, note, seen=was)

            def undo_to(was: Mapping[int, tuple[VerificationStatus, str | None]]) -> None:
                for d, (old_status, old_note) in was.items():
                    documents.set_status(self.case, d, old_status, old_note)

            self._seen_push(text, ids, attempt, undo_to, dict(seen), lambda _current: self._statuses(ids))
            return

        def do() -> None:
            for d in doc_ids:
                documents.set_status(self.case, d, status, note)

        def undo() -> None:
            for d, detail in before.items():
                documents.set_status(self.case, d, detail.summary.status, detail.status_note)

        self._push(text, doc_ids, do, undo)

    def _statuses(self, doc_ids: Sequence[int]) -> dict[int, tuple[VerificationStatus, str | None]]:
        """Each document's status and rationale as recorded now (what a conflict box shows)."""
        details = [queries.document_detail(self.case, d) for d in doc_ids]
        return {d.summary.id: (d.summary.status, d.status_note) for d in details}

    def set_rationale(self, doc_id: int, note: str, seen: str | None = None) -> None:
        """Change the rationale of the current status (``seen``: the rationale the person saw)."""
        detail = queries.document_detail(self.case, doc_id)
        if seen is None:
            if (detail.status_note or "") == note.strip():
                return
            self.set_status([doc_id], detail.summary.status, note)
            return
        status = detail.summary.status

        def attempt(was: tuple[VerificationStatus, str | None] | None) -> None:
            documents.set_status(self.case, doc_id, status, note, seen=was)

        def undo_to(was: tuple[VerificationStatus, str | None]) -> None:
            documents.set_status(self.case, doc_id, was[0], was[1])

        self._seen_push(
            self.tr("Status of {documents}: {status}").format(
                documents=self.tr("document {id}").format(id=doc_id), status=status_label(status)
            ),
            [doc_id],
            attempt,
            undo_to,
            (status, seen),
            lambda current: (current["status"], current["note"]),
        )

    def tag(
        self,
        doc_ids: Sequence[int],
        tags: Sequence[str],
        *,
        remove: bool = False,
        seen: Mapping[int, Sequence[str]] | None = None,
    ) -> None:
        """Add (or remove) tags on documents; undo restores exactly the tags each had.

        ``seen``: the tags the person saw on each document (refused, with an offer, when one of
        ``tags`` was added or removed there by someone else meanwhile).
        """
        text = (self.tr("Untag {tags}") if remove else self.tr("Tag {tags}")).format(tags=", ".join(tags))
        if seen is not None:
            ids = list(doc_ids)

            def attempt(was: Mapping[int, Sequence[str]] | None) -> None:
                documents.tag_documents(self.case, ids, tags, remove=remove, seen=was)

            def undo_to(was: Mapping[int, Sequence[str]]) -> None:
                self._tags_back(was, tags, remove=remove)

            def now(_current: object) -> dict[int, Sequence[str]]:
                return {d: queries.document_detail(self.case, d).summary.tags for d in ids}

            self._seen_push(text, ids, attempt, undo_to, dict(seen), now)
            return
        before = {d: set(queries.document_detail(self.case, d).summary.tags) for d in doc_ids}

        def do() -> None:
            documents.tag_documents(self.case, list(doc_ids), tags, remove=remove)

        self._push(text, doc_ids, do, lambda: self._tags_back(before, tags, remove=remove))

    def _tags_back(self, had_of: Mapping[int, Iterable[str]], tags: Sequence[str], *, remove: bool) -> None:
        """Undo a tagging: put back the tags removed, take off the tags added, as each document had."""
        for d, had_tags in had_of.items():
            had = set(had_tags)
            if remove:
                back = [t for t in tags if t in had]
                if back:
                    documents.tag_documents(self.case, [d], back)
            else:
                added = [t for t in tags if t not in had]
                if added:
                    documents.tag_documents(self.case, [d], added, remove=True)

    def set_field(self, doc_id: int, name: str, value: str, seen: str | None = None) -> None:
        """Set one metadata field (or free field); an empty value clears it.

        ``seen``: the value the person saw before editing (refused, with an offer, if no longer so).
        """
        if seen is not None:
            if seen.strip() == value.strip():
                return

            def attempt(was: str | None) -> None:
                documents.set_metadata(
                    self.case, doc_id, {name: value}, seen=None if was is None else {name: was}
                )

            def undo_to(was: str) -> None:
                documents.set_metadata(self.case, doc_id, {name: was})

            self._seen_push(
                self.tr("Set {field}").format(field=field_label(name)),
                [doc_id],
                attempt,
                undo_to,
                seen,
                lambda current: current or "",
            )
            return
        detail = queries.document_detail(self.case, doc_id)
        old = {**detail.fields, **detail.free_fields}.get(name, "")
        if old == value.strip():
            return

        def do() -> None:
            documents.set_metadata(self.case, doc_id, {name: value})

        def undo() -> None:
            documents.set_metadata(self.case, doc_id, {name: old})

        self._push(self.tr("Set {field}").format(field=field_label(name)), [doc_id], do, undo)

    def set_check(
        self,
        doc_id: int,
        item: str,
        state: str,
        note: str | None,
        seen: tuple[str, str | None] | None = None,
    ) -> None:
        """Record a checklist finding (``seen``: the finding and note the person saw)."""
        old = queries.document_detail(self.case, doc_id).checklist[item]
        text = self.tr("Checklist: {item}").format(item=check_item_label(item))
        if seen is not None:
            if (seen[0], (seen[1] or "").strip()) == (state, (note or "").strip()):
                return

            def attempt(was: tuple[str, str | None] | None) -> None:
                documents.set_check(self.case, doc_id, item, state, note, seen=was)

            def undo_to(was: tuple[str, str | None]) -> None:
                documents.set_check(self.case, doc_id, item, was[0], was[1])

            self._seen_push(text, [doc_id], attempt, undo_to, seen, lambda c: (c["state"], c["note"]))
            return
        if (old.state, old.note or "") == (state, (note or "").strip()):
            return

        def do() -> None:
            documents.set_check(self.case, doc_id, item, state, note)

        def undo() -> None:
            documents.set_check(self.case, doc_id, item, old.state, old.note)

        self._push(text, [doc_id], do, undo)

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
                    documents.add_annotation(self.case, doc_id, page=page, rect=rect, kind=kind).id
                )

        def undo() -> None:
            documents.delete_annotation(self.case, created[0])

        self._push(
            self.tr("Add {kind} on page {page}").format(kind=annotation_kind_label(kind), page=page),
            [doc_id],
            do,
            undo,
        )

    def annotate_text(
        self, doc_id: int, page: int, span: tuple[int, int], kind: AnnotationKind = AnnotationKind.NOTE
    ) -> None:
        """Make words ``span`` (first, last in reading order) of a page an annotation; undoable."""
        created: list[str] = []

        def do() -> None:
            if created:
                documents.restore_annotation(self.case, created[0])
            else:
                record = documents.annotate_text(self.case, doc_id, page=page, span=span, kind=kind)
                created.append(record.id)

        def undo() -> None:
            if created:  # nothing to withdraw if making it failed
                documents.delete_annotation(self.case, created[0])

        words = span[1] - span[0] + 1
        text = self.tr("Add {kind} on %n word(s) of page {page}", "", words)
        self._push(text.format(kind=annotation_kind_label(kind), page=page), [doc_id], do, undo)

    def edit_annotation_text(self, doc_id: int, annotation_id: str, name: str, value: str, seen: str) -> None:
        """Change one text of an annotation (note, transcription, translation), saying what was seen."""
        if seen.strip() == value.strip():
            return

        def attempt(was: str | None) -> None:
            change: dict[str, Any] = {name: value, "seen": None if was is None else {name: was}}
            documents.update_annotation(self.case, annotation_id, **change)

        def undo_to(was: str) -> None:
            change: dict[str, Any] = {name: was}
            documents.update_annotation(self.case, annotation_id, **change)

        self._seen_push(self.tr("Edit annotation"), [doc_id], attempt, undo_to, seen, lambda c: c or "")

    def edit_annotation_seen(
        self, doc_id: int, annotation_id: str, seen: dict[str, Any], **changes: Any
    ) -> None:
        """Change an annotation's kind or tags, saying what the person saw of them (``seen``)."""
        if all(_same_fact(changes[k], seen[k]) for k in changes):
            return

        def attempt(was: dict[str, Any] | None) -> None:
            documents.update_annotation(self.case, annotation_id, **changes, seen=was)

        def undo_to(was: dict[str, Any]) -> None:
            documents.update_annotation(self.case, annotation_id, **was)

        def now(_current: object) -> dict[str, Any]:
            record = next(
                a for a in queries.document_detail(self.case, doc_id).annotations if a.id == annotation_id
            )
            return {k: list(record.tags) if k == "tags" else getattr(record, k) for k in changes}

        self._seen_push(self.tr("Edit annotation"), [doc_id], attempt, undo_to, dict(seen), now)

    def edit_annotation(self, doc_id: int, annotation_id: str, **changes: Any) -> None:
        """Change an annotation's region, kind, texts or tags."""
        old = next(a for a in queries.document_detail(self.case, doc_id).annotations if a.id == annotation_id)
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

        label = self.tr("Move annotation") if set(wanted) == {"rect"} else self.tr("Edit annotation")
        self._push(label, [doc_id], do, undo)

    def delete_annotation(self, doc_id: int, annotation_id: str) -> None:
        """Withdraw an annotation; undo brings it back."""

        def do() -> None:
            documents.delete_annotation(self.case, annotation_id)

        def undo() -> None:
            documents.restore_annotation(self.case, annotation_id)

        self._push(self.tr("Delete annotation"), [doc_id], do, undo)

    # -- provenance ----------------------------------------------------------------------------------

    def set_provenance(
        self,
        doc_id: int,
        sighting_id: int,
        *,
        source: str | Keep | None = KEEP,
        received_on: str | Keep | None = KEEP,
    ) -> bool:
        """Change where a sighting came from or when it was received; False (and ``failed``) if refused."""
        old = next(
            (s for s in queries.document_detail(self.case, doc_id).sightings if s.id == sighting_id),
            None,
        )
        if old is None:
            self.failed.emit(f"no sighting {sighting_id} of document {doc_id}")
            return False
        before_source: str | Keep | None = KEEP if isinstance(source, Keep) else old.source
        before_received: str | Keep | None = KEEP if isinstance(received_on, Keep) else old.received_on
        try:
            self._record(
                self.tr("Provenance of sighting {sighting}").format(sighting=sighting_id),
                [doc_id],
                lambda: set_sighting_provenance(
                    self.case, sighting_id, source=source, received_on=received_on
                ),
                lambda: set_sighting_provenance(
                    self.case, sighting_id, source=before_source, received_on=before_received
                ),
            )
        except ReviewerError as exc:
            self.failed.emit(str(exc))
            return False
        return True

    # -- links ---------------------------------------------------------------------------------------

    def link(self, source: int, target: int, relation: LinkRelation, note: str | None) -> int:
        """Link two documents (a ReviewerError says why not); undo withdraws the link, redo revives it."""
        made: list[int] = []

        def do() -> int:
            made[:] = [links.link_documents(self.case, source, target, relation, note)]
            return made[0]

        link_id: int = self._record(
            self.tr("Link {source} {relation} {target}").format(
                source=source, relation=relation_label(relation), target=target
            ),
            [source, target],
            do,
            lambda: links.unlink(self.case, made[0]),
        )
        return link_id

    def unlink(self, link: LinkRecord) -> None:
        """Withdraw a link (a ReviewerError says why not); undo links the two again, with its note."""
        relation = LinkRelation(link.relation)
        self._record(
            self.tr("Remove link {source} {relation} {target}").format(
                source=link.source_id, relation=relation_label(relation), target=link.target_id
            ),
            [link.source_id, link.target_id],
            lambda: links.unlink(self.case, link.id),
            lambda: links.link_documents(self.case, link.source_id, link.target_id, relation, link.note),
        )

    # -- the watch-list ------------------------------------------------------------------------------

    def watch_term_added(self, term: WatchTermRecord) -> None:
        """A term was put on the watch-list (by a background job): undo takes it off again."""
        self.recorded(
            self.tr("Watch {term}").format(term=term.canonical),
            [],
            lambda: entities.remove_watch_term(self.case, term.canonical),
            lambda: entities.add_watch_term(self.case, term.canonical, term.kind, term.aliases),
            self.watch_list_changed.emit,
        )
        self.watch_list_changed.emit()

    def watch_term_removed(self, term: WatchTermRecord) -> None:
        """A term was taken off the watch-list (by a background job): undo puts it back."""
        self.recorded(
            self.tr("Stop watching {term}").format(term=term.canonical),
            [],
            lambda: entities.add_watch_term(self.case, term.canonical, term.kind, term.aliases),
            lambda: entities.remove_watch_term(self.case, term.canonical),
            self.watch_list_changed.emit,
        )
        self.watch_list_changed.emit()

    # -- reading -------------------------------------------------------------------------------------

    def set_ocr_languages(self, doc_id: int, languages: str | None) -> None:
        """Choose the OCR languages of a document (None: as the case); a ReviewerError says why not."""
        before = document_languages(self.case, doc_id)
        if before == languages:
            return
        self._record(
            self.tr("OCR languages of document {id}").format(id=doc_id),
            [doc_id],
            lambda: set_document_languages(self.case, doc_id, languages),
            lambda: set_document_languages(self.case, doc_id, before),
        )

    def read_again(self, doc_id: int, before: Sequence[PageReading], after: Sequence[PageReading]) -> None:
        """A document was read again with OCR (by a background job): undo puts the earlier reading back."""
        if list(before) == list(after):
            return
        self.recorded(
            self.tr("Read document {id} again with OCR").format(id=doc_id),
            [doc_id],
            lambda: restore_page_readings(self.case, doc_id, before),
            lambda: restore_page_readings(self.case, doc_id, after),
            lambda: self.pages_changed.emit(doc_id),
        )

    # -- forensics -----------------------------------------------------------------------------------

    def add_signal_to_rationale(self, doc_id: int, code: str, page: int | None) -> None:
        """Add a line naming a forensic signal to the rationale (a ReviewerError says why not)."""
        detail = queries.document_detail(self.case, doc_id)
        status, note = detail.summary.status, detail.status_note
        self._record(
            self.tr("Add signal {code} to the rationale").format(code=code),
            [doc_id],
            lambda: forensics.attach_signal_to_rationale(self.case, doc_id, code, page),
            lambda: documents.set_status(self.case, doc_id, status, note),
        )

    def annotate_hit(self, hit: RegionHit) -> str:
        """Mark a region-search hit as an annotation on its document; undo withdraws it. Returns its id."""
        from reviewer.core.services.region_search import annotate_region_hit

        made: list[str] = []

        def do() -> str:
            if made:
                documents.restore_annotation(self.case, made[0])
            else:
                made.append(annotate_region_hit(self.case, hit).id)
            return made[0]

        annotation_id: str = self._record(
            self.tr("Annotate the match on page {page}").format(page=hit.page),
            [hit.document_id],
            do,
            lambda: documents.delete_annotation(self.case, made[0]),
        )
        return annotation_id


def _same_fact(wanted: Any, seen: Any) -> bool:
    """Whether an annotation's kind or tags wanted are what was seen (tags in any order)."""
    if isinstance(wanted, list | tuple):
        return sorted(wanted) == sorted(seen)
    return bool(wanted == seen)
