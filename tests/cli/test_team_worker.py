"""``reviewer worker``: real worker processes on a shared case, one killed with SIGKILL mid-page.

Real PostgreSQL (tests/pg_cluster.py), real scans OCR'd by Tesseract, real processes and signals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import text

from reviewer.core.services.reading import read_pages
from tests.core.test_team_queue import import_scans, ocr_entries, page_statuses, shared_case

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reviewer.core.ingest.reading import ReadResult, ReadTask
    from reviewer.core.services.case import Case

__all__ = ["shared_case"]  # the fixture, shared with the core tests

CRASH_DOCUMENT = "REVIEWER_TEST_CRASH_DOCUMENT"


def crashing_read(task: ReadTask, beat: Callable[[], None]) -> ReadResult:
    """The reading job, except that the document named in the environment crashes its process."""
    from reviewer.core.ingest.read_page import read_pages as read

    if str(task.document_id) == os.environ.get(CRASH_DOCUMENT):
        os.kill(os.getpid(), signal.SIGSEGV)
    return read(task, beat)


def start_worker(case: Case, *extra: str, code: str | None = None, env: dict[str, str] | None = None) -> Any:
    argv = ["worker", str(case.root), "--concurrency", "1", "--stalled-after", "4", *extra]
    command = [sys.executable, "-m", "reviewer", *argv]
    if code is not None:
        command = [sys.executable, "-c", code + f"\nraise SystemExit(main({argv!r}))"]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})}
    )


def wait_for(condition: Callable[[], bool], what: str, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.2)


def running_jobs_of(case: Case) -> dict[int, int]:
    """Worker id of every job being run, by job id."""
    with case.db.reading() as session:
        rows = session.execute(
            text(
                "SELECT id, worker_id FROM procrastinate_jobs"
                " WHERE status = 'doing' AND worker_id IS NOT NULL"
            )
        ).all()
    return {job: worker for job, worker in rows}


def worker_ids(case: Case) -> list[int]:
    with case.db.reading() as session:
        return list(session.execute(text("SELECT id FROM procrastinate_workers ORDER BY id")).scalars())


@pytest.mark.slow
def test_two_workers_one_killed_mid_page_every_page_read_exactly_once(shared_case: Case, inbox: Path) -> None:
    import_scans(shared_case, inbox, documents=3, pages=3)
    assert read_pages(shared_case, workers="queue").queued == 9
    first = start_worker(shared_case)
    second = None
    try:
        wait_for(lambda: len(worker_ids(shared_case)) == 1, "the first worker")
        victim = worker_ids(shared_case)[0]
        second = start_worker(shared_case)
        # the first worker is killed while Tesseract reads a page for it
        wait_for(lambda: victim in running_jobs_of(shared_case).values(), "a page being read by the first")
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        wait_for(lambda: None not in page_statuses(shared_case).values(), "every page read")
        second.send_signal(signal.SIGTERM)  # finishes what it runs, then ends
        _, err = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
    assert second is not None
    assert second.returncode == 0, err
    assert "given back to the queue" in err
    assert "Traceback" not in err
    assert set(page_statuses(shared_case).values()) == {"done"}
    entries = ocr_entries(shared_case)
    read = sorted((e["document"], p) for e in entries for p in e["pages"])  # type: ignore[attr-defined]
    assert read == sorted(page_statuses(shared_case))  # one reading entry per page: none twice
    verify = subprocess.run(
        [sys.executable, "-m", "reviewer", "verify", str(shared_case.root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    jobs = subprocess.run(
        [sys.executable, "-m", "reviewer", "jobs", str(shared_case.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "reading: 0 waiting, 0 running, 9 done, 0 failed" in jobs.stdout, jobs.stdout + jobs.stderr


@pytest.mark.slow
def test_a_job_that_crashes_its_reader_is_one_line_and_the_queue_goes_on(
    shared_case: Case, inbox: Path
) -> None:
    import_scans(shared_case, inbox, documents=2, pages=1)
    assert read_pages(shared_case, workers="queue").queued == 2
    crash = min(d for d, _ in page_statuses(shared_case))
    code = (
        "from reviewer.core.workers import registry\n"
        "registry.register(registry.READ, 'tests.cli.test_team_worker:crashing_read')\n"
        "from reviewer.cli import main"
    )
    worker = start_worker(shared_case, "--until-empty", code=code, env={CRASH_DOCUMENT: str(crash)})
    _, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err
    assert "Traceback" not in err
    problems = [line for line in err.splitlines() if "SIGSEGV" in line]
    assert len(problems) == 1, err
    assert problems[0].startswith(f"reviewer worker: document {crash}, page 1: ")
    statuses = page_statuses(shared_case)
    assert statuses[(crash, 1)] == "failed"
    assert [s for (d, _), s in statuses.items() if d != crash] == ["done"]
    entries = {e["document"]: e for e in ocr_entries(shared_case)}
    assert entries[crash]["failed"] == [1]
    jobs = subprocess.run(
        [sys.executable, "-m", "reviewer", "jobs", str(shared_case.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "reading: 0 waiting, 0 running, 1 done, 1 failed" in jobs.stdout, jobs.stdout + jobs.stderr
