"""Where a local case holds a NUL character (U+0000): SQLite keeps one, PostgreSQL's text cannot.

reviewer refuses a NUL in whatever a person types (``values.checked_text``), but a case written before
that may hold one; ``reviewer move`` asks here first and names each place in a person's words, so they
know what to change (or that a custody entry, hashed and never changed, holds one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, text

from reviewer.core.storage.orm import Base

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# derived rows made again on the server (or from the pages): never copied as they are
_SKIPPED = frozenset({"search_entry"})


def nul_places(session: Session) -> list[str]:
    """Every text value of the (SQLite) case holding a NUL, named as a person finds it."""
    found: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name in _SKIPPED:
            continue
        texts = [c.name for c in table.columns if isinstance(c.type, String)]
        if not texts:
            continue
        keys = [c.name for c in table.primary_key.columns]
        extra = [c for c in ("document_id", "page", "name", "item") if c in table.columns and c not in keys]
        # as bytes: SQLite's text functions may stop at a NUL
        held = " OR ".join(f"instr(CAST(\"{c}\" AS BLOB), x'00') > 0" for c in texts)
        columns = ", ".join(f'"{c}"' for c in dict.fromkeys([*keys, *extra, *texts]))
        sql = f'SELECT {columns} FROM "{table.name}" WHERE {held} ORDER BY {", ".join(keys)}'
        for row in session.execute(text(sql)).mappings():
            for column in texts:
                value = row[column]
                if isinstance(value, str) and "\x00" in value:
                    found.append(_place(table.name, column, dict(row)))
    return found


def _place(table: str, column: str, row: dict[str, object]) -> str:
    """One place in a person's words: ``field vessel of document 3``."""
    doc = f"document {row.get('document_id')}"
    named = {
        ("document", "status_note"): f"the status rationale of document {row.get('id')}",
        ("document_field", "value"): f"field {_shown(row.get('name'))} of {doc}",
        ("document_field", "name"): f"the name of field {_shown(row.get('name'))} of {doc}",
        ("document_tag", "tag"): f"a tag of {doc}",
        ("checklist_entry", "note"): f"the note of checklist item {row.get('item')} of {doc}",
        ("annotation_tag", "tag"): f"a tag of annotation {str(row.get('annotation_id'))[:8]}",
        ("document_link", "note"): f"the note of link {row.get('id')}",
        ("watch_term", "canonical"): f"watch-list term {_shown(row.get('canonical'))}",
        ("case_info", "title"): "the case's title",
        ("custody_event", "summary"): f"custody entry {row.get('id')} (hashed: never changed)",
        ("custody_event", "actor"): f"custody entry {row.get('id')} (hashed: never changed)",
    }
    if (table, column) in named:
        return named[(table, column)]
    if table == "document":
        return f"field {column} of document {row.get('id')}"
    if table == "annotation":
        where = f"annotation {str(row.get('id'))[:8]} on page {row.get('page')} of {doc}"
        return f"the {column} of {where}"
    if table == "sighting":
        return f"the {column} of sighting {row.get('id')} of {doc}"
    at = ", ".join(f"{k} {row[k]}" for k in row if k in ("id", "document_id"))
    return f"{table}.{column}" + (f" ({at})" if at else "")


def _shown(value: object) -> str:
    return repr(str(value).replace("\x00", "\\0")[:40])
