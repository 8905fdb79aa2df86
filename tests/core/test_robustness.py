"""Real-world malformed files and a killed import: nothing crashes, nothing is lost, nothing half-written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from reviewer.core.services.case import create_case, open_case
from reviewer.core.services.fixity import verify_case
from reviewer.core.services.importing import import_paths
from reviewer.core.storage.orm import Document
from tests import filemaker
from tests.conftest import CORPUS, raw_db

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.core.services.case import Case


@pytest.mark.slow
def test_every_pdfjs_corpus_file_is_imported_or_refused_with_a_reason(tmp_path: Path) -> None:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    assert len(files) >= 485, f"the pdf.js corpus is expected at {CORPUS}"
    with create_case(tmp_path / "case", actor="tester") as case:
        report = import_paths(case, [CORPUS])
        accounted = (
            [i.path for i in report.imported]
            + [d.path for d in report.duplicates]
            + [f.path for f in report.failed]
        )
        assert sorted(accounted) == sorted(str(p) for p in files), "every file is accounted for, once"
        assert len(report.imported) >= 0.9 * len(files)
        for failure in report.failed:
            assert failure.error
            assert "\n" not in failure.error
            assert "Traceback" not in failure.error
            assert len(failure.error) < 300
        assert verify_case(case).ok
        assert list(case.layout.staging.iterdir()) == []
        with case.db.reading() as session:
            for document in session.scalars(select(Document)):
                # an encrypted file whose password is not known is kept locked, without pages
                locked = document.encrypted and document.password is None
                assert len(document.pages) == document.page_count
                assert (document.page_count == 0) == locked


def _document_count(root: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{root / 'reviewer.sqlite'}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM document").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


@pytest.mark.slow
def test_an_import_killed_midway_leaves_a_sound_case(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(60):
        filemaker.make_text_pdf(inbox / f"note-{i:03d}.pdf", pages=5, seed=i)
    root = tmp_path / "case"
    create_case(root, actor="tester").close()
    process = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "import", str(root), str(inbox)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _document_count(root) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the import finished before it could be killed; make it longer"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    time.sleep(0.5)  # let orphaned workers notice that their parent is gone

    with open_case(root, actor="tester") as case:
        assert case.db.integrity_check() == "ok"
        _assert_consistent(case)
        assert verify_case(case).ok
        with raw_db(root) as conn:
            unfinished = conn.execute(
                "SELECT count(*) FROM import_batch WHERE finished_at IS NULL"
            ).fetchone()
        assert unfinished == (1,), "the interrupted import stays on record as unfinished"
        # the same folder imported again completes the job: nothing twice, nothing missing
        report = import_paths(case, [inbox])
        assert len(report.imported) + len(report.duplicates) == 60
        assert not report.failed
        _assert_consistent(case)
        with case.db.reading() as session:
            assert len(session.scalars(select(Document)).all()) == 60


def _assert_consistent(case: Case) -> None:
    with case.db.reading() as session:
        documents = session.scalars(select(Document)).all()
        for document in documents:
            assert case.layout.original(document.sha256).is_file()
            assert len(document.pages) == document.page_count == 5
        known = {d.sha256 for d in documents}
    assert {p.name for p in case.layout.iter_originals()} == known, "no orphan in the store"
    assert list(case.layout.staging.iterdir()) == []
