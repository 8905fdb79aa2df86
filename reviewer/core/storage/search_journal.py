"""The journal of the search index: which ``search_text`` rows changed, in the same transaction.

Written by :mod:`reviewer.core.storage.search_index` in a local case (table ``search_text_journal``,
migration 0011) once the case has a Tantivy index (the case setting ``search_journal``; a small case
has none), and read by :mod:`reviewer.core.storage.search_tantivy`, which absorbs it into that index
after the commit. Kept apart so that writing it never imports Tantivy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reviewer.core.storage.orm import CaseSetting

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

# Journal entry meaning "everything anew" (a rebuild of the FTS5 index).
RESET = 0
_KEY = "search_journal"


def enabled(session: Session) -> bool:
    """Whether changes are journaled: the case has (or is getting) a Tantivy index."""
    setting = session.get(CaseSetting, _KEY)
    return setting is not None and setting.value is True


def enable(session: Session) -> None:
    """Journal every change from this transaction on (before the Tantivy index is first built)."""
    if not enabled(session):
        session.merge(CaseSetting(key=_KEY, value=True))
        session.flush()


def journal(session: Session, entry_ids: Sequence[int]) -> None:
    """Note that these ``search_text`` rows were added or removed (inside the same transaction)."""
    if entry_ids and enabled(session):
        session.connection().exec_driver_sql(
            "INSERT INTO search_text_journal (entry_id) VALUES (?)", [(int(e),) for e in entry_ids]
        )


def journal_reset(session: Session) -> None:
    """Note that the whole FTS5 index was made anew: the journal so far is moot."""
    if not enabled(session):
        return
    conn = session.connection()
    conn.exec_driver_sql("DELETE FROM search_text_journal")
    conn.exec_driver_sql("INSERT INTO search_text_journal (entry_id) VALUES (?)", (RESET,))


def high_water(conn: Connection) -> int:
    """The last ``seq`` ever given (0 before the first): AUTOINCREMENT keeps it after rows go."""
    row = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'search_text_journal'").first()
    return int(row[0]) if row else 0
