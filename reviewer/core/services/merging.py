"""Writing a checked evidence bundle into a case, inside the caller's one transaction.

Everything here works on a session the caller owns (:func:`reviewer.core.services.exchange.import_bundle`
commits it once, or not at all), so a merge that fails anywhere leaves the case as it was. The rules
are those of the services a person uses (:mod:`reviewer.core.services.documents`, ``links``): every
change is on the custody log with before and after; where the case already says something different,
the case keeps its value and the conflict is reported.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.quotes import boxes_to_json
from reviewer.core.domain.values import CheckState, MetadataField, VerificationStatus
from reviewer.core.services.case import current_host
from reviewer.core.storage import custody, search_index
from reviewer.core.storage.orm import (
    Annotation,
    AnnotationTag,
    ChecklistEntry,
    CustodyEvent,
    Document,
    DocumentField,
    DocumentLink,
    DocumentTag,
    Sighting,
)
from reviewer.core.storage.records import FIELD_COLUMNS, sighting_facts

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reviewer.core.bundles.case_json import BundleAnnotation, BundleDocument, BundleLink
    from reviewer.core.services.case import Case


def bundle_sighting(bundle_name: str, entry: BundleDocument, size: int, actor: str) -> Sighting:
    """The sighting a merge records: the file as found in the bundle, never where it was unpacked."""
    return Sighting(
        batch_id=None,
        original_path=f"bundle {bundle_name}, {entry.file}",
        original_name=entry.file.rsplit("/", 1)[-1],
        real_path=None,
        size=size,
        modified_at=None,
        changed_at=None,
        accessed_at=None,
        source=f"evidence bundle {bundle_name}",
        received_on=None,
        imported_by=actor,
        imported_at=utc_now(),
        host=current_host(),
    )


@dataclass
class MergeWriter:
    """The writes of one merge, counted: conflicts found, annotations, links and log entries added."""

    session: Session
    case: Case
    bundle_name: str
    conflicts: list[str] = field(default_factory=list)
    annotations_added: int = 0
    links_added: int = 0
    entries_added: int = 0

    def log(
        self,
        document_id: int | None,
        action: str,
        summary: str,
        *,
        before: Any = None,
        after: Any = None,
        at: str | None = None,
        actor: str | None = None,
    ) -> None:
        """Append to the custody log (as this case's actor unless ``actor`` is given), counted."""
        custody.append(
            self.session,
            document_id=document_id,
            actor=actor or self.case.actor,
            action=action,
            summary=summary,
            before=before,
            after=after,
            at=at,
        )
        self.entries_added += 1

    def document(
        self, document: Document, entry: BundleDocument, sighting: Sighting | None, *, locked: bool = False
    ) -> None:
        """Merge what the bundle says of one document (new or already here) into it.

        A document locked here has no pages to place annotations on: they are left out and said so,
        and merging the bundle again once it is unlocked adds them.
        """
        before = self.entries_added
        if sighting is not None:
            self._sighting(document, sighting)
        self._fields(document, entry)
        self._tags(document, entry)
        self._status(document, entry)
        self._checklist(document, entry)
        if locked and entry.annotations:
            self.conflicts.append(
                f"{entry.name}: locked here (encrypted, password not known): its {len(entry.annotations)} "
                "annotation(s) were not merged; unlock it and merge the bundle again"
            )
        for note in () if locked else entry.annotations:
            self._annotation(document, entry, note)
        appended = self._history(document, entry)
        if self.entries_added > before or appended:
            self.log(
                document.id,
                "merged_from_bundle",
                f"merged from evidence bundle {self.bundle_name}: "
                f"{appended} custody entries of the other case appended",
                after={"bundle": self.bundle_name, "appended": appended},
            )

    def _sighting(self, document: Document, sighting: Sighting) -> None:
        facts = sighting_facts(sighting)
        if any(sighting_facts(s) == facts for s in document.sightings):
            return  # this bundle was merged before: nothing new is known
        document.sightings.append(sighting)
        self.log(
            document.id,
            "sighting_added",
            f"the same bytes found again at {sighting.original_path}",
            after=facts,
        )

    def _fields(self, document: Document, entry: BundleDocument) -> None:
        changed = False
        name = entry.name
        for key, value in entry.fields.items():
            if isinstance(key, MetadataField):
                column = FIELD_COLUMNS[key]
                ours = getattr(document, column)
                label = key.value
            else:
                existing = next((f for f in document.free_fields if f.name == key), None)
                ours = existing.value if existing is not None else None
                label = key
            if ours == value:
                continue
            if ours is not None:
                self.conflicts.append(
                    f"{name}: {label} is {ours!r} here but {value!r} in the bundle; kept {ours!r}"
                )
                continue
            if isinstance(key, MetadataField):
                setattr(document, FIELD_COLUMNS[key], value)
            else:
                document.free_fields.append(DocumentField(name=key, value=value))
            kind = "field" if isinstance(key, MetadataField) else "free field"
            self.log(
                document.id,
                "metadata_changed",
                f"{kind} {label} changed",
                before={label: None},
                after={label: value},
            )
            changed = True
        if changed:
            self.session.flush()
            search_index.index_meta(self.session, document.id)

    def _tags(self, document: Document, entry: BundleDocument) -> None:
        before = [t.tag for t in document.tags]
        new = [t for t in entry.tags if t not in before]
        if not new:
            return
        document.tags.extend(DocumentTag(tag=t) for t in new)
        self.log(
            document.id,
            "tag_added",
            f"tag added: {', '.join(new)}",
            before=before,
            after=sorted(set(before) | set(new)),
        )
        self.session.flush()
        search_index.index_meta(self.session, document.id)

    def _status(self, document: Document, entry: BundleDocument) -> None:
        theirs, note = entry.status, (entry.status_note or "").strip() or None
        ours = VerificationStatus(document.status)
        if theirs is VerificationStatus.UNVERIFIED or (theirs is ours and document.status_note == note):
            return
        if ours is not VerificationStatus.UNVERIFIED:
            self.conflicts.append(
                f"{entry.name}: status is {ours.value} here but {theirs.value} in the bundle; "
                f"kept {ours.value}"
            )
            return
        before = {"status": document.status, "note": document.status_note}
        document.status, document.status_note = theirs.value, note
        document.status_changed_at = utc_now()
        self.log(
            document.id,
            "status_changed",
            f"status {before['status']} → {theirs.value}",
            before=before,
            after={"status": theirs.value, "note": note},
        )

    def _checklist(self, document: Document, entry: BundleDocument) -> None:
        for check in entry.checklist:
            if check.state is CheckState.UNCHECKED:
                continue
            note = (check.note or "").strip() or None
            ours = next((e for e in document.checklist if e.item == check.item.value), None)
            if ours is not None and ours.state != CheckState.UNCHECKED.value:
                if (ours.state, ours.note) != (check.state.value, note):
                    self.conflicts.append(
                        f"{entry.name}: checklist {check.item.value} is {ours.state} here "
                        f"but {check.state.value} in the bundle"
                    )
                continue
            before = {"state": "unchecked", "note": ours.note if ours else None}
            if ours is None:
                ours = ChecklistEntry(item=check.item.value, updated_by=self.case.actor, updated_at=utc_now())
                document.checklist.append(ours)
            ours.state, ours.note = check.state.value, note
            ours.updated_by, ours.updated_at = self.case.actor, utc_now()
            self.log(
                document.id,
                "checklist_changed",
                f"checklist: {check.item.label} is {check.state.label}",
                before={check.item.value: before},
                after={check.item.value: {"state": check.state.value, "note": note}},
            )

    def _annotation(self, document: Document, entry: BundleDocument, note: BundleAnnotation) -> None:
        ours = self.session.get(Annotation, note.id)
        short = note.id[:8]
        if ours is not None:
            if ours.document_id != document.id:
                self.conflicts.append(
                    f"{entry.name}: annotation {short} is on another document here; not merged"
                )
            elif ours.deleted:
                self.conflicts.append(f"{entry.name}: annotation {short} was deleted here; kept deleted")
            elif (ours.page, ours.x0, ours.y0, ours.x1, ours.y1, ours.kind, ours.note, ours.quote) != (
                note.page,
                note.x0,
                note.y0,
                note.x1,
                note.y1,
                note.kind.value,
                _text(note.note),
                note.quote.exact if note.quote is not None else None,
            ):
                self.conflicts.append(
                    f"{entry.name}: annotation {short} differs from the bundle's; kept this case's"
                )
            return
        now = utc_now()
        annotation = Annotation(
            id=note.id or str(uuid.uuid4()),
            document_id=document.id,
            page=note.page,
            x0=note.x0,
            y0=note.y0,
            x1=note.x1,
            y1=note.y1,
            kind=note.kind.value,
            note=_text(note.note),
            transcription=_text(note.transcription),
            translation=_text(note.translation),
            created_by=self.case.actor,
            created_at=now,
            updated_at=now,
            deleted=False,
            tags=[AnnotationTag(tag=t) for t in note.tags],
            quote=note.quote.exact if note.quote is not None else None,
            quote_prefix=note.quote.prefix if note.quote is not None else None,
            quote_suffix=note.quote.suffix if note.quote is not None else None,
            word_boxes=boxes_to_json(note.boxes) if note.boxes else None,
        )
        self.session.add(annotation)
        self.session.flush()
        self.log(
            document.id,
            "annotation_added",
            f"{note.kind.value} added on page {note.page}",
            after={
                "id": annotation.id,
                "page": note.page,
                "rect": [note.x0, note.y0, note.x1, note.y1],
                "kind": note.kind.value,
                "note": annotation.note,
                "transcription": annotation.transcription,
                "translation": annotation.translation,
                "tags": list(note.tags),
            }
            | _quoted_words(note),
        )
        search_index.index_annotation(self.session, annotation)
        self.annotations_added += 1

    def _history(self, document: Document, entry: BundleDocument) -> int:
        """The other case's sightings and custody entries, each once; returns the entries appended."""
        have = {
            (s.original_path, s.size, s.modified_at, s.source, s.received_on, s.imported_at)
            for s in document.sightings
        }
        for s in entry.sightings:
            key = (s.original_path, s.size, s.modified_at, s.source, s.received_on, s.imported_at)
            if key in have:
                continue
            have.add(key)
            document.sightings.append(
                Sighting(
                    original_path=s.original_path,
                    original_name=s.original_name,
                    size=s.size,
                    modified_at=s.modified_at,
                    changed_at=s.changed_at,
                    accessed_at=s.accessed_at,
                    source=s.source,
                    received_on=s.received_on,
                    imported_by=s.imported_by,
                    imported_at=s.imported_at,
                    host=s.host,
                )
            )
        self.session.flush()
        seen: set[tuple[str, str, str, str]] = {
            (at, actor, action, summary)
            for at, actor, action, summary in self.session.execute(
                select(CustodyEvent.at, CustodyEvent.actor, CustodyEvent.action, CustodyEvent.summary).where(
                    CustodyEvent.document_id == document.id
                )
            )
        }
        appended = 0
        for event in entry.custody:
            # as this case records it: a shared case's log names the connected role (merged before?)
            actor, summary = custody.as_recorded(self.session, event.actor, event.summary)
            said = (event.at, actor, event.action, summary)
            if said in seen:
                continue
            seen.add(said)
            self.log(
                document.id,
                event.action,
                event.summary,
                actor=event.actor,
                before=event.before,
                after=event.after,
                at=event.at,
            )
            appended += 1
        return appended

    def link(self, ids: dict[str, int], link: BundleLink) -> None:
        """A link whose two documents are in the case; one already here is kept as it is."""
        source, target = ids.get(link.source), ids.get(link.target)
        if source is None or target is None:
            return
        if source == target:
            self.conflicts.append(
                f"link {source} → {target} not merged: a document cannot be linked to itself"
            )
            return
        existing = self.session.scalars(
            select(DocumentLink).where(
                DocumentLink.source_id == source,
                DocumentLink.target_id == target,
                DocumentLink.relation == link.relation.value,
            )
        ).first()
        if existing is not None:
            if existing.removed:
                self.conflicts.append(
                    f"link {source} → {target} ({link.relation.label}) was removed here; kept removed"
                )
            return
        note = (link.note or "").strip() or None
        row = DocumentLink(
            source_id=source,
            target_id=target,
            relation=link.relation.value,
            note=note,
            created_by=self.case.actor,
            created_at=utc_now(),
            removed=False,
        )
        self.session.add(row)
        self.session.flush()
        facts = {
            "link": row.id,
            "source": link.source,
            "target": link.target,
            "relation": link.relation.value,
            "note": note,
        }
        for document_id, other, label in (
            (source, target, link.relation.label),
            (target, source, link.relation.inverse_label),
        ):
            self.log(document_id, "link_added", f"linked: {label} document {other}", after=facts)
        self.links_added += 1


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _quoted_words(note: BundleAnnotation) -> dict[str, object]:
    """A text annotation's quote and word boxes as its custody facts say them (as documents.py does)."""
    if note.quote is None:
        return {}
    return {
        "quote": {"exact": note.quote.exact, "prefix": note.quote.prefix, "suffix": note.quote.suffix},
        "words": [[b.x0, b.y0, b.x1, b.y1] for b in note.boxes],
    }
