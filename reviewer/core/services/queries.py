"""Finding documents and reading everything known about them, as plain records."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import selectinload

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.locked import is_locked
from reviewer.core.domain.records import DocumentDetail, DocumentSummary, PageRecord
from reviewer.core.domain.values import VerificationStatus, parse_partial_date
from reviewer.core.storage import list_names
from reviewer.core.storage.orm import Annotation, CustodyEvent, Document, DocumentTag, Sighting
from reviewer.core.storage.records import damage_line, damaged_pages, detail_of, page_record

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sqlalchemy import ScalarSelect, Select
    from sqlalchemy.orm import Session

    from reviewer.core.services.case import Case

_HEX = re.compile(r"^[0-9a-fA-F]+$")
#: a query of any columns, narrowed by ``_matching`` and given back as the same type
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")
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


def _matching(query: _Query, wanted: DocumentFilter) -> _Query:
    """``query`` narrowed to the documents ``wanted`` lets through (its order left alone).

    The text is looked for in the stored, folded ``list_text`` (``storage.list_names``): its name, the
    reference number, the issuer, the recipient and the SHA-256, folded as the text is.
    """
    text = wanted.text.strip()
    if text:
        needle = text.casefold()
        if list_names.SEPARATOR in needle:  # it could span two fields of list_text: look field by field
            fields = (getattr(Document, f) for f in list_names.FIELDS)
            haystack = [func.coalesce(Document.title, _first_name()), *fields]
            query = query.where(
                or_(*(func.casefold(column).contains(needle, autoescape=True) for column in haystack))
            )
        else:
            query = query.where(Document.list_text.contains(needle, autoescape=True))
    if wanted.tag:
        # the tag's documents looked up in its index first, then each by its id: twice as fast as
        # asking every document whether it has the tag (100,000 documents, a tag on 10 %: 48 -> 17 ms)
        tagged = select(DocumentTag.document_id).where(DocumentTag.tag == wanted.tag)
        query = query.where(Document.id.in_(tagged))
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


def _sort_column(wanted: DocumentFilter) -> Any:
    """The column ``wanted`` sorts by (then by id)."""
    columns = {
        "id": Document.id,
        "title": Document.list_name,  # casefold(COALESCE(title, first name)), stored and indexed
        "type": Document.doc_type,
        "document_date": Document.document_date,
        "status": Document.status,
        "imported_at": Document.imported_at,
        "pages": Document.page_count,
    }
    if wanted.sort not in columns:
        raise UsageError(f"cannot sort by {wanted.sort!r}; use one of: {', '.join(SORT_KEYS)}")
    return columns[wanted.sort]


def ids_query(wanted: DocumentFilter) -> Select[int]:
    """The query of ``find_documents``: the ids ``wanted`` lets through, in its order (its sort key,
    then the id, ascending both ways)."""
    query = _matching(select(Document.id), wanted)
    key: Any = _sort_column(wanted)  # a column, or the expressions below
    if wanted.text.strip():
        # The text filter reads every document's list_text: in a local case from ix_document_list_text
        # (migration 0015), which holds every sort key too, then sorts what passes. The key is made an
        # expression of the same values (NULL kept) that SQLite cannot walk an index or the table in
        # the order of: it chose to walk the title index or the table by id and read each row they
        # name (116-122 against 49 ms at 250,000 documents).
        key = key + 0 if wanted.sort in {"id", "pages"} else key.concat("")
    elif wanted.sort == "document_date":
        key = _date_key(wanted)
    return query.order_by(key.desc() if wanted.descending else key.asc(), Document.id)


def _date_key(wanted: DocumentFilter) -> Any:
    """The date to sort or group ``wanted``'s documents by: the column, walked in its index
    (``ix_document_date``: status and type in it too), unless a text or tag filter must read every row
    anyway; then ``date || ''`` (the same values, NULL kept), which SQLite does not look up in the
    index: walking it and reading each row it names was 150 ms against 35 for a scan and a sort at
    100,000 documents."""
    if wanted.text.strip() or wanted.tag:
        return Document.document_date.concat("")
    return Document.document_date


def find_documents(case: Case, wanted: DocumentFilter) -> list[int]:
    """The ids of matching documents, in the order asked for; fast enough for tens of thousands."""
    with case.db.reading() as session:
        return _ids(session, ids_query(wanted))


def first_documents(case: Case, wanted: DocumentFilter, limit: int) -> tuple[list[int], int]:
    """The first ``limit`` ids ``find_documents`` gives, and how many it gives in all (one snapshot).

    What the list shows first, without the ids of every document: at 100,000 documents those were most
    of the time of the first screen (issue 16); counting them walks an index and makes no Python objects.
    """
    query = ids_query(wanted)
    with case.db.reading() as session:
        first = _ids(session, query.limit(limit))
        if len(first) < limit:
            return first, len(first)
        total = session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar()
        return first, int(total or 0)


def position_of(case: Case, wanted: DocumentFilter, document_id: int) -> int | None:
    """Where ``document_id`` stands in ``find_documents``' answer, or None if ``wanted`` leaves it out:
    counted in the database, no id read (a document far down the list is shown before the ids of the
    documents above it are read: 250,000 ids take ~85 ms, this ~6 ms)."""
    key = _sort_column(wanted)
    with case.db.reading() as session:
        found = session.execute(_matching(select(key), wanted).where(Document.id == document_id)).first()
        if found is None:
            return None
        # what comes before it, as disjoint conditions counted apart: each one a range of an index
        ahead = _ahead(
            key, found[0], wanted.descending, nulls_first=session.get_bind().dialect.name != "postgresql"
        )
        tie = (key.is_(None) if found[0] is None else key == found[0]) & (Document.id < document_id)
        counts = [
            _matching(select(func.count(Document.id)), wanted).where(condition).scalar_subquery()
            for condition in (*ahead, tie)
        ]
        total: Any = sum(counts[1:], start=counts[0])
        return int(session.execute(select(total)).scalar_one())


def placed_quickly(wanted: DocumentFilter) -> bool:
    """Whether ``position_of`` walks an index alone for ``wanted``: the whole case in title order
    (~6 ms at 250,000 documents, against ~85 ms for every id). In other orders, or narrowed, its
    counts read the rows, sometimes slower than every id (250,000 documents by type: 107 ms)."""
    return wanted.sort == "title" and not wanted.narrows


def _ahead(key: Any, value: object, descending: bool, *, nulls_first: bool) -> list[Any]:
    """Conditions (disjoint) on the sort key of the documents before one whose key is ``value``, in
    ``ORDER BY key [DESC], id`` as the database sorts: SQLite puts NULL first going up, PostgreSQL
    last (and the other way down)."""
    nulls_ahead = nulls_first != descending
    if value is None:
        return [] if nulls_ahead else [key.is_not(None)]
    ahead = [key > value if descending else key < value]
    return [*ahead, key.is_(None)] if nulls_ahead else ahead


def ids_at(case: Case, wanted: DocumentFilter, start: int, limit: int) -> list[int]:
    """``find_documents(case, wanted)[start:start + limit]``, read alone (the index walked to
    ``start``: ~5 ms at 190,000 of 250,000)."""
    with case.db.reading() as session:
        return _ids(session, ids_query(wanted).offset(start).limit(limit))


def _ids(session: Session, query: Select[int]) -> list[int]:
    """The ids ``query`` gives, in its order. In a local case as one JSON array made by SQLite (which
    keeps the order of a subquery an aggregate reads): 250,000 ids in 39 ms against 82 ms row by row,
    where the driver makes a tuple of each row and lets go of the GIL for each, so that the list's
    thread reading them slowed every query of the UI thread."""
    if session.get_bind().dialect.name != "sqlite":
        return [row[0] for row in _raw_rows(session, query)]
    ids = query.subquery()
    found = session.connection().execute(select(func.json_group_array(ids.c.id))).scalar()
    listed: list[int] = json.loads(found) if found else []
    return listed


def _raw_rows(session: Session, query: Select[Any]) -> list[Any]:
    """The rows of ``query`` straight from the driver's cursor, for plain columns (ids, text, counts):
    the ORM's per-row processing was most of the time at 250,000 documents (issue 16)."""
    result = session.connection().execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


