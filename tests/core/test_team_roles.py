"""What the database itself enforces on a shared case: roles, the custody actor, the append-only log.

Each check goes through reviewer AND around it (raw psycopg as the same role): the server refuses,
not reviewer's code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg
import pytest

from reviewer.core.domain.errors import CaseError, UsageError
from reviewer.core.services import documents, fixity, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.team import grant_access, revoke_access
from reviewer.core.storage import custody
from reviewer.core.storage.orm import CustodyEvent
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster


@pytest.fixture
def shared(
    tmp_path: Path, pg_cluster: PostgresCluster, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """A shared case with one document, made by the superuser; (case folder, database name)."""
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    inbox = tmp_path / "in"
    inbox.mkdir()
    filemaker.make_text_pdf(inbox / "note.pdf", pages=1)
    with create_case(tmp_path / "case", database=pg_url) as case:
        import_paths(case, [inbox])
    return tmp_path / "case", pg_url.rsplit("/", 1)[1]


def _login(pg_cluster: PostgresCluster, name: str) -> None:
    exists = pg_cluster.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'").strip()
    if not exists:
        pg_cluster.create_role(name)


def _as(monkeypatch: pytest.MonkeyPatch, role: str) -> None:
    monkeypatch.setenv("PGUSER", role)


def test_the_case_folder_names_the_database_without_user_or_password(shared: tuple[Path, str]) -> None:
    root, db = shared
    text = (root / "reviewer-case.json").read_text()
    assert db in text
    assert "@" not in text
    assert not (root / "reviewer.sqlite").exists()


def test_an_observer_reads_and_every_write_is_refused_in_one_line(
    shared: tuple[Path, str], pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, db = shared
    _login(pg_cluster, "obs_olga")
    with open_case(root) as owner:
        grant_access(owner, "obs_olga", "observer")
    _as(monkeypatch, "obs_olga")
    with open_case(root) as case:
        assert case.actor == "obs_olga"
        assert case.read_only is not None
        assert "you may only read this case" in case.read_only
        [doc] = queries.list_documents(case)
        with pytest.raises(CaseError, match="you may only read this case"):
            documents.set_status(case, doc.id, "verified", "looks right")
    # around reviewer: the server itself refuses the observer's write
    with psycopg.connect(pg_cluster.url(db, "obs_olga")) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE document SET status = 'verified'")
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO custody_event (at, actor, action, summary, prev_hash, entry_hash)"
                " VALUES ('now', 'x', 'x', 'x', 'x', 'x')"
            )


def test_an_editor_writes_under_their_own_name_even_when_the_client_lies(
    shared: tuple[Path, str], pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, db = shared
    _login(pg_cluster, "ed_emil")
    with open_case(root) as owner:
        grant_access(owner, "ed_emil", "editor")
    _as(monkeypatch, "ed_emil")
    with open_case(root, actor="the owner") as case:
        assert case.actor == "ed_emil"
        [doc] = queries.list_documents(case)
        documents.set_status(case, doc.id, "in review", "checking the stamp")
        # another name given to reviewer (a merged bundle's): the role is the actor, the name is kept
        with case.db.unit_of_work() as uow:
            event = custody.append(uow.session, document_id=doc.id, actor="postgres", action="n", summary="s")
            uow.commit()
        entries = list(queries.document_detail(case, doc.id).custody)
        assert entries[-1].actor == "ed_emil"
        assert event.summary == "s (by postgres, as recorded by ed_emil)"
        assert fixity.verify_case(case).ok
        # a client that hashes a lie: the database writes the role's name, and verify sees the entry
        with case.db.unit_of_work() as uow:
            head = custody.head_of(uow.session)
            assert head is not None
            lie = CustodyEvent(
                document_id=None,
                at="now",
                actor="postgres",
                action="lie",
                summary="lie",
                before_json="null",
                after_json="null",
                prev_hash=head.entry_hash,
                entry_hash="",
            )
            lie.entry_hash = custody.entry_digest(head.entry_hash, lie)
            uow.session.add(lie)
            uow.commit()
        report = fixity.verify_case(case)
    assert any("was changed after it was written" in p.problem for p in report.problems), report.problems
    with psycopg.connect(pg_cluster.url(db, "ed_emil")) as conn:
        conn.execute(
            "INSERT INTO custody_event (at, actor, action, summary, before_json, after_json, prev_hash,"
            " entry_hash) VALUES ('now', 'postgres', 'raw', 'raw', 'null', 'null', 'x', 'raw-entry')"
        )
        actor = conn.execute("SELECT actor FROM custody_event WHERE entry_hash = 'raw-entry'").fetchone()
        assert actor == ("ed_emil",)
        # editors only add to the log: no UPDATE, no DELETE, no TRUNCATE
        for statement in (
            "UPDATE custody_event SET summary = 'x'",
            "DELETE FROM custody_event",
            "TRUNCATE custody_event",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def test_even_the_owner_cannot_change_the_log(shared: tuple[Path, str], pg_cluster: PostgresCluster) -> None:
    _root, db = shared
    with psycopg.connect(pg_cluster.url(db)) as conn:
        for statement in ("UPDATE custody_event SET summary = 'x'", "DELETE FROM custody_event"):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
            conn.rollback()


def test_grant_and_revoke_are_the_owners_and_on_the_log(
    shared: tuple[Path, str], pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _db = shared
    _login(pg_cluster, "ed_erik")
    _login(pg_cluster, "obs_otto")
    with open_case(root) as owner:
        grant_access(owner, "ed_erik", "editor")
        grant_access(owner, "obs_otto", "editor")
        grant_access(owner, "obs_otto", "observer")  # moved, not added
        with pytest.raises(UsageError, match="no database role 'nobody'"):
            grant_access(owner, "nobody", "editor")
    _as(monkeypatch, "obs_otto")
    with open_case(root) as case:
        assert case.read_only is not None
    _as(monkeypatch, "ed_erik")
    with open_case(root) as editor, pytest.raises(CaseError, match="only the case's owner"):
        grant_access(editor, "obs_otto", "editor")
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    with open_case(root) as owner:
        assert revoke_access(owner, "ed_erik") == ["editor"]
        report = fixity.verify_case(owner)
    assert report.ok, report.problems
    _as(monkeypatch, "ed_erik")
    with pytest.raises(CaseError, match=r"refused|only read"), open_case(root) as gone:
        queries.list_documents(gone)  # no group role left: not even SELECT


def test_a_local_case_has_no_roles(case: Case) -> None:
    with pytest.raises(UsageError, match="local case"):
        grant_access(case, "someone", "editor")
