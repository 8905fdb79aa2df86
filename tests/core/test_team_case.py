"""A case on either backend: the same services, the same custody log, the same verify.

Every test here runs twice through ``any_case``: on a local SQLite case and on a shared case whose
database is on a real PostgreSQL server (tests/pg_cluster.py).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import TYPE_CHECKING

import pytest

from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus
from reviewer.core.services import documents, fixity, queries
from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.importing import import_paths
from tests import filemaker

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster


def test_import_review_and_verify_on_either_backend(any_case: Case, inbox: Path) -> None:
    filemaker.make_text_pdf(inbox / "note.pdf", pages=2)
    filemaker.make_jpeg_with_exif(inbox / "photo.jpg")
    (inbox / "empty.pdf").write_bytes(b"")
    report = import_paths(any_case, [inbox])
    assert len(report.imported) == 2
    assert len(report.failed) == 1
    doc = next(d.id for d in report.imported if d.path.endswith("note.pdf"))
    documents.tag_documents(any_case, [doc], ["МИД", "stamp"])
    documents.set_status(any_case, doc, VerificationStatus.DISPUTED, "stamp differs")
    documents.add_annotation(
        any_case, doc, page=1, rect=Rect(10, 10, 100, 60), kind=AnnotationKind.NOTE, note="печать"
    )
    detail = queries.document_detail(any_case, doc)
    assert detail.summary.status is VerificationStatus.DISPUTED
    assert detail.summary.tags == ("stamp", "МИД")
    assert [a.note for a in detail.annotations] == ["печать"]
    actions = [e.action for e in detail.custody]
    assert "status_changed" in actions
    assert all(e.actor == any_case.actor for e in detail.custody)
    # the document filter folds case in SQL (casefold) on both backends, and escapes LIKE's wildcards
    documents.set_metadata(any_case, doc, {"issuer": "МИД Əzərbaycan"})
    assert queries.find_documents(any_case, queries.DocumentFilter(text="мид ƏZƏR")) == [doc]
    assert queries.find_documents(any_case, queries.DocumentFilter(text="%")) == []
    assert fixity.verify_case(any_case).ok


def test_reopened_case_is_the_same_case(any_case: Case, inbox: Path) -> None:
    filemaker.make_text_pdf(inbox / "note.pdf", pages=1)
    [doc] = import_paths(any_case, [inbox]).imported
    root = any_case.root
    any_case.close()
    with open_case(root, actor="someone else") as again:
        assert again.db.shared is any_case.db.shared
        assert queries.document_detail(again, doc.id).summary.sha256 == doc.sha256
        report = fixity.verify_case(again)
        assert report.ok, report.problems


def test_a_local_case_imports_nothing_of_postgresql(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from reviewer.core.services.case import create_case, open_case\n"
        f"create_case(Path({str(tmp_path / 'c')!r})).close()\n"
        f"open_case(Path({str(tmp_path / 'c')!r})).close()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('psycopg', 'reviewer.core.storage.postgres'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("any_case", ["postgres"], indirect=True)
def test_casefold_in_postgresql_folds_cyrillic_and_azerbaijani(any_case: Case) -> None:
    from sqlalchemy import text

    with any_case.db.reading() as session:
        folded = session.execute(
            text("SELECT casefold(:v)"), {"v": "МИД Азербайджана ƏŞÇÖÜĞ Ёлка"}
        ).scalar_one()
    assert folded == "мид азербайджана əşçöüğ ёлка"
    assert folded == "МИД Азербайджана ƏŞÇÖÜĞ Ёлка".casefold()


def test_export_a_bag_and_merge_it_on_either_backend(
    any_case: Case, inbox: Path, tmp_path: Path, pg_cluster: PostgresCluster
) -> None:
    """A bag exported from one backend merges whole into a new case on the other one, and verifies."""
    import bagit

    from reviewer.core.services.exchange import import_bundle
    from reviewer.core.services.export import export_bundle

    filemaker.make_text_pdf(inbox / "note.pdf", pages=1)
    [doc] = import_paths(any_case, [inbox]).imported
    documents.set_status(any_case, doc.id, VerificationStatus.IN_REVIEW, "checking")
    export_bundle(any_case, tmp_path / "bundle")
    bagit.Bag(str(tmp_path / "bundle")).validate()
    other_db = None if any_case.db.shared else pg_cluster.create_database(f"t_other_{uuid.uuid4().hex[:12]}")
    with create_case(tmp_path / "other", database=other_db) as other:
        report = import_bundle(other, tmp_path / "bundle")
        assert len(report.new_documents) == 1
        [merged] = queries.list_documents(other)
        assert merged.sha256 == doc.sha256
        assert merged.status is VerificationStatus.IN_REVIEW
        assert fixity.verify_case(other).ok