class TimelinePoint(NamedTuple):
    """What the timeline draws of a dated document: where, in which colour, and its name."""

    id: int
    date: str
    status: VerificationStatus
    label: str


class TimelineCount(NamedTuple):
    """How many documents of a filter carry one stored date (None: no date), by status."""

    date: str | None
    #: one count per status, in ``VerificationStatus`` order
    counts: tuple[int, ...]


#: a longer list of dates is asked in chunks (SQLite and PostgreSQL cap the parameters of a statement)
_DATES_PER_QUERY = 5_000


@dataclass(frozen=True, slots=True, eq=False)
class TimelineDocuments:
    """The documents a filter lets through, as the timeline reads them: how many per stored date and
    status at once (a row per date, a few thousand however many documents), the documents themselves
    only when asked, by date (the dated ones in sight once zoomed in) or by id (the selected one)."""

    case: Case
    wanted: DocumentFilter
    #: one per stored date, undated (None) included, in no particular order
    counts: list[TimelineCount]

    @property
    def undated(self) -> dict[VerificationStatus, int]:
        """How many have no date, by status."""
        found = next((c.counts for c in self.counts if c.date is None), ())
        return {s: n for s, n in zip(VerificationStatus, found, strict=False) if n}

    def points(
        self,
        dates: Sequence[str],
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int | None = None,
        descending: bool = False,
    ) -> list[TimelinePoint]:
        """The documents of the filter whose stored date is one of ``dates``, in id order (or the
        reverse), with ids above ``after`` and below ``before`` when given; the first ``limit``."""
        wanted_dates = list(dict.fromkeys(dates))
        found: list[TimelinePoint] = []
        for start in range(0, len(wanted_dates), _DATES_PER_QUERY):
            query = _timeline_select(self.wanted).where(
                Document.document_date.in_(wanted_dates[start : start + _DATES_PER_QUERY])
            )
            if after is not None:
                query = query.where(Document.id > after)
            if before is not None:
                query = query.where(Document.id < before)
            query = query.order_by(Document.id.desc() if descending else Document.id)
            if limit is not None:
                query = query.limit(limit)
            found += _timeline_rows(self.case, query)
        if len(wanted_dates) > _DATES_PER_QUERY:
            found.sort(key=lambda p: p.id, reverse=descending)
        return found[:limit] if limit is not None else found

    def point(self, document_id: int) -> TimelinePoint | None:
        """The document with this id if the filter lets it through and it has a date."""
        query = _timeline_select(self.wanted).where(
            Document.id == document_id, Document.document_date.is_not(None)
        )
        found = _timeline_rows(self.case, query)
        return found[0] if found else None


