"""The custody log is append-only in the database and hash-chained against edits made elsewhere."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest

from reviewer.core.storage import custody
from tests.conftest import raw_db

if TYPE_CHECKING:
    from reviewer.core.services.case import Case


def _add(case: Case, n: int) -> None:
    with case.db.unit_of_work() as uow:
        for i in range(n):
            custody.append(uow.session, document_id=None, actor="tester", action="note", summary=f"entry {i}")
        uow.commit()


def _problems(case: Case) -> list[str]:
    with case.db.reading() as session:
        return list(custody.chain_problems(session))


def test_entries_chain(case: Case) -> None:
    _add(case, 3)
    assert _problems(case) == []


@pytest.mark.parametrize(
    "statement",
    ["UPDATE custody_event SET summary = 'nothing happened'", "DELETE FROM custody_event"],
)
def test_database_refuses_to_change_the_log(case: Case, statement: str) -> None:
    _add(case, 1)
    with raw_db(case.root) as conn, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)


def _drop_guards(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER custody_event_no_update")
    conn.execute("DROP TRIGGER custody_event_no_delete")


def test_an_edited_entry_is_detected(case: Case) -> None:
    _add(case, 3)
    with raw_db(case.root) as conn:
        _drop_guards(conn)
        conn.execute("UPDATE custody_event SET actor = 'someone else' WHERE summary = 'entry 1'")
    problems = _problems(case)
    assert len(problems) == 1
    assert "was changed after it was written" in problems[0]


def test_a_removed_entry_is_detected(case: Case) -> None:
    _add(case, 3)
    with raw_db(case.root) as conn:
        _drop_guards(conn)
        conn.execute("DELETE FROM custody_event WHERE summary = 'entry 1'")
    assert any("does not follow" in p for p in _problems(case))


def test_rollback_leaves_no_entry(case: Case) -> None:
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session, document_id=None, actor="tester", action="note", summary="never committed"
        )
    with raw_db(case.root) as conn:
        assert conn.execute(
            "SELECT count(*) FROM custody_event WHERE summary = 'never committed'"
        ).fetchone() == (0,)
