"""Region features on a shared case's queue (issue 14): ``reviewer features CASE --workers queue``, one
job per document taken by ``reviewer worker``; one worker killed with SIGKILL mid-document.

Real PostgreSQL (tests/pg_cluster.py), real scans, real worker processes and signals.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select, text

from reviewer.core.ingest.forensic_work import features_current
from reviewer.core.storage.orm import CustodyEvent, Document
from tests.cli.test_team_worker import running_jobs_of, start_worker, wait_for, worker_ids
from tests.core.test_team_queue import import_scans, shared_case

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.ingest.forensic_tasks import RegionFeaturesResult, RegionFeaturesTask
    from reviewer.core.services.case import Case

__all__ = ["shared_case"]

STARTED = "REVIEWER_TEST_FEATURES_STARTED"


def held_features(task: RegionFeaturesTask, beat: Callable[[], None]) -> RegionFeaturesResult:
    """The features job, after its first page, held (beating) for ever: a worker to kill mid-document."""
    from reviewer.core.ingest.forensic_tasks import RegionFeaturesTask as Task
    from reviewer.core.ingest.forensic_work import region_features

    region_features(
        Task(task.document_id, task.path, task.password, task.pages[:1], task.feature_paths[:1]), beat
    )
    Path(os.environ[STARTED]).write_text(str(task.document_id))
    while True:
        beat()
        time.sleep(0.1)


def features_files(case: Case) -> dict[tuple[int, int], tuple[bool, int]]:
    """Every page's kept features: (current, mtime in ns), by (document, page); absent pages left out."""
    found: dict[tuple[int, int], tuple[bool, int]] = {}
    with case.db.reading() as session:
        rows = session.execute(select(Document.id, Document.sha256, Document.page_count)).all()
    for document_id, sha256, count in rows:
        for n in range(1, count + 1):
            path = case.layout.region_features(sha256, n)
            if path.exists():
                found[(document_id, n)] = (features_current(path), path.stat().st_mtime_ns)
    return found


def cli(case: Case, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer", *args[:1], str(case.root), *args[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def custody_count(case: Case) -> int:
    with case.db.reading() as session:
        return int(session.execute(select(func.count()).select_from(CustodyEvent)).scalar_one())


def features_jobs(case: Case) -> dict[str, int]:
    with case.db.reading() as session:
        rows = session.execute(
            text(
                "SELECT status::text, count(*) FROM procrastinate_jobs"
                " WHERE task_name = 'reviewer.region_features' GROUP BY 1"
            )
        ).all()
    return {status: int(n) for status, n in rows}


@pytest.mark.slow
def test_features_jobs_one_worker_killed_mid_document_the_other_finishes_it(
    shared_case: Case, inbox: Path, tmp_path: Path
) -> None:
    import_scans(shared_case, inbox, documents=2, pages=2)
    entries = custody_count(shared_case)

    queued = cli(shared_case, "features", "--workers", "queue")
    assert queued.returncode == 0, queued.stderr
    assert "2 document(s) queued" in queued.stdout
    again = cli(shared_case, "features", "--workers", "queue")
    said = again.stdout + again.stderr
    assert "0 document(s) queued for their region features (2 waiting already)" in again.stdout, said

    started = tmp_path / "started"
    code = (
        "from reviewer.core.workers import registry\n"
        "registry.register(registry.REGION_FEATURES, 'tests.cli.test_team_features:held_features')\n"
        "from reviewer.cli import main"
    )
    first = start_worker(shared_case, code=code, env={STARTED: str(started)})
    second: Any = None
    try:
        wait_for(started.exists, "the first worker mid-document")
        [victim] = worker_ids(shared_case)
        assert victim in running_jobs_of(shared_case).values()
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        second = start_worker(shared_case)
        wait_for(lambda: features_jobs(shared_case) == {"succeeded": 2}, "both documents' features")
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
    assert second.returncode == 0, err
    assert "given back to the queue" in err
    assert "Traceback" not in err
    kept = features_files(shared_case)
    assert len(kept) == 4
    assert all(current for current, _ in kept.values())
    # the page the killed worker had kept was current: the retry built only the other three
    assert "region features of 3 page(s) built, 1 current already" in err
    assert custody_count(shared_case) == entries  # derived data: nothing on the custody log
    jobs = cli(shared_case, "jobs")
    assert "features: 0 waiting, 0 running, 2 done, 0 failed" in jobs.stdout, jobs.stdout + jobs.stderr

    # asked again once current: nothing is built, no file written again
    here = cli(shared_case, "features", "--workers", "here")
    assert here.returncode == 0, here.stderr
    assert "0 page(s) built, 4 current already" in here.stdout
    assert features_files(shared_case) == kept
