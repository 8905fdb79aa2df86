"""`verify` catches what is changed behind reviewer's back, with the plain sqlite3 module.

One case is built through the services (documents, annotations, tags, links, a status, fields, a
watch-list); each test tampers with a copy of it as an attacker with the database file would.
Those that need no SQLite file (ON_BOTH: reviewer's own work, a lost head file, entries removed from the
log's end) also run on a shared copy, its database on PostgreSQL (made from the built one as a template).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import uuid
from typing import TYPE_CHECKING

import pytest
from alembic import command

from reviewer.cli import main
from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, entities, fixity, links
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.export import export_bundle
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.storage import anchor
from reviewer.core.storage.database import Database
from tests import filemaker
from tests.conftest import raw_db
from tests.pg_cases import copy_case, execute, query

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster


def _build(base: Path, database: str | None = None) -> Path:
    """A case with three documents, annotated, tagged, linked, with a status, fields and a watch-list."""
    inbox = base / "inbox"
    inbox.mkdir()
    files = [
        filemaker.make_text_pdf(inbox / "note.pdf", pages=2),
        filemaker.make_text_pdf(inbox / "letter.pdf", seed=2, lines=["Letter 7/2021", "Ministry"]),
        filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1, seed=3),
    ]
    with create_case(base / "case", title="Tamper", actor="tester", database=database) as case:
        import_paths(case, files)
        documents.set_status(case, 1, "disputed", "the stamp differs")
        documents.set_check(case, 1, "stamp", "inconsistent", "ink differs")
        documents.tag_documents(case, [1, 2], ["stamp", "ministry"])
        documents.set_metadata(case, 1, {"title": "Note 12-05/1174", "vessel": "Aurora"})
        documents.add_annotation(case, 1, page=1, rect=Rect(60, 60, 300, 120), note="the stamp", tags=["ref"])
        documents.add_annotation(case, 2, page=1, rect=Rect(50, 50, 200, 90), note="the date")
        links.link_documents(case, 1, 2, "references", "same reference")
        entities.add_watch_term(case, "Ministry of Foreign Affairs", "organisation", ["MFA"])
        assert verify_case(case).ok
    return base / "case"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The case every test tampers with a copy of, local."""
    return _build(tmp_path_factory.mktemp("tamper"))


