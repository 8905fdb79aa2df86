"""reviewer move: a local case becomes a shared one, whole or not at all, and verifies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import psycopg
import pytest

from reviewer.cli import main
from reviewer.core.domain.values import Rect, VerificationStatus
from reviewer.core.services import documents, fixity, links, move, queries, search
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from reviewer.core.storage.sqlite_db import CHECK_MARKER
from reviewer.core.storage.store import CaseLayout, Claim
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from tests.pg_cluster import PostgresCluster


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    assert "unexpected error" not in err
    [line] = err.strip().splitlines()
    return line


@pytest.fixture
def local_case(tmp_path: Path, pg_cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local case with two documents, a status, tags, an annotation and a link, worked on by 'alice'."""
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    filemaker.make_text_pdf(inbox / "note.pdf", pages=2)
    filemaker.make_jpeg_with_exif(inbox / "photo.jpg")
    root = tmp_path / "case"
    with create_case(root, title="Leak 7", actor="alice") as case:
        report = import_paths(case, [inbox])
        note = next(d.id for d in report.imported if d.path.endswith("note.pdf"))
        photo = next(d.id for d in report.imported if d.path.endswith("photo.jpg"))
        documents.tag_documents(case, [note], ["МИД", "stamp"])
        documents.set_status(case, note, VerificationStatus.DISPUTED, "stamp differs")
        documents.add_annotation(case, note, page=1, rect=Rect(10, 10, 100, 60), note="печать")
        links.link_documents(case, note, photo, "attachment_of", note="sent together")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the case folder with its bytes (the database checkpointed into its file), less
    the record of when the database was last checked, which every open and close may write."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.relative_to(root) == CHECK_MARKER:
            continue
        if path.is_file() and not path.name.endswith((".lock", "-wal", "-shm")):
            found[str(path.relative_to(root))] = path.read_bytes()
    return found


def _custody(root: Path) -> list[tuple[int, str, str, str]]:
    with open_case(root) as case, case.db.reading() as session:
        from sqlalchemy import select

        from reviewer.core.storage.orm import CustodyEvent

        return [
            (e.id, e.actor, e.action, e.entry_hash)
            for e in session.scalars(select(CustodyEvent).order_by(CustodyEvent.id))
        ]


def _rows_on(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]


