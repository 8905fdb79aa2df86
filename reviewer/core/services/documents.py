"""Changing what is known about a document. Every change lands on its custody log, before and after."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import ConflictError, UsageError
from reviewer.core.domain.locked import refuse_if_locked
from reviewer.core.domain.quotes import (
    MAX_BOXES,
    PageWord,
    TextQuote,
    boxes_to_json,
    find_text,
    quote_of,
    union,
    words_from_json,
)
from reviewer.core.domain.values import (
    AnnotationKind,
    ChecklistItem,
    CheckState,
    MetadataField,
    Rect,
    VerificationStatus,
    checked_text,
    normalise_field_value,
    parse_field_name,
    parse_tag,
)
from reviewer.core.services.conflicts import last_tag_change, names, names_id, refuse_if_changed
from reviewer.core.services.queries import document_row
from reviewer.core.storage import custody, search_index
from reviewer.core.storage.orm import (
    Annotation,
    AnnotationTag,
    ChecklistEntry,
    Document,
    DocumentField,
    DocumentTag,
    Page,
)
from reviewer.core.storage.records import FIELD_COLUMNS, annotation_record, summary_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from sqlalchemy.orm import Session

    from reviewer.core.domain.records import AnnotationRecord, DocumentSummary
    from reviewer.core.services.case import Case


def _log(
    session: Session,
    case: Case,
    document: Document,
    action: str,
    summary: str,
    before: object = None,
    after: object = None,
) -> None:
    custody.append(
        session,
        document_id=document.id,
        actor=case.actor,
        action=action,
        summary=summary,
        before=before,
        after=after,
    )


def tag_documents(
    case: Case,
    document_ids: Sequence[int],
    tags: Iterable[str],
    *,
    remove: bool = False,
    seen: Mapping[int, Iterable[str]] | None = None,
) -> list[str]:
    """Add (or remove) tags on one or more documents; returns the tags each change concerned.

    ``seen``: the tags the person saw on each document; when any of ``tags`` has been added to or
    removed from one of them since, nothing is changed and a :class:`ConflictError` names it.
    """
    wanted = sorted({parse_tag(t) for t in tags})
    if not wanted:
        raise UsageError("give at least one tag")
    with case.db.unit_of_work() as uow:
        for document_id in document_ids:
            document = document_row(uow.session, document_id)
            before = [t.tag for t in document.tags]
            if seen is not None and document_id in seen:
                _refuse_if_tags_changed(uow.session, document_id, wanted, set(seen[document_id]), before)
            if remove:
                changed = [t for t in wanted if t in before]
                document.tags = [t for t in document.tags if t.tag not in changed]
            else:
                changed = [t for t in wanted if t not in before]
                document.tags.extend(DocumentTag(tag=t) for t in changed)
            if changed:
                after = sorted(set(before) - set(changed)) if remove else sorted(set(before) | set(changed))
                verb = "removed" if remove else "added"
                _log(
                    uow.session,
                    case,
                    document,
                    f"tag_{verb}",
                    f"tag {verb}: {', '.join(changed)}",
                    before=before,
                    after=after,
                )
                search_index.index_meta(uow.session, document.id)
        uow.commit()
    return wanted


def _refuse_if_tags_changed(
    session: Session, document_id: int, wanted: list[str], seen: set[str], before: list[str]
) -> None:
    """Refuse when one of ``wanted`` is on the document where it was not seen, or the other way round."""
    crossed = [t for t in wanted if (t in seen) != (t in before)]
    if not crossed:
        return
    actor, at = last_tag_change(session, document_id, crossed)
    tag = crossed[0]
    now = sorted(before)
    raise ConflictError(
        f"tag {tag} of document {document_id}",
        {"document": document_id, "tags": now},
        actor,
        at,
        shown=("tags " + ", ".join(now)) if now else "no tags",
    )


def set_status(
    case: Case,
    document_id: int,
    status: VerificationStatus | str,
    note: str | None,
    *,
    seen: tuple[VerificationStatus | str, str | None] | None = None,
) -> DocumentSummary:
    """Decide a document's verification status, with the rationale for it.

    ``seen``: the status and rationale the person saw; when they are no longer what is recorded the
    decision is refused with a :class:`ConflictError` (see ``conflicts``).
    """
    seen_of = None if seen is None else {document_id: seen}
    return set_statuses(case, [document_id], status, note, seen=seen_of)[0]


def set_statuses(
    case: Case,
    document_ids: Sequence[int],
    status: VerificationStatus | str,
    note: str | None,
    *,
    seen: Mapping[int, tuple[VerificationStatus | str, str | None]] | None = None,
) -> list[DocumentSummary]:
    """Decide the status of several documents at once, all or none (``seen`` per document, as above)."""
    new = status if isinstance(status, VerificationStatus) else VerificationStatus.parse(status)
    rationale = checked_text("the status rationale", note or "").strip() or None
    summaries: list[DocumentSummary] = []
    with case.db.unit_of_work() as uow:
        for document_id in document_ids:
            document = document_row(uow.session, document_id)
            before = {"status": document.status, "note": document.status_note}
            was = None if seen is None else seen.get(document_id)
            if was is not None:
                seen_status = was[0].value if isinstance(was[0], VerificationStatus) else was[0]
                refuse_if_changed(
                    uow.session,
                    document_id,
                    what=f"the status of document {document_id}",
                    seen={"status": seen_status, "note": was[1]},
                    current=before,
                    actions=["status_changed"],
                    shown=document.status
                    + (f" {_quoted(document.status_note)}" if document.status_note else ""),
                )
            after = {"status": new.value, "note": rationale}
            if before != after:
                document.status = new.value
                document.status_note = rationale
                document.status_changed_at = utc_now()
                _log(
                    uow.session,
                    case,
                    document,
                    "status_changed",
                    _status_summary(before["status"], new.value, before["note"], rationale),
                    before=before,
                    after=after,
                )
            summaries.append(summary_of(document))  # before commit: the session reads nothing after it
        uow.commit()
    return summaries


def set_metadata(
    case: Case, document_id: int, values: dict[str, str], *, seen: dict[str, str | None] | None = None
) -> dict[str, str | None]:
    """Set fields (``title``, ``type``, ``document_date``… or free fields); an empty value clears one.

    Returns the stored value of every field given, keyed by its canonical name. ``seen``: the value
    the person saw of any of the fields (keyed as given); a field no longer holding it refuses the
    whole change with a :class:`ConflictError` (see ``conflicts``).
    """
    if not values:
        raise UsageError("give at least one FIELD=VALUE")
    parsed = [(parse_field_name(name), value) for name, value in values.items()]
    changes = [(field, normalise_field_value(field, value)) for field, value in parsed]
    seen_of = {parse_field_name(name): value for name, value in (seen or {}).items()}
    stored: dict[str, str | None] = {}
    with case.db.unit_of_work() as uow:
        document = document_row(uow.session, document_id)
        for field, value in changes:
            existing = None
            if isinstance(field, MetadataField):
                key = field.value
                old = getattr(document, FIELD_COLUMNS[field])
            else:
                key = field
                existing = next((f for f in document.free_fields if f.name == field), None)
                old = existing.value if existing else None
            if field in seen_of:
                refuse_if_changed(
                    uow.session,
                    document_id,
                    what=f"field {key} of document {document_id}",
                    seen=seen_of[field],
                    current=old,
                    actions=["metadata_changed"],
                    concerns=names(key),
                )
            if old != value:
                if isinstance(field, MetadataField):
                    setattr(document, FIELD_COLUMNS[field], value)
                elif existing is not None and value is None:
                    document.free_fields.remove(existing)
                elif existing is not None and value is not None:
                    existing.value = value
                elif value is not None:
                    document.free_fields.append(DocumentField(name=field, value=value))
            stored[key] = value
            if old != value:
                kind = "field" if isinstance(field, MetadataField) else "free field"
                _log(
                    uow.session,
                    case,
                    document,
                    "metadata_changed",
                    f"{kind} {key} changed: {_quoted(old)} → {_quoted(value)}",
                    before={key: old},
                    after={key: value},
                )
        search_index.index_meta(uow.session, document.id)
        uow.commit()
    return stored


def add_annotation(
    case: Case,
    document_id: int,
    *,
    page: int,
    rect: Rect | None = None,
    kind: AnnotationKind | str = AnnotationKind.NOTE,
    note: str | None = None,
    transcription: str | None = None,
    translation: str | None = None,
    tags: Iterable[str] = (),
    annotation_id: str | None = None,
    quote: TextQuote | None = None,
    boxes: Sequence[Rect] = (),
) -> AnnotationRecord:
    """Mark a region of a page (1-based; points from the top-left of the unrotated page).

    A text annotation gives the words it quotes and their ``boxes`` instead of ``rect`` (which becomes
    the boxes' union); ``annotate_text`` finds both on the page. ``annotation_id`` keeps the id an
    annotation had in another case (merging an evidence bundle).
    """
    kind = kind if isinstance(kind, AnnotationKind) else AnnotationKind.parse(kind)
    tag_list = sorted({parse_tag(t) for t in tags})
    if (quote is None) != (not boxes):
        raise UsageError("a text annotation needs both the words it quotes and their boxes")
    if quote is not None and not quote.exact.strip():
        raise UsageError("a text annotation needs the words it quotes")
    if quote is not None:
        for part in (quote.exact, quote.prefix, quote.suffix):
            checked_text("the quoted words", part, controls=True)  # as the page reads
    texts = _texts(note, transcription, translation)
    if len(boxes) > MAX_BOXES:
        raise UsageError(f"a text annotation covers at most {MAX_BOXES:,} words, not {len(boxes):,}")
    with case.db.unit_of_work() as uow:
        document = document_row(uow.session, document_id)
        refuse_if_locked(document.id, document.encrypted, document.password, document.page_count)
        target = next((p for p in document.pages if p.number == page), None)
        if target is None:
            raise UsageError(f"the document has pages 1 to {document.page_count}, not {page}")
        words = [b.checked_against(target.width, target.height) for b in boxes]
        if words:
            region = union(words)
        elif rect is not None:
            region = rect.checked_against(target.width, target.height)
        else:
            raise UsageError("give the rectangle to mark, or the words")
        now = utc_now()
        annotation = Annotation(
            id=annotation_id or str(uuid.uuid4()),
            document_id=document.id,
            page=page,
            x0=region.x0,
            y0=region.y0,
            x1=region.x1,
            y1=region.y1,
            kind=kind.value,
            note=texts["note"],
            transcription=texts["transcription"],
            translation=texts["translation"],
            created_by=case.actor,
            created_at=now,
            updated_at=now,
            deleted=False,
            tags=[AnnotationTag(tag=t) for t in tag_list],
            quote=quote.exact.strip() if quote is not None else None,
            quote_prefix=quote.prefix if quote is not None else None,
            quote_suffix=quote.suffix if quote is not None else None,
            word_boxes=boxes_to_json(words) if words else None,
        )
        uow.session.add(annotation)
        uow.session.flush()
        record = annotation_record(annotation)
        _log(
            uow.session,
            case,
            document,
            "annotation_added",
            f"{kind.value} added on page {page}"
            # how many words, never which: a summary is shown where a redaction's words must not be
            + (f" on {len(record.boxes)} word(s)" if record.quote is not None else ""),
            after=_annotation_facts(record),
        )
        search_index.index_annotation(uow.session, annotation)
        uow.commit()
        return record


def page_words(case: Case, document_id: int, page: int) -> list[PageWord]:
    """The words of a page in reading order, with their boxes (text layer or OCR); none while unread."""
    with case.db.reading() as session:
        raw = session.scalar(select(Page.words).where(Page.document_id == document_id, Page.number == page))
    return words_from_json(raw)


def annotate_text(
    case: Case,
    document_id: int,
    *,
    page: int,
    text: str | None = None,
    occurrence: int | None = None,
    span: tuple[int, int] | None = None,
    kind: AnnotationKind | str = AnnotationKind.NOTE,
    note: str | None = None,
    tags: Iterable[str] = (),
) -> AnnotationRecord:
    """Annotate words of a page: those reading ``text`` (the ``occurrence``-th time, 1-based, when the
    page has it more than once), or the words ``span`` = (first, last) in reading order (0-based,
    from ``page_words``: what a reader selected).
    """
    with case.db.reading() as session:
        count = document_row(session, document_id).page_count
    if not 1 <= page <= count:
        raise UsageError(f"the document has pages 1 to {count}, not {page}")
    words = page_words(case, document_id, page)
    if not words:
        raise UsageError(f"page {page} has no words yet (its text layer or OCR has not been read)")
    if span is None:
        found = find_text(words, text or "")
        if not found:
            raise UsageError(f"page {page} does not have the words {_quoted(text)}")
        if occurrence is None and len(found) > 1:
            raise UsageError(
                f"page {page} has the words {_quoted(text)} {len(found)} times; "
                f"say which with --occurrence 1-{len(found)}"
            )
        number = occurrence or 1
        if not 1 <= number <= len(found):
            raise UsageError(f"page {page} has the words {_quoted(text)} {len(found)} time(s), not {number}")
        span = found[number - 1]
    first, last = span
    quote = quote_of(words, first, last)
    return add_annotation(
        case,
        document_id,
        page=page,
        kind=kind,
        note=note,
        tags=tags,
        quote=quote,
        boxes=[w.box for w in words[first : last + 1]],
    )


def update_annotation(
    case: Case,
    annotation_id: str,
    *,
    rect: Rect | None = None,
    kind: AnnotationKind | str | None = None,
    note: str | None = None,
    transcription: str | None = None,
    translation: str | None = None,
    tags: Iterable[str] | None = None,
    seen: dict[str, object] | None = None,
) -> AnnotationRecord:
    """Change an annotation; arguments left as None keep their value (give "" to clear a text).

    ``seen``: what the person saw of any of ``kind``, ``note``, ``transcription``, ``translation``
    and ``tags``; one no longer recorded refuses the change with a :class:`ConflictError`.
    """
    texts = _texts(note, transcription, translation)
    wanted = None if tags is None else sorted({parse_tag(t) for t in tags})
    with case.db.unit_of_work() as uow:
        annotation = _live_annotation(uow.session, annotation_id)
        document = annotation.document
        before = annotation_record(annotation)
        facts = _annotation_facts(before)
        for name, value in (seen or {}).items():
            if name not in _SEEN_FACTS:
                raise ValueError(f"an annotation's {name!r} is not compared")  # a programming error
            refuse_if_changed(
                uow.session,
                document.id,
                what=f"the {name} of a {before.kind.value} on page {before.page} of document {document.id}",
                seen=sorted(value) if name == "tags" and isinstance(value, list | tuple) else _plain(value),
                current=facts[name],
                actions=["annotation_added", "annotation_changed", "annotation_restored"],
                concerns=names_id(annotation_id),
            )
        if rect is not None and before.quote is not None:
            raise UsageError("a text annotation lies on its words; it cannot be moved (mark other words)")
        if rect is not None:
            target = next(p for p in document.pages if p.number == annotation.page)
            region = rect.checked_against(target.width, target.height)
            annotation.x0, annotation.y0, annotation.x1, annotation.y1 = (
                region.x0,
                region.y0,
                region.x1,
                region.y1,
            )
        if kind is not None:
            annotation.kind = (kind if isinstance(kind, AnnotationKind) else AnnotationKind.parse(kind)).value
        if note is not None:
            annotation.note = texts["note"]
        if transcription is not None:
            annotation.transcription = texts["transcription"]
        if translation is not None:
            annotation.translation = texts["translation"]
        if wanted is not None:
            annotation.tags = [t for t in annotation.tags if t.tag in wanted]
            have = {t.tag for t in annotation.tags}
            annotation.tags.extend(AnnotationTag(tag=t) for t in wanted if t not in have)
        uow.session.flush()
        after = annotation_record(annotation)
        if _annotation_facts(before) != _annotation_facts(after):
            annotation.updated_at = utc_now()
            after = annotation_record(annotation)
            _log(
                uow.session,
                case,
                document,
                "annotation_changed",
                f"{after.kind.value} on page {after.page} changed: "
                + ", ".join(_changed(_annotation_facts(before), _annotation_facts(after))),
                before=_annotation_facts(before),
                after=_annotation_facts(after),
            )
            search_index.index_annotation(uow.session, annotation)
        uow.commit()
        return after


def delete_annotation(case: Case, annotation_id: str) -> None:
    """Withdraw an annotation. It stays in the database, marked deleted, and on the custody log."""
    with case.db.unit_of_work() as uow:
        annotation = _live_annotation(uow.session, annotation_id)
        before = _annotation_facts(annotation_record(annotation))
        annotation.deleted = True
        annotation.updated_at = utc_now()
        _log(
            uow.session,
            case,
            annotation.document,
            "annotation_deleted",
            f"{annotation.kind} on page {annotation.page} deleted",
            before=before,
        )
        search_index.index_annotation(uow.session, annotation)
        uow.commit()


def restore_annotation(case: Case, annotation_id: str) -> AnnotationRecord:
    """Bring back a deleted annotation (undo of a deletion), on the custody log like any change."""
    with case.db.unit_of_work() as uow:
        annotation = uow.session.get(Annotation, annotation_id)
        if annotation is None or not annotation.deleted:
            raise UsageError(f"no deleted annotation {annotation_id!r}")
        annotation.deleted = False
        annotation.updated_at = utc_now()
        record = annotation_record(annotation)
        _log(
            uow.session,
            case,
            annotation.document,
            "annotation_restored",
            f"{annotation.kind} on page {annotation.page} restored",
            after=_annotation_facts(record),
        )
        search_index.index_annotation(uow.session, annotation)
        uow.commit()
        return record


def set_check(
    case: Case,
    document_id: int,
    item: ChecklistItem | str,
    state: CheckState | str,
    note: str | None = None,
    *,
    seen: tuple[CheckState | str, str | None] | None = None,
) -> tuple[CheckState, str | None]:
    """Record the finding on one checklist item of a document, with a note.

    ``seen``: the finding and note the person saw; refused with a :class:`ConflictError` when the
    item no longer holds them.
    """
    item = item if isinstance(item, ChecklistItem) else ChecklistItem.parse(item)
    state = state if isinstance(state, CheckState) else CheckState.parse(state)
    text = _text("the checklist note", note)
    with case.db.unit_of_work() as uow:
        document = document_row(uow.session, document_id)
        entry = next((e for e in document.checklist if e.item == item.value), None)
        before = {"state": entry.state, "note": entry.note} if entry else {"state": "unchecked", "note": None}
        if seen is not None:
            seen_state = seen[0].value if isinstance(seen[0], CheckState) else seen[0]
            refuse_if_changed(
                uow.session,
                document_id,
                what=f"checklist item {item.value} of document {document_id}",
                seen={"state": seen_state, "note": seen[1]},
                current=before,
                actions=["checklist_changed"],
                concerns=names(item.value),
                shown=str(before["state"]) + (f" {_quoted(before['note'])}" if before["note"] else ""),
            )
        after = {"state": state.value, "note": text}
        if before != after:
            if entry is None:
                entry = ChecklistEntry(item=item.value, updated_by=case.actor, updated_at=utc_now())
                document.checklist.append(entry)
            entry.state, entry.note = state.value, text
            entry.updated_by, entry.updated_at = case.actor, utc_now()
            _log(
                uow.session,
                case,
                document,
                "checklist_changed",
                f"checklist: {item.label} is {state.label}",
                before={item.value: before},
                after={item.value: after},
            )
        uow.commit()
    return state, text


def _live_annotation(session: Session, annotation_id: str) -> Annotation:
    annotation = session.scalars(
        select(Annotation).where(Annotation.id == annotation_id, Annotation.deleted.is_(False))
    ).first()
    if annotation is None:
        raise UsageError(f"no annotation {annotation_id!r}")
    return annotation


def _annotation_facts(record: AnnotationRecord) -> dict[str, object]:
    facts: dict[str, object] = {
        "id": record.id,
        "page": record.page,
        "rect": [record.x0, record.y0, record.x1, record.y1],
        "kind": record.kind.value,
        "note": record.note,
        "transcription": record.transcription,
        "translation": record.translation,
        "tags": list(record.tags),
    }
    if record.quote is not None:  # a text annotation; a region's facts stay as they always were
        facts["quote"] = {
            "exact": record.quote.exact,
            "prefix": record.quote.prefix,
            "suffix": record.quote.suffix,
        }
        facts["words"] = [[b.x0, b.y0, b.x1, b.y1] for b in record.boxes]
    return facts


# How much of a value a custody summary quotes; the entry's before and after keep it whole.
_QUOTED = 60


def _quoted(value: object) -> str:
    """A value as a summary shows it: in quotes, on one line, cut to about 60 characters."""
    if value is None or value == "":
        return "(empty)"
    text = " ".join(str(value).split())
    return '"' + (text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…") + '"'


def _status_summary(old: str | None, new: str, old_note: str | None, new_note: str | None) -> str:
    """What a status decision changed: the status, the rationale, or both."""
    parts = [f"status {old} → {new}"] if old != new else []
    if old_note != new_note:
        parts.append(f"rationale changed: {_quoted(old_note)} → {_quoted(new_note)}")
    return ", ".join(parts)


def _changed(before: dict[str, object], after: dict[str, object]) -> list[str]:
    """The names of the facts of an annotation that differ (``rect`` is its position)."""
    names = {"rect": "position"}
    return [names.get(key, key) for key in after if before.get(key) != after[key]]


# What of an annotation an edit may say it saw (its position is dragged, never typed over).
_SEEN_FACTS = ("kind", "note", "transcription", "translation", "tags")


def _plain(value: object) -> object:
    if isinstance(value, AnnotationKind):
        return value.value
    return value


def _text(what: str, value: str | None) -> str | None:
    """A text as stored: refused in one line when no case can keep it (``checked_text``), trimmed,
    and None when empty."""
    if value is None:
        return None
    return checked_text(what, value).strip() or None


def _texts(note: str | None, transcription: str | None, translation: str | None) -> dict[str, str | None]:
    """An annotation's three texts as stored, each checked before anything is written."""
    return {
        "note": _text("the annotation's note", note),
        "transcription": _text("the transcription", transcription),
        "translation": _text("the translation", translation),
    }
