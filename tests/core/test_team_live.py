"""Live together (issue 14): every committed change on a shared case is announced, and only those.

One process writes through the command line; this process's listener hears it within a bounded wait,
with the right document, action and actor. A unit of work rolled back announces nothing. A local case
has no listener.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.errors import ConflictError
from reviewer.core.domain.values import VerificationStatus
from reviewer.core.services import documents
from reviewer.core.services.case import open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.storage import custody
from reviewer.core.storage.live import Change, ChangeListener, parse_change
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster

# Generous: a bound on a wait that normally ends in milliseconds, never a timing assertion.
BOUND = 30.0


@pytest.fixture
def shared(
    tmp_path: Path, pg_cluster: PostgresCluster, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Case, int]]:
    from reviewer.core.services.case import create_case

    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    filemaker.make_text_pdf(inbox / "note.pdf", pages=1)
    with create_case(tmp_path / "case", title="Live", database=pg_url) as case:
        [doc] = import_paths(case, [inbox]).imported
        yield case, doc.id


def _hear(listener: ChangeListener, until: int) -> list[Change]:
    """Changes heard until ``until`` of them arrived, or the bound passed."""
    heard: list[Change] = []
    for _ in range(100):
        heard += listener.wait(BOUND / 100)
        if len(heard) >= until:
            break
    return heard


def test_a_change_made_by_another_process_is_heard(shared: tuple[Case, int]) -> None:
    case, doc = shared
    listener = ChangeListener.open(case.db)
    assert listener is not None
    with listener:
        assert listener.pending() == []
        result = subprocess.run(
            [sys.executable, "-m", "reviewer.cli", "status", str(case.root), str(doc), "disputed",
             "--note", "stamp differs"],
            capture_output=True, text=True, timeout=120, check=False, env=dict(os.environ),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        [heard] = _hear(listener, 1)
        assert heard.document_id == doc
        assert heard.action == "status_changed"
        assert heard.actor == case.actor  # the database's session_user
        entries = [e for e in custody_entries(case) if e[0] == heard.entry]
        assert entries == [(heard.entry, doc, "status_changed")]
        # tags, fields and annotations too, each its own entry
        documents.tag_documents(case, [doc], ["stamp"])
        documents.set_metadata(case, doc, {"issuer": "МИД"})
        heard2 = _hear(listener, 2)
        assert [c.action for c in heard2] == ["tag_added", "metadata_changed"]
        assert {c.document_id for c in heard2} == {doc}


def test_nothing_is_announced_for_a_rolled_back_unit_of_work(shared: tuple[Case, int]) -> None:
    case, doc = shared
    with ChangeListener.open(case.db) as listener:  # type: ignore[union-attr]
        with case.db.unit_of_work() as uow:
            custody.append(uow.session, document_id=doc, actor="x", action="note", summary="never kept")
            # rolled back on leaving the block: no commit
        documents.set_status(case, doc, VerificationStatus.IN_REVIEW, None)  # the marker that follows
        heard = _hear(listener, 1)
        assert [c.action for c in heard] == ["status_changed"]
        assert listener.pending() == []


def test_a_refused_change_announces_nothing(shared: tuple[Case, int]) -> None:
    case, doc = shared
    with ChangeListener.open(case.db) as listener:  # type: ignore[union-attr]
        with pytest.raises(ConflictError):
            documents.set_status(case, doc, VerificationStatus.VERIFIED, None, seen=("disputed", None))
        documents.tag_documents(case, [doc], ["marker"])
        assert [c.action for c in _hear(listener, 1)] == ["tag_added"]


def test_a_local_case_has_no_listener(case: Case) -> None:
    assert ChangeListener.open(case.db) is None


def test_payloads_that_are_not_reviewers_are_ignored() -> None:
    assert parse_change("not json") is None
    assert parse_change('{"entry": 1}') is None
    assert parse_change('{"entry": 3, "document": null, "action": "a", "actor": "b"}') == Change(
        3, None, "a", "b"
    )


def test_a_second_session_opened_elsewhere_hears_too(shared: tuple[Case, int]) -> None:
    case, doc = shared
    other = open_case(case.root)
    try:
        with ChangeListener.open(other.db) as listener:  # type: ignore[union-attr]
            documents.set_metadata(case, doc, {"title": "Nota"})
            [heard] = _hear(listener, 1)
            assert (heard.document_id, heard.action) == (doc, "metadata_changed")
    finally:
        other.close()


def custody_entries(case: Case) -> list[tuple[int, int | None, str]]:
    from sqlalchemy import select

    from reviewer.core.storage.orm import CustodyEvent

    with case.db.reading() as session:
        rows = session.execute(select(CustodyEvent.id, CustodyEvent.document_id, CustodyEvent.action))
        return [(int(r[0]), r[1], str(r[2])) for r in rows]


def test_a_server_that_asks_a_password(
    shared: tuple[Case, int], pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libpq finds no password: a one-line PasswordNeededError; a wrong one says so; the right one opens."""
    from reviewer.core.services.team import grant_access
    from reviewer.core.storage.case_db import PasswordNeededError, WrongPasswordError

    case, doc = shared
    pg_cluster.create_password_role("live_pia", "s3cret'pw")
    grant_access(case, "live_pia", "editor")
    monkeypatch.setenv("PGUSER", "live_pia")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(case.root / "no-such-pgpass"))
    with pytest.raises(PasswordNeededError) as needed:
        open_case(case.root)
    assert str(needed.value) == f"the case database {case.db.where} asks for live_pia's password"
    with pytest.raises(WrongPasswordError, match=r"^wrong password for live_pia on the case database"):
        open_case(case.root, password="wrong")
    with open_case(case.root, password="s3cret'pw") as pia:
        assert pia.actor == "live_pia"
        assert "s3cret" not in (case.root / "reviewer-case.json").read_text()
        with ChangeListener.open(pia.db) as listener:  # type: ignore[union-attr]
            documents.tag_documents(pia, [doc], ["pia"])
            [heard] = _hear(listener, 1)
            assert heard.actor == "live_pia"


