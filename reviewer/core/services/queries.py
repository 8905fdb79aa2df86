"""Finding documents and reading everything known about them, as plain records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import String, cast, exists, func, literal, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import selectinload

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.locked import is_locked
from reviewer.core.domain.records import DocumentDetail, DocumentSummary, PageRecord
from reviewer.core.domain.values import VerificationStatus, parse_partial_date
from reviewer.core.storage.orm import Annotation, CustodyEvent, Document, DocumentTag, Sighting
from reviewer.core.storage.records import damage_line, damaged_pages, detail_of, page_record

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlalchemy import ScalarSelect, Select
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case

_HEX = re.compile(r"^[0-9a-fA-F]+$")
MIN_PREFIX = 8


def resolve(session: Session, ref: str) -> Document:
    """The document a person means by ``ref``: an id from ``list``, or a unique SHA-256 prefix."""
    text = ref.strip()
    by_id = session.get(Document, int(text)) if text.isdigit() and len(text) < 19 else None
    if len(text) >= MIN_PREFIX and _HEX.match(text):
        prefix = text.lower()
        matches = session.scalars(
            select(Document).where(Document.sha256 >= prefix, Document.sha256 < prefix + "g").limit(2)
        ).all()
        if len(matches) > 1 or (matches and by_id is not None and matches[0].id != by_id.id):
            raise UsageError(f"{ref!r} matches more than one document; give more of the SHA-256")
        if matches:
            return matches[0]
    if by_id is not None:
        return by_id
    if _HEX.match(text) and len(text) < MIN_PREFIX and not text.isdigit():
        raise UsageError(f"give at least {MIN_PREFIX} hex digits of a SHA-256, or a document id")
    raise UsageError(f"no document {ref!r} in this case (see: reviewer list)")


def document_id(case: Case, ref: str) -> int:
    """The id of the document ``ref`` names (an id, or 8+ hex digits of its SHA-256).

    The one place a person's text reference becomes an id: the command line calls it, and every other
    service takes ids.
    """
    with case.db.reading() as session:
        return resolve(session, ref).id


def document_row(session: Session, document_id: int) -> Document:
    """The document with this id, in ``session``; a clear error when the case has none."""
    if not isinstance(document_id, int) or isinstance(document_id, bool):
        # a programming error, not a person's: services take ids, text references are resolved first
        raise TypeError(f"a document id is an int, not {type(document_id).__name__} {document_id!r}")
    document = session.get(Document, document_id)
    if document is None:
        raise UsageError(f"no document {document_id} in this case (see: reviewer list)")
    return document


def list_documents(case: Case) -> list[DocumentSummary]:
    """Every document of the case, in import order."""
    return summaries(case, find_documents(case, DocumentFilter()))


def document_detail(case: Case, document_id: int) -> DocumentDetail:
    """Everything known about one document."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        annotations = session.scalars(
            select(Annotation)
            .where(Annotation.document_id == document.id, Annotation.deleted.is_(False))
            .options(selectinload(Annotation.tags))
            .order_by(Annotation.page, Annotation.created_at)
        ).all()
        events = session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.document_id == document.id)
            .order_by(CustodyEvent.at, CustodyEvent.id)  # time order: merged entries keep their own times
        ).all()
        return detail_of(document, annotations, events)


def document_details(case: Case, ids: Sequence[int]) -> list[DocumentDetail]:
    """``document_detail`` of many documents in a handful of queries (in the order given)."""
    wanted = list(dict.fromkeys(ids))
    with case.db.reading() as session:
        documents = {
            d.id: d
            for d in session.scalars(
                select(Document)
                .where(Document.id.in_(wanted))
                .options(
                    selectinload(Document.pages),
                    selectinload(Document.sightings),
                    selectinload(Document.tags),
                    selectinload(Document.free_fields),
                    selectinload(Document.checklist),
                )
            )
        }
        notes: dict[int, list[Annotation]] = {d: [] for d in wanted}
        for annotation in session.scalars(
            select(Annotation)
            .where(Annotation.document_id.in_(wanted), Annotation.deleted.is_(False))
            .options(selectinload(Annotation.tags))
            .order_by(Annotation.page, Annotation.created_at)
        ):
            notes[annotation.document_id].append(annotation)
        logs: dict[int, list[CustodyEvent]] = {d: [] for d in wanted}
        for event in session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.document_id.in_(wanted))
            .order_by(CustodyEvent.at, CustodyEvent.id)
        ):
            logs[event.document_id or 0].append(event)
        return [detail_of(documents[d], notes[d], logs[d]) for d in wanted if d in documents]


