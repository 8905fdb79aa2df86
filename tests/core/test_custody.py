"""The custody log is append-only in the database and hash-chained against edits made elsewhere."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.storage import anchor, custody
from reviewer.core.storage.orm import CustodyEvent
from tests import filemaker
from tests.conftest import raw_db

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


# Reads or edits the SQLite file itself (raw_db), so runs on the local case only.
SQLITE_ONLY = pytest.mark.parametrize("any_case", ["sqlite"], indirect=True)


@pytest.fixture
def case(any_case: Case) -> Case:
    """Every test here runs on a local (SQLite) and a shared (PostgreSQL) case, but SQLITE_ONLY ones."""
    return any_case


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


@SQLITE_ONLY
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


@SQLITE_ONLY
def test_an_edited_entry_is_detected(case: Case) -> None:
    _add(case, 3)
    with raw_db(case.root) as conn:
        _drop_guards(conn)
        conn.execute("UPDATE custody_event SET actor = 'someone else' WHERE summary = 'entry 1'")
    problems = _problems(case)
    assert len(problems) == 1
    assert "was changed after it was written" in problems[0]


@SQLITE_ONLY
def test_a_removed_entry_is_detected(case: Case) -> None:
    _add(case, 3)
    with raw_db(case.root) as conn:
        _drop_guards(conn)
        conn.execute("DELETE FROM custody_event WHERE summary = 'entry 1'")
    assert any("does not follow" in p for p in _problems(case))


@SQLITE_ONLY
def test_rollback_leaves_no_entry(case: Case) -> None:
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session, document_id=None, actor="tester", action="note", summary="never committed"
        )
    with raw_db(case.root) as conn:
        assert conn.execute(
            "SELECT count(*) FROM custody_event WHERE summary = 'never committed'"
        ).fetchone() == (0,)


def test_each_commit_moves_the_head_file_forward(case: Case) -> None:
    _add(case, 2)
    with case.db.reading() as session:
        newest = custody.head_of(session)
    assert newest is not None
    assert anchor.read_head(case.layout.database) == newest
    older = anchor.ChainHead(newest.entry_id - 1, "0" * 64, "2026-01-01T00:00:00Z")
    anchor.advance_head(case.layout.database, older)  # a slower process arriving late
    assert anchor.read_head(case.layout.database) == newest


def test_a_rolled_back_entry_leaves_the_head_file_alone(case: Case) -> None:
    before = anchor.read_head(case.layout.database)
    with case.db.unit_of_work() as uow:
        custody.append(uow.session, document_id=None, actor="tester", action="note", summary="rolled back")
    assert anchor.read_head(case.layout.database) == before
    _add(case, 1)
    head = anchor.read_head(case.layout.database)
    assert head is not None
    assert before is not None
    # the next entry chains from the old head (ids may skip one on PostgreSQL, whose sequences do not
    # roll back; the chain is by hash, not by id)
    with case.db.reading() as session:
        newest = session.get(CustodyEvent, head.entry_id)
        assert newest is not None
        assert newest.prev_hash == before.entry_hash, "the rolled-back entry did not take the head"


@SQLITE_ONLY
def test_entries_without_a_state_keep_the_old_digest(case: Case) -> None:
    """Entries written before state anchors chain as they always did."""
    with raw_db(case.root) as conn:
        _drop_guards(conn)
        prev = conn.execute("SELECT entry_hash FROM custody_event ORDER BY id DESC").fetchone()[0]
        event = CustodyEvent(
            document_id=None,
            at="2026-01-01T00:00:00Z",
            actor="old reviewer",
            action="note",
            summary="written by an older version",
            before_json="null",
            after_json="null",
            prev_hash=prev,
            entry_hash="",
            state_hash=None,
        )
        old_body = custody.canonical_json(
            [None, event.at, event.actor, event.action, event.summary, "null", "null"]
        )
        assert custody.entry_digest(prev, event) == hashlib.sha256(f"{prev}\n{old_body}".encode()).hexdigest()
        conn.execute(
            "INSERT INTO custody_event (at, actor, action, summary, before_json, after_json, prev_hash,"
            " entry_hash) VALUES (?, ?, ?, ?, 'null', 'null', ?, ?)",
            (event.at, event.actor, event.action, event.summary, prev, custody.entry_digest(prev, event)),
        )
    assert _problems(case) == []


_WRITER = """
import sys
from pathlib import Path
from reviewer.core.services import documents
from reviewer.core.services.case import open_case

with open_case(Path(sys.argv[1]), actor=sys.argv[2]) as case:
    for i in range(15):
        documents.tag_documents(case, [1], [f"{sys.argv[2]}-{i}"])
        documents.tag_documents(case, [1], [f"{sys.argv[2]}-{i}"], remove=True)
"""


@pytest.mark.slow
def test_two_processes_writing_at_once_leave_a_clean_chain_and_the_newest_head(
    case: Case, inbox: Path
) -> None:
    import_paths(case, [filemaker.make_text_pdf(inbox / "a.pdf")])
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(case.root), name]) for name in ("alice", "bob")
    ]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    with case.db.reading() as session:
        newest = custody.head_of(session)
    assert anchor.read_head(case.layout.database) == newest
    report = verify_case(case)
    assert report.ok, report.problems