def test_a_cases_own_changes_are_known_as_its_own(shared: tuple[Case, int]) -> None:
    """A window skips what it wrote itself: the notification names the server process that wrote it."""
    case, doc = shared
    other = open_case(case.root)
    try:
        with ChangeListener.open(case.db) as mine, ChangeListener.open(other.db) as theirs:  # type: ignore[union-attr]
            documents.tag_documents(case, [doc], ["mine"])
            documents.tag_documents(other, [doc], ["theirs"])
            heard = _hear(mine, 2)
            assert [c.action for c in heard] == ["tag_added", "tag_added"]
            assert [c.backend in mine.own for c in heard] == [True, False]
            assert [c.entry for c in mine.others(heard)] == [heard[1].entry]
            assert [c.entry for c in theirs.others(_hear(theirs, 2))] == [heard[0].entry]
    finally:
        other.close()


def test_who_else_has_the_case_open(
    shared: tuple[Case, int], pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each window's listener is one person here; an editor's session sees the owner's too."""
    from reviewer.core.services.team import grant_access
    from reviewer.core.storage.live import people_here

    case, _doc = shared
    assert people_here(case.db) == []
    pg_cluster.create_role("here_ed")
    grant_access(case, "here_ed", "editor")
    with ChangeListener.open(case.db) as mine:  # type: ignore[union-attr]
        assert people_here(case.db, me=mine.backend) == []
        [me] = people_here(case.db)
        assert me.actor == pg_cluster.superuser
        monkeypatch.setenv("PGUSER", "here_ed")
        colleague = open_case(case.root)
        monkeypatch.setenv("PGUSER", pg_cluster.superuser)
        try:
            assert colleague.actor == "here_ed"
            with ChangeListener.open(colleague.db) as theirs:  # type: ignore[union-attr]
                assert [p.actor for p in people_here(case.db, me=mine.backend)] == ["here_ed"]
                assert [p.actor for p in people_here(colleague.db, me=theirs.backend)] == [case.actor]
            assert people_here(case.db, me=mine.backend) == []
        finally:
            colleague.close()
