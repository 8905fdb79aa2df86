"""The document list's stored, folded text: its name for the title order, its haystack for the filter.

``document.list_name`` is ``str.casefold`` of what the list calls a document (its title, else the
file name it was first seen as: ``COALESCE(title, first sighting's original_name)``), cut to its first
``NAME_LENGTH`` characters, under an index for the title order (with the status, type and date, so
that those filters read the index alone; PostgreSQL refuses an index entry over ~2,700 bytes, and a
title may hold 10,000 characters). ``document.list_text`` is what the list's text filter searches,
folded the same way: that name (whole), the reference number, the issuer, the recipient and the
SHA-256, joined by ``SEPARATOR``, so a filter is one ``LIKE`` over one column with no function called
per row.

Both are derived: nothing a person knows is in them, and :func:`refresh` makes them again from the
columns they come from. Every ORM write that may change them (a title, a reference, an issuer or a
recipient edited, a sighting added, moved or removed by a merge or its undo) refreshes them through
the mapper events :func:`watch` installs; a writer of plain Core inserts (the importer) sets them
with :func:`values`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, event, inspect, select, update

from reviewer.core.storage.orm import Base, Document, Sighting

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy import Connection
    from sqlalchemy.orm import Mapper

#: between the fields of ``list_text``: a needle holding it is searched field by field instead
SEPARATOR = "\x1f"
#: the columns of ``document`` that ``list_text`` is made of, besides the name
FIELDS = ("reference_number", "issuer", "recipient", "sha256")
_CHUNK = 500
#: characters of the folded name kept for the title order (names alike this far are in id order)
NAME_LENGTH = 500


def fold(value: str | None) -> str | None:
    """The folded form the list compares and sorts: ``str.casefold``, as the filter's text is."""
    return value.casefold() if isinstance(value, str) else None


def values(
    title: str | None,
    first_name: str | None,
    reference_number: str | None,
    issuer: str | None,
    recipient: str | None,
    sha256: str | None,
) -> dict[str, str | None]:
    """``list_name`` and ``list_text`` of a document with these columns."""
    name = fold(title if title is not None else first_name)
    parts = [name, *(fold(v) for v in (reference_number, issuer, recipient, sha256))]
    return {
        "list_name": None if name is None else name[:NAME_LENGTH],
        "list_text": SEPARATOR.join(p or "" for p in parts),
    }


def first_name_of(document: Any) -> Any:
    """The name of the first sighting of ``document`` (a column or a correlated id), as a subquery."""
    return (
        select(Sighting.original_name)
        .where(Sighting.document_id == document)
        .order_by(Sighting.id)
        .limit(1)
        .scalar_subquery()
    )


def refresh(conn: Connection, ids: Iterable[int]) -> None:
    """Make ``list_name`` and ``list_text`` of these documents again from what they are made of."""
    wanted = sorted({i for i in ids if i is not None})
    table = Base.metadata.tables["document"]
    change = (
        update(table)
        .where(table.c.id == bindparam("doc"))
        .values(list_name=bindparam("name"), list_text=bindparam("haystack"))
    )
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = conn.execute(
            select(
                Document.id,
                Document.title,
                first_name_of(Document.id),
                *(getattr(Document, f) for f in FIELDS),
            ).where(Document.id.in_(chunk))
        ).all()
        params = []
        for doc_id, *columns in rows:
            made = values(*columns)
            params.append({"doc": doc_id, "name": made["list_name"], "haystack": made["list_text"]})
        if params:
            conn.execute(change, params)


def rebuild(conn: Connection) -> None:
    """Make them again for every document (after rows were copied in by hand: ``reviewer repair``)."""
    refresh(conn, list(conn.execute(select(Document.id)).scalars()))


_DOCUMENT_FIELDS = ("title", *FIELDS)


def _document_written(_mapper: Mapper[Any], conn: Connection, target: Document) -> None:
    state = inspect(target)
    if state.has_identity and not any(state.attrs[f].history.has_changes() for f in _DOCUMENT_FIELDS):
        return
    refresh(conn, [target.id])


def _document_inserted(_mapper: Mapper[Any], conn: Connection, target: Document) -> None:
    refresh(conn, [target.id])


def _sighting_written(_mapper: Mapper[Any], conn: Connection, target: Sighting) -> None:
    state = inspect(target)
    ids = {target.document_id}
    moved = state.attrs.document_id.history
    ids.update(i for i in moved.deleted if isinstance(i, int))
    relation = state.attrs.document.history  # a sighting moved by its relationship alone
    ids.update(d.id for d in relation.deleted if d is not None and d.id is not None)
    refresh(conn, ids)


_LISTENERS = (
    (Document, "after_insert", _document_inserted),
    (Document, "after_update", _document_written),
    (Sighting, "after_insert", _sighting_written),
    (Sighting, "after_update", _sighting_written),
    (Sighting, "after_delete", _sighting_written),
)


def watch() -> None:
    """Keep the list's folded text up to date on every ORM write (once per process; idempotent)."""
    for mapped, name, listener in _LISTENERS:
        if not event.contains(mapped, name, listener):
            event.listen(mapped, name, listener)