def timeline_documents(case: Case, wanted: DocumentFilter) -> TimelineDocuments:
    """The documents ``wanted`` lets through, for the timeline: counted per stored date and status in
    SQL (``GROUP BY``), a row per date; the documents are read later, a few at a time.

    Not the documents themselves: at 100,000 documents reading and making 60,000 points (the name
    subquery of every untitled one), then entries and count bins of them, was most of a second.
    """
    with case.db.reading() as session:
        rows = _raw_rows(session, timeline_counts_query(wanted))
    counts = [TimelineCount(row[0], tuple(row[1:])) for row in rows]  # a sum over a group is never NULL
    return TimelineDocuments(case, wanted, counts)


def timeline_counts_query(wanted: DocumentFilter) -> Select[Any]:
    """The query of ``timeline_documents``: a row per stored date, a count per status."""
    date = _date_key(wanted)
    statuses = list(VerificationStatus)
    sums = (func.sum(when((Document.status == s.value, 1), else_=0)) for s in statuses)
    return _matching(select(date, *sums), wanted).group_by(date)


def _timeline_select(wanted: DocumentFilter) -> Select[Any]:
    """Id, date, status and name (its title, else the file it was first seen as) of the filter's."""
    label = func.coalesce(
        func.nullif(Document.title, ""), func.nullif(_first_name(), ""), func.substr(Document.sha256, 1, 12)
    )
    columns = [Document.id, Document.document_date, Document.status, label]
    return _matching(select(*columns), wanted)


def _timeline_rows(case: Case, query: Select[Any]) -> list[TimelinePoint]:
    statuses = {s.value: s for s in VerificationStatus}
    with case.db.reading() as session:
        rows = _raw_rows(session, query)
    return [TimelinePoint(doc_id, date, statuses[status], name) for doc_id, date, status, name in rows]


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