def page_text(case: Case, document_id: int, page: int) -> str:
    """The embedded text of one page (1-based)."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        for p in document.pages:
            if p.number == page:
                return p.text
    raise UsageError(f"the document has no page {page}")


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """What the document list shows: text to look for, a tag, a status, a type; and the order."""

    text: str = ""
    tag: str | None = None
    status: VerificationStatus | None = None
    doc_type: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "id"
    descending: bool = False

    @property
    def narrows(self) -> bool:
        """Whether the filter leaves out any document."""
        return bool(
            self.text.strip() or self.tag or self.status or self.doc_type or self.date_from or self.date_to
        )


SORT_KEYS = ("id", "title", "type", "document_date", "status", "imported_at", "pages")


def _first_name() -> ScalarSelect[str]:
    """The file name a document was first seen under (its name in the list when it has no title)."""
    return (
        select(Sighting.original_name)
        .where(Sighting.document_id == Document.id)
        .order_by(Sighting.id)
        .limit(1)
        .scalar_subquery()
    )


def _matching(query: Select[Any], wanted: DocumentFilter) -> Select[Any]:
    """``query`` narrowed to the documents ``wanted`` lets through (its order left alone)."""
    shown = func.coalesce(Document.title, _first_name())
    text = wanted.text.strip()
    if text:
        needle = text.casefold()
        haystack = [shown, Document.reference_number, Document.issuer, Document.recipient, Document.sha256]
        query = query.where(
            or_(*(func.casefold(column).contains(needle, autoescape=True) for column in haystack))
        )
    if wanted.tag:
        query = query.where(
            exists().where(DocumentTag.document_id == Document.id, DocumentTag.tag == wanted.tag)
        )
    if wanted.status is not None:
        query = query.where(Document.status == wanted.status.value)
    if wanted.doc_type:
        query = query.where(Document.doc_type == wanted.doc_type)
    # Partial dates ("2019", "2019-05") sort before the days they contain, so a range from "2019-05-01"
    # leaves out a document dated only "2019-05"; ranges are given as partial dates too, and compared
    # on the shorter of the two.
    if wanted.date_from:
        start = parse_partial_date(wanted.date_from)
        query = query.where(
            Document.document_date.is_not(None),
            func.substr(Document.document_date, 1, len(start))
            >= func.substr(start, 1, func.length(Document.document_date)),
        )
    if wanted.date_to:
        end = parse_partial_date(wanted.date_to)
        query = query.where(
            Document.document_date.is_not(None),
            func.substr(Document.document_date, 1, len(end)) <= end,
        )
    return query


def find_documents(case: Case, wanted: DocumentFilter) -> list[int]:
    """The ids of matching documents, in the order asked for; fast enough for tens of thousands."""
    shown = func.coalesce(Document.title, _first_name())
    query = _matching(select(Document.id), wanted)
    columns = {
        "id": Document.id,
        "title": func.casefold(shown),
        "type": Document.doc_type,
        "document_date": Document.document_date,
        "status": Document.status,
        "imported_at": Document.imported_at,
        "pages": Document.page_count,
    }
    if wanted.sort not in columns:
        raise UsageError(f"cannot sort by {wanted.sort!r}; use one of: {', '.join(SORT_KEYS)}")
    key = columns[wanted.sort]
    ordering = [key.desc() if wanted.descending else key.asc(), Document.id]
    with case.db.reading() as session:
        # Core rows straight from the driver's cursor: the ORM's per-row processing was most of the time
        # at 250,000 documents (issue 16); an id needs no processing.
        result = session.connection().execute(query.order_by(*ordering))
        try:
            return [row[0] for row in result.cursor.fetchall()]
        finally:
            result.close()


class TimelinePoint(NamedTuple):
    """What the timeline draws of a dated document: where, in which colour, and its name."""

    id: int
    date: str
    status: VerificationStatus
    label: str


@dataclass(frozen=True, slots=True)
class TimelineDocuments:
    """The documents a filter lets through, as the timeline needs them."""

    #: the documents with a date, in id order
    dated: list[TimelinePoint]
    #: how many have no date, by status
    undated: dict[VerificationStatus, int]


def timeline_documents(case: Case, wanted: DocumentFilter) -> TimelineDocuments:
    """Every document ``wanted`` lets through, for the timeline, in one query of four columns.

    Not list rows: at 250,000 documents building ``DocumentSummary`` objects (tags, damage, lock) of
    every document was seconds; the name of a document is looked up only when it is dated and untitled.
    """
    label = func.coalesce(
        func.nullif(Document.title, ""), func.nullif(_first_name(), ""), func.substr(Document.sha256, 1, 12)
    )
    query = _matching(
        select(
            Document.id,
            Document.document_date,
            Document.status,
            when((Document.document_date.is_(None), literal(None)), else_=label),
        ),
        wanted,
    ).order_by(Document.id)
    statuses = {s.value: s for s in VerificationStatus}
    dated: list[TimelinePoint] = []
    undated: dict[VerificationStatus, int] = {}
    with case.db.reading() as session:
        result = session.connection().execute(query)
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
    point = TimelinePoint
    for doc_id, date, status, name in rows:
        if date is None:
            undated[statuses[status]] = undated.get(statuses[status], 0) + 1
        else:
            dated.append(point(doc_id, date, statuses[status], name))
    return TimelineDocuments(dated, undated)


#: past this many ids one pass over every document beats chunks of ``IN (...)`` (the timeline asks all)
ONE_PASS = 2_000


def summaries(case: Case, ids: Sequence[int]) -> list[DocumentSummary]:
    """List rows for these documents, in the order given, in a few queries whatever their number."""
    name = _first_name()
    columns = select(
        Document.id,
        Document.sha256,
        Document.title,
        name,
        Document.doc_type,
        Document.document_date,
        Document.status,
        Document.page_count,
        Document.size,
        Document.media_type,
        Document.imported_at,
        Document.encrypted,
        Document.password,
        Document.reference_number,
    )
    # Only what says damage, not the whole file metadata (EXIF, XMP…), and only of the few rows whose
    # metadata names it: decoding two JSON values a row was most of the time of 250,000 rows.
    damage = select(Document.id, Document.file_metadata["damage"], Document.file_metadata["repaired"]).where(
        or_(
            cast(Document.file_metadata, String).contains('"damage"'),
            # older imports: "repaired" alone, as JSON spells true with or without the space
            cast(Document.file_metadata, String).contains('"repaired": true'),
            cast(Document.file_metadata, String).contains('"repaired":true'),
        )
    )
    statuses = {s.value: s for s in VerificationStatus}
    rows: dict[int, DocumentSummary] = {}
    with case.db.reading() as session:
        conn = session.connection()
        if len(ids) > ONE_PASS:
            keep = set(ids)
            batches = [(select(DocumentTag.document_id, DocumentTag.tag), columns, damage)]
        else:
            keep = None
            batches = []
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                tag_query = select(DocumentTag.document_id, DocumentTag.tag)
                batches.append(
                    (
                        tag_query.where(DocumentTag.document_id.in_(chunk)),
                        columns.where(Document.id.in_(chunk)),
                        damage.where(Document.id.in_(chunk)),
                    )
                )
        for tag_query, row_query, damage_query in batches:
            tags: dict[int, list[str]] = {}
            for doc_id, tag in conn.execute(tag_query.order_by(DocumentTag.tag)).all():
                tags.setdefault(doc_id, []).append(tag)
            damaged = {
                doc_id: damage_line({"damage": found, "repaired": bool(repaired)})
                for doc_id, found, repaired in conn.execute(damage_query).all()
            }
            for row in conn.execute(row_query).all():
                if keep is not None and row[0] not in keep:
                    continue
                rows[row[0]] = DocumentSummary(
                    id=row[0],
                    sha256=row[1],
                    title=row[2],
                    display_name=row[2] or row[3] or row[1][:12],
                    doc_type=row[4],
                    document_date=row[5],
                    status=statuses[row[6]],
                    tags=tuple(tags.get(row[0], ())),
                    page_count=row[7],
                    size=row[8],
                    media_type=row[9],
                    imported_at=row[10],
                    locked=is_locked(row[11], row[12], row[7]),
                    reference=row[13],
                    damaged=damaged.get(row[0]),
                )
    return [rows[i] for i in ids if i in rows]


def all_tags(case: Case) -> list[str]:
    """Every tag used on a document of the case, sorted."""
    with case.db.reading() as session:
        return sorted(session.scalars(select(DocumentTag.tag).distinct()), key=str.casefold)


@dataclass(frozen=True, slots=True)
class PageView:
    """What the viewer needs of a document: where its original is and how its pages are shaped."""

    document_id: int
    sha256: str
    original: str
    password: str | None
    pages: tuple[PageRecord, ...]
    #: pages of a damaged file MuPDF could not read whole, by number: ``"no content"`` or ``"unreadable"``
    missing: Mapping[int, str] = field(default_factory=dict)


def page_view(case: Case, document_id: int) -> PageView:
    """Where to find a document's original, and the geometry of its pages."""
    with case.db.reading() as session:
        document = document_row(session, document_id)
        pages = tuple(page_record(p) for p in document.pages)
        return PageView(
            document.id,
            document.sha256,
            str(case.layout.original(document.sha256)),
            document.password,
            pages,
            damaged_pages(document.file_metadata or {}),
        )