def test_move_round_trip_keeps_every_row_and_actor_and_verifies(
    local_case: Path, pg_url: str, pg_cluster: PostgresCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _custody(local_case)
    assert {actor for _, actor, _, _ in before} == {"alice"}
    code, out, err = run(capsys, "move", local_case, "--to-database", pg_url)
    assert code == 0, err
    assert "verify: 2 original(s)" in out
    assert "all as recorded" in out
    assert "reviewer.sqlite.moved-" in out
    # the local database is kept aside, never removed; the case is now shared
    assert not (local_case / "reviewer.sqlite").exists()
    [kept] = local_case.glob("reviewer.sqlite.moved-*")
    assert kept.stat().st_size > 0
    assert (local_case / "reviewer-case.json").is_file()
    after = _custody(local_case)
    # every entry as it was written, actors included; then the move by the connected role, then verify
    assert after[: len(before)] == before
    assert [a[2] for a in after[len(before) :]] == ["case_moved", "fixity_check", "fixity_check"][
        : len(after) - len(before)
    ]
    assert after[len(before)][1] == pg_cluster.superuser
    with open_case(local_case) as case:
        assert case.db.shared
        [note, photo] = queries.list_documents(case)
        detail = queries.document_detail(case, note.id)
        assert detail.summary.status is VerificationStatus.DISPUTED
        assert detail.summary.tags == ("stamp", "МИД")
        assert [a.note for a in detail.annotations] == ["печать"]
        assert [d.document.id for d in search.search(case, "печать").documents] == [note.id]
        # the sequences are past the copied ids: new rows get new ids
        documents.add_annotation(case, note.id, page=2, rect=Rect(1, 1, 50, 50), note="second")
        documents.tag_documents(case, [photo.id], ["photo"])
        assert fixity.verify_case(case).ok
    code, out, err = run(capsys, "verify", local_case)
    assert code == 0, err
    assert "all as recorded" in out
    # the copy could switch the actor trigger off because its role owns the tables; an editor cannot
    pg_cluster.create_role("move_editor")
    with open_case(local_case) as case:
        from reviewer.core.services.team import grant_access

        grant_access(case, "move_editor", "editor")
    with (
        psycopg.connect(pg_cluster.url(pg_url.rsplit("/", 1)[1], user="move_editor")) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("ALTER TABLE custody_event DISABLE TRIGGER custody_event_actor")


def test_move_refuses_a_shared_case_a_full_database_and_a_live_import(
    local_case: Path,
    pg_url: str,
    pg_cluster: PostgresCluster,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    snapshot = _snapshot(local_case)
    # a database that already holds a case
    other = pg_cluster.create_database("t_move_full")
    code, _, err = run(capsys, "init", tmp_path / "other", "--database", other)
    assert code == 0, err
    code, _, err = run(capsys, "move", local_case, "--to-database", other)
    assert code == 2
    assert "already holds a case" in one_line(err)
    # a database with tables of something else
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE payroll (id int)")
    code, _, err = run(capsys, "move", local_case, "--to-database", pg_url)
    assert code == 2
    assert "is not empty" in one_line(err)
    # a shared case
    code, _, err = run(capsys, "move", tmp_path / "other", "--to-database", pg_url)
    assert code == 2
    assert "already a shared case" in one_line(err)
    # a URL with a password
    code, _, err = run(capsys, "move", local_case, "--to-database", "postgresql://u:pw@h/db")
    assert code == 2
    assert "pw" not in err
    # a live import (its claim in staging)
    fresh = pg_cluster.create_database("t_move_fresh")
    with Claim(CaseLayout(local_case), "import"):
        code, _, err = run(capsys, "move", local_case, "--to-database", fresh)
    assert code == 1
    assert "an import, merge or export is running" in one_line(err)
    assert _snapshot(local_case) == snapshot
    assert _rows_on(fresh, "custody_event") == 0


def test_a_failure_mid_copy_leaves_the_local_case_as_it_was(
    local_case: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    snapshot = _snapshot(local_case)
    real = move._copy_table
    copied: list[str] = []

    def failing(source: object, conn: object, name: str) -> int:
        if name == "page":
            raise OSError(5, "Input/output error")
        copied.append(name)
        return real(source, conn, name)  # type: ignore[arg-type]

    monkeypatch.setattr(move, "_copy_table", failing)
    with pytest.raises(OSError, match="Input/output"):
        move.move_case(local_case, pg_url)
    assert "custody_event" in copied  # it failed well into the copy
    assert _snapshot(local_case) == snapshot
    assert _rows_on(pg_url, "custody_event") == 0
    assert _rows_on(pg_url, "document") == 0
    code, out, err = run(capsys, "verify", local_case)
    assert code == 0, err
    assert "all as recorded" in out
    assert not (local_case / "reviewer-case.json").exists()
    # the schema the failed move left is taken as empty: the move, once mended, goes through
    monkeypatch.setattr(move, "_copy_table", real)
    report = move.move_case(local_case, pg_url)
    assert report.verify.ok
    assert report.rows["document"] == 2


@pytest.mark.slow
def test_kill_9_mid_copy_then_the_local_case_opens_and_verifies(
    local_case: Path, pg_url: str, pg_cluster: PostgresCluster, tmp_path: Path
) -> None:
    """The real process is killed while its copy waits on a table the test holds locked."""
    from reviewer.core.storage.postgres_db import PostgresDatabase

    snapshot = _snapshot(local_case)
    schema = PostgresDatabase(pg_url, tmp_path)  # the schema first, so the test can lock a table of it
    schema.upgrade(tmp_path)
    schema.close()
    env = dict(os.environ, PGUSER=pg_cluster.superuser)
    with psycopg.connect(pg_url) as blocker:
        blocker.execute("LOCK TABLE sighting IN ACCESS EXCLUSIVE MODE")
        proc = subprocess.Popen(
            [sys.executable, "-m", "reviewer.cli", "move", str(local_case), "--to-database", pg_url],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            with psycopg.connect(pg_url, autocommit=True) as watch:
                while True:  # until the copy waits for the locked table, its earlier tables inserted
                    waiting = watch.execute(
                        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND query LIKE 'INSERT INTO sighting%'"
                    ).fetchall()
                    if waiting:
                        break
                    assert proc.poll() is None, proc.communicate()
                    time.sleep(0.05)
                [(backend,)] = waiting
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()
        blocker.rollback()  # the server ends the dead client's transaction once it gets the lock
    with psycopg.connect(pg_url, autocommit=True) as watch:
        while watch.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend,)).fetchone():
            time.sleep(0.05)
    assert proc.returncode == -signal.SIGKILL
    assert _rows_on(pg_url, "custody_event") == 0
    assert not (local_case / "reviewer-case.json").exists()
    assert (local_case / "reviewer.sqlite").is_file()
    with open_case(local_case) as case:
        assert not case.db.shared
        assert fixity.verify_case(case).ok
    del snapshot  # verify above logged its check: the case moved on by exactly that
    report = move.move_case(local_case, pg_url)
    assert report.verify.ok


def test_a_move_that_died_after_its_copy_committed_is_finished_by_the_next(
    local_case: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = _snapshot(local_case)
    real = move._switch

    def dies(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(move, "_switch", dies)
    with pytest.raises(KeyboardInterrupt):
        move.move_case(local_case, pg_url)
    assert _snapshot(local_case) == snapshot  # copied and verified on the server, not switched
    assert _rows_on(pg_url, "document") == 2
    monkeypatch.setattr(move, "_switch", real)
    report = move.move_case(local_case, pg_url)
    assert report.verify.ok
    assert report.rows["document"] == 2
    with open_case(local_case) as case:
        assert case.db.shared
        assert fixity.verify_case(case).ok
