"""The job queue of a shared case: reading handed to workers, drained by a worker started later.

Real PostgreSQL (tests/pg_cluster.py), real scans, real Tesseract, real ``reviewer worker`` processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select, text

from reviewer.core.domain.errors import UsageError
from reviewer.core.services import fixity
from reviewer.core.services.case import create_case
from reviewer.core.services.importing import import_paths
from reviewer.core.services.reading import read_pages
from reviewer.core.services.team_jobs import queue_status, workers_seen
from reviewer.core.storage.orm import CustodyEvent, Page
from tests import filemaker

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from reviewer.core.services.case import Case
    from tests.pg_cluster import PostgresCluster


@pytest.fixture
def shared_case(
    tmp_path: Path, pg_cluster: PostgresCluster, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Case]:
    monkeypatch.setenv("PGUSER", pg_cluster.superuser)
    with create_case(tmp_path / "case", title="Team", database=pg_url) as case:
        yield case


def ocr_entries(case: Case) -> list[dict[str, object]]:
    """The ``after`` of every OCR custody entry, with its document."""
    with case.db.reading() as session:
        rows = session.execute(
            select(CustodyEvent.document_id, CustodyEvent.after_json).where(CustodyEvent.action == "ocr")
        ).all()
    return [{"document": d, **json.loads(a)} for d, a in rows]


def page_statuses(case: Case) -> dict[tuple[int, int], str | None]:
    with case.db.reading() as session:
        rows = session.execute(select(Page.document_id, Page.number, Page.ocr_status)).all()
    return {(d, n): s for d, n, s in rows}


def import_scans(case: Case, inbox: Path, documents: int, pages: int) -> None:
    for i in range(documents):
        filemaker.make_scanned_pdf(inbox / f"scan{i}.pdf", pages=pages, dpi=150, seed=i)
    assert len(import_paths(case, [inbox]).imported) == documents


@pytest.mark.slow
def test_enqueued_without_a_worker_then_a_worker_started_later_drains_it(
    shared_case: Case, inbox: Path
) -> None:
    import_scans(shared_case, inbox, documents=2, pages=2)
    assert workers_seen(shared_case) == 0
    report = read_pages(shared_case, workers="queue")
    assert report.queued == 4
    assert report.ocr == 0
    assert set(page_statuses(shared_case).values()) == {None}
    status = queue_status(shared_case)
    assert [(k.kind, k.waiting, k.done) for k in status.kinds] == [("reading", 4, 0)]
    # asked again while they wait: nothing is enqueued twice
    assert read_pages(shared_case, workers="queue").queued == 0

    done = subprocess.run(
        [sys.executable, "-m", "reviewer", "worker", str(shared_case.root), "--until-empty"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert set(page_statuses(shared_case).values()) == {"done"}
    entries = ocr_entries(shared_case)
    read = sorted((e["document"], p) for e in entries for p in e["pages"])  # type: ignore[attr-defined]
    assert read == sorted(page_statuses(shared_case))  # every page exactly once
    status = queue_status(shared_case)
    assert [(k.kind, k.waiting, k.running, k.done, k.failed) for k in status.kinds] == [
        ("reading", 0, 0, 4, 0)
    ]
    with shared_case.db.reading() as session:
        hits = session.execute(
            text("SELECT count(*) FROM page WHERE ocr_text IS NOT NULL AND length(ocr_text) > 20")
        ).scalar_one()
    assert hits == 4
    assert fixity.verify_case(shared_case).ok
    # read already: a reading pass has nothing left to hand over
    assert read_pages(shared_case, workers="queue").queued == 0


@pytest.mark.slow
def test_auto_without_a_worker_reads_here(shared_case: Case, inbox: Path) -> None:
    import_scans(shared_case, inbox, documents=1, pages=1)
    report = read_pages(shared_case)  # auto: no worker has been seen
    assert report.queued == 0
    assert report.ocr == 1
    assert queue_status(shared_case).kinds == ()


def test_a_cases_documents_are_named_to_the_queue_a_batch_at_a_time(
    shared_case: Case, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``features --workers queue`` names every document of the case: one statement naming them all
    passed PostgreSQL's 65,535 bound values."""
    from reviewer.core.services import team_jobs
    from reviewer.core.storage.orm import Document

    import_scans(shared_case, inbox, documents=3, pages=1)
    with shared_case.db.reading() as session:
        ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    monkeypatch.setattr(team_jobs, "_BATCH", 2)
    with pytest.raises(UsageError, match="no document 999"):
        team_jobs.enqueue_features(shared_case, [*ids, 999])
    assert team_jobs.enqueue_features(shared_case, ids) == 3
    assert team_jobs.enqueue_features(shared_case, list(reversed(ids))) == 0  # waiting already


def test_a_local_case_has_no_queue_and_never_imports_procrastinate(tmp_path: Path, inbox: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reviewer.core.services.case import create_case\n"
        "from reviewer.core.services.importing import import_paths\n"
        "from reviewer.core.services.reading import read_pages\n"
        "from tests import filemaker\n"
        f"inbox = Path({str(inbox)!r})\n"
        "filemaker.make_scanned_pdf(inbox / 's.pdf', pages=1, dpi=100)\n"
        f"with create_case(Path({str(tmp_path / 'case')!r}), actor='t') as case:\n"
        "    import_paths(case, [inbox])\n"
        "    assert read_pages(case, mode=None).queued == 0\n"
        "assert 'procrastinate' not in sys.modules, 'procrastinate imported'\n"
        "assert 'psycopg' not in sys.modules, 'psycopg imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    with create_case(tmp_path / "other", actor="t") as case:
        import_paths(case, [inbox])
        with pytest.raises(UsageError, match="local case"):
            queue_status(case)
        with pytest.raises(UsageError, match="local case"):
            read_pages(case, workers="queue")