@pytest.fixture(scope="module")
def built_shared(tmp_path_factory: pytest.TempPathFactory, pg_cluster: PostgresCluster) -> Path:
    """The same case, shared: its database on PostgreSQL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PGUSER", pg_cluster.superuser)
        url = pg_cluster.create_database(f"tamper_{uuid.uuid4().hex[:16]}")
        return _build(tmp_path_factory.mktemp("tamper-shared"), url)


@pytest.fixture
def copy(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built case to tamper with: local, or shared for ON_BOTH tests' second run."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return copy_case(request.getfixturevalue("built"), tmp_path / "case")
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    monkeypatch.setenv("PGUSER", cluster.superuser)
    return copy_case(request.getfixturevalue("built_shared"), tmp_path / "case", cluster)


ON_BOTH = pytest.mark.parametrize("copy", ["sqlite", "postgres"], indirect=True)


def _remove_entries(root: Path, where: str) -> None:
    """Delete custody entries past the log's own guards (its triggers), as the database's owner could."""
    if (root / "reviewer.sqlite").exists():
        with raw_db(root) as conn:
            _drop_guards(conn)
            conn.execute(f"DELETE FROM custody_event WHERE {where}")
        return
    execute(
        root,
        "ALTER TABLE custody_event DISABLE TRIGGER USER",
        f"DELETE FROM custody_event WHERE {where}",
        "ALTER TABLE custody_event ENABLE TRIGGER USER",
    )


def _problems(root: Path, head: str | None = None) -> list[str]:
    with open_case(root, actor="tester") as case:
        report = verify_case(case, head=head)
    assert not report.ok
    return [p.problem for p in report.problems]


def _annotation_of(conn: sqlite3.Connection, document_id: int) -> str:
    row = conn.execute("SELECT id FROM annotation WHERE document_id = ?", (document_id,)).fetchone()
    return str(row[0])


def _drop_guards(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER custody_event_no_update")
    conn.execute("DROP TRIGGER custody_event_no_delete")


def _status(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE document SET status = 'verified', status_note = NULL WHERE id = 1")


def _note(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE annotation SET note = 'a different note' WHERE id = ?", (_annotation_of(conn, 1),))


def _rect(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE annotation SET x0 = x0 + 40, x1 = x1 + 40 WHERE id = ?", (_annotation_of(conn, 1),))


def _delete_annotation(conn: sqlite3.Connection) -> None:
    annotation = _annotation_of(conn, 1)
    for table, column in (("annotation_tag", "annotation_id"), ("region_hash", "annotation_id")):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (annotation,))
    conn.execute("DELETE FROM annotation WHERE id = ?", (annotation,))


def _insert_annotation(conn: sqlite3.Connection) -> None:
    conn.execute(
        "INSERT INTO annotation (id, document_id, page, x0, y0, x1, y1, kind, note, created_by, created_at,"
        " updated_at, deleted) VALUES ('forged', 2, 1, 10, 10, 90, 40, 'note', 'forged', 'tester',"
        " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0)"
    )


def _add_tag(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO document_tag (document_id, tag) VALUES (2, 'forged')")


def _remove_tag(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM document_tag WHERE document_id = 2 AND tag = 'stamp'")


def _field(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE document_field SET value = 'Kursk' WHERE document_id = 1 AND name = 'vessel'")


def _title(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE document SET title = 'Another note' WHERE id = 1")


def _unlink(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE document_link SET removed = 1")


def _checklist(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE checklist_entry SET state = 'consistent' WHERE document_id = 1")


def _watch_list(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM watch_term")


@pytest.mark.parametrize(
    ("tamper", "document", "what"),
    [
        (_status, 1, "status"),
        (_note, 1, "annotations"),
        (_rect, 1, "annotations"),
        (_delete_annotation, 1, "annotations"),
        (_insert_annotation, 2, "annotations"),
        (_add_tag, 2, "tags"),
        (_remove_tag, 2, "tags"),
        (_field, 1, "fields"),
        (_title, 1, "fields"),
        (_checklist, 1, "checklist"),
        (_unlink, 1, "links"),
    ],
)
def test_a_changed_document_is_named_with_what_changed(
    copy: Path, tamper: Callable[[sqlite3.Connection], None], document: int, what: str
) -> None:
    with raw_db(copy) as conn:
        tamper(conn)
    problems = _problems(copy)
    assert any(
        p.startswith(f"document {document}'s recorded ") and what in p and "changed outside reviewer" in p
        for p in problems
    ), problems


def test_a_changed_watch_list_is_caught(copy: Path) -> None:
    with raw_db(copy) as conn:
        _watch_list(conn)
    assert any("the case's recorded watch-list was changed outside reviewer" in p for p in _problems(copy))


@ON_BOTH
def test_removing_the_last_entries_is_caught_by_the_head_file(copy: Path) -> None:
    _remove_entries(copy, "id IN (SELECT id FROM custody_event ORDER BY id DESC LIMIT 3)")
    problems = _problems(copy)
    assert any("the last entries were removed" in p for p in problems), problems


def test_a_removed_document_is_caught(copy: Path) -> None:
    with raw_db(copy) as conn:
        conn.execute("DELETE FROM document WHERE id = 3")
    assert any("document 3 was removed from the database outside reviewer" in p for p in _problems(copy))


def test_a_document_added_outside_reviewer_is_caught(copy: Path) -> None:
    with raw_db(copy) as conn:
        conn.execute(
            "INSERT INTO document (sha256, size, media_type, file_format, page_count, encrypted,"
            " file_metadata, imported_at, imported_by, status)"
            " SELECT ?, size, media_type, file_format, page_count, encrypted, file_metadata,"
            " imported_at, imported_by, status FROM document WHERE id = 3",
            ("e" * 64,),
        )
    assert any("document 4 has no custody entry: it was added outside reviewer" in p for p in _problems(copy))


@ON_BOTH
def test_a_removed_head_file_is_reported(copy: Path) -> None:
    (copy / anchor.HEAD_NAME).unlink()
    assert any(p.startswith("the chain head file is missing") for p in _problems(copy))


@ON_BOTH
@pytest.mark.parametrize("damage", ["remove", "garble"])
def test_a_lost_head_file_is_not_made_again_by_later_work_until_accepted(copy: Path, damage: str) -> None:
    """Work after the loss must not write a fresh head over the gap; accept-restore records it."""
    head = copy / anchor.HEAD_NAME
    if damage == "remove":
        head.unlink()
    else:
        head.write_text("not a head\n")
    with open_case(copy, actor="tester") as case:
        documents.tag_documents(case, [1], ["later"])
        assert not verify_case(case).ok, "the loss is still reported after more work"
        replaced, new = fixity.accept_restored_database(case)
        assert replaced is None
        assert new.entry_id > 0
        assert verify_case(case).ok
    [(summary,)] = query(copy, "SELECT summary FROM custody_event WHERE action = 'restore_accepted'")
    assert "chain head file was" in summary


def _rewrite_chain(root: Path) -> None:
    """What a careful attacker does: change a status, re-anchor it and recompute every hash."""
    with raw_db(root) as conn:
        _drop_guards(conn)
        _status(conn)
    db = Database(root / "reviewer.sqlite")
    with db.reading() as session:  # reviewer's own code, to compute the forged state
        parts = anchor.document_states(session, [1])[1]
    db.close()
    with raw_db(root) as conn:
        newest = conn.execute("SELECT max(id) FROM custody_event WHERE document_id = 1").fetchone()[0]
        conn.execute(
            "UPDATE custody_event SET state_hash = ?, state_parts = ? WHERE id = ?",
            (anchor.state_hash(parts), anchor.canonical_json(parts), newest),
        )
        prev = "0" * 64
        rows = conn.execute(
            "SELECT id, document_id, at, actor, action, summary, before_json, after_json, state_hash"
            " FROM custody_event ORDER BY id"
        ).fetchall()
        for entry_id, *fields in rows:
            body = json.dumps(
                fields if fields[-1] is not None else fields[:-1], ensure_ascii=False, separators=(",", ":")
            )
            digest = hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()
            conn.execute(
                "UPDATE custody_event SET prev_hash = ?, entry_hash = ? WHERE id = ?",
                (prev, digest, entry_id),
            )
            prev = digest


def test_a_chain_rewritten_end_to_end_is_caught_by_the_head_file(copy: Path) -> None:
    _rewrite_chain(copy)
    problems = _problems(copy)
    assert len(problems) == 1, problems  # every hash and every state agree: only the head tells
    assert "is not the one the chain head file recorded" in problems[0]
    assert "the custody log was rewritten" in problems[0]


def test_a_noted_head_catches_a_rewrite_that_replaced_the_head_file_too(copy: Path) -> None:
    with open_case(copy, actor="tester") as case:
        noted = verify_case(case).head_hash
    assert noted is not None
    _rewrite_chain(copy)
    (copy / anchor.HEAD_NAME).unlink()  # the attacker removes the head file as well...
    with raw_db(copy) as conn:  # ...and writes one for the forged chain
        entry_id, entry_hash = conn.execute(
            "SELECT id, entry_hash FROM custody_event ORDER BY id DESC"
        ).fetchone()
    (copy / anchor.HEAD_NAME).write_text(f"{entry_id} {entry_hash} 2026-01-01T00:00:00Z\n")
    problems = _problems(copy, head=noted[:16])
    assert problems == [f"the noted chain head {noted[:16]} is not in the custody log: the log was rewritten"]


@ON_BOTH
def test_a_noted_head_still_in_the_log_verifies(copy: Path) -> None:
    with open_case(copy, actor="tester") as case:
        noted = verify_case(case).head_hash
        assert noted is not None
        documents.set_status(case, 2, "verified", "confirmed by the ministry")
        report = verify_case(case, head=noted)
    assert report.ok, report.problems
    assert report.head_hash != noted


@ON_BOTH
def test_every_kind_of_service_call_verifies_clean(copy: Path, tmp_path: Path) -> None:
    """Nothing reviewer itself does is reported as tampering."""
    inbox = tmp_path / "more"
    inbox.mkdir()
    with open_case(copy, actor="tester") as case:
        import_paths(case, [filemaker.make_jpeg_with_exif(inbox / "photo.jpg")])
        again = inbox / "copy-of-note"
        again.mkdir()
        shutil.copy(case.layout.original(_sha_of(case, 1)), again / "note.pdf")
        import_paths(case, [again / "note.pdf"])  # a sighting of a known document
        record = documents.add_annotation(
            case, 3, page=1, rect=Rect(10, 10, 100, 60), note="scan", tags=["x"]
        )
        documents.update_annotation(case, record.id, rect=Rect(20, 20, 120, 80), note="moved", tags=["y"])
        documents.delete_annotation(case, record.id)
        documents.restore_annotation(case, record.id)
        documents.delete_annotation(case, record.id)
        documents.tag_documents(case, [1, 2, 3], ["ministry"], remove=True)
        documents.set_metadata(case, 2, {"vessel": "", "document_date": "2021-03-04", "issuer": "MFA"})
        documents.set_check(case, 2, "stamp", "consistent", "matches")
        documents.set_status(case, 2, "verified", "confirmed")
        [link] = links.links_of(case, 1)
        links.unlink(case, link.id)
        links.link_documents(case, 1, 2, "references", "again")
        links.link_documents(case, 3, 2, "contradicts")
        entities.remove_watch_term(case, "Ministry of Foreign Affairs")
        entities.add_watch_term(case, "Aurora", "equipment")
        report = verify_case(case)
    assert report.ok, report.problems


def _sha_of(case: Case, document_id: int) -> str:
    return str(query(case.root, f"SELECT sha256 FROM document WHERE id = {int(document_id)}")[0][0])


def _as_an_older_version_left_it(root: Path) -> None:
    """Schema 0005, every entry chained by the old digest (no state), and no head file."""
    db = Database(root / "reviewer.sqlite")
    config = db._alembic_config()
    with db._writer.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005")
    db.close()
    with raw_db(root) as conn:
        _drop_guards(conn)
        prev = "0" * 64
        rows = conn.execute(
            "SELECT id, document_id, at, actor, action, summary, before_json, after_json"
            " FROM custody_event ORDER BY id"
        ).fetchall()
        for entry_id, *fields in rows:
            digest = hashlib.sha256(f"{prev}\n{anchor.canonical_json(fields)}".encode()).hexdigest()
            conn.execute(
                "UPDATE custody_event SET prev_hash = ?, entry_hash = ? WHERE id = ?",
                (prev, digest, entry_id),
            )
            prev = digest
        conn.execute(
            "CREATE TRIGGER custody_event_no_update BEFORE UPDATE ON custody_event "
            "BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END"
        )
        conn.execute(
            "CREATE TRIGGER custody_event_no_delete BEFORE DELETE ON custody_event "
            "BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END"
        )
    (root / anchor.HEAD_NAME).unlink()


def test_an_older_case_is_anchored_once_on_upgrade(copy: Path) -> None:
    _as_an_older_version_left_it(copy)
    with open_case(copy, actor="tester") as case:
        report = verify_case(case)
    assert report.ok, report.problems
    with raw_db(copy) as conn:
        anchored = conn.execute(
            "SELECT document_id FROM custody_event WHERE action = 'state_anchored' ORDER BY document_id"
        ).fetchall()
        assert anchored == [(1,), (2,), (3,)]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM custody_event")  # the triggers survived the new column
        _status(conn)
    assert any("document 1's recorded status" in p for p in _problems(copy))
    with open_case(copy, actor="tester"), raw_db(copy) as conn:  # opened again: not anchored a second time
        assert conn.execute(
            "SELECT count(*) FROM custody_event WHERE action = 'state_anchored'"
        ).fetchone() == (3,)


@ON_BOTH
def test_the_bundle_and_the_command_line_carry_the_head(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_case(copy, actor="tester") as case:
        export_bundle(case, tmp_path / "bundle")
    head = json.loads((tmp_path / "bundle" / "data" / "case.json").read_text())["case"]["custody_head"]
    assert main(["verify", str(copy), "--head", head["sha256"]]) == 0
    out = capsys.readouterr().out
    assert "custody chain head: entry " in out
    _remove_entries(copy, f"id >= {int(head['entry'])}")
    assert main(["verify", str(copy), "--head", head["sha256"]]) == 1
    assert f"the noted chain head {head['sha256']} is not in the custody log" in capsys.readouterr().out
    assert main(["verify", str(copy), "--head", "not-a-hash"]) == 2
    assert "is not a custody chain head" in capsys.readouterr().err
