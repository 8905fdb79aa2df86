"""The job queue of a shared case, finished: Ctrl-C on a worker, failures recorded once, more kinds.

Real PostgreSQL (tests/pg_cluster.py), real scans OCR'd by Tesseract, real processes and signals.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select, text

from reviewer.cli import main
from reviewer.core.services.case import open_case
from reviewer.core.services.reading import read_pages
from reviewer.core.storage.orm import Document
from tests import filemaker
from tests.cli.test_team_worker import CRASH_DOCUMENT, start_worker, wait_for
from tests.core.test_team_queue import import_scans, ocr_entries, page_statuses, shared_case

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.ingest.reading import ReadResult, ReadTask
    from reviewer.core.services.case import Case

__all__ = ["shared_case"]


HOLD_UNTIL = "REVIEWER_TEST_HOLD_UNTIL"


def held_read(task: ReadTask, beat: Callable[[], None]) -> ReadResult:
    """The reading job, held (beating) until the file named in the environment exists."""
    from reviewer.core.ingest.read_page import read_pages as read

    flag = Path(os.environ[HOLD_UNTIL])
    while not flag.exists():
        beat()
        time.sleep(0.1)
    return read(task, beat)


def start_held_worker(case: Case, flag: Path) -> subprocess.Popen[str]:
    """A ``reviewer worker`` whose reading jobs wait for ``flag`` before they read."""
    code = (
        "from reviewer.core.workers import registry\n"
        "registry.register(registry.READ, 'tests.cli.test_team_jobs_more:held_read')\n"
        "from reviewer.cli import main"
    )
    return start_worker(case, code=code, env={HOLD_UNTIL: str(flag)})  # type: ignore[no-any-return]


def descendants(pid: int, below: int = 1) -> dict[int, str]:
    """Processes ``below`` or more generations under ``pid``, with their command names (from /proc)."""
    parents: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
        names[int(entry.name)] = name
    found: dict[int, str] = {}
    todo = [(pid, 0)]
    while todo:
        parent, depth = todo.pop()
        for child in parents.get(parent, []):
            if depth + 1 >= below:
                found[child] = names.get(child, "")
            todo.append((child, depth + 1))
    return found


@pytest.mark.slow
def test_ctrl_c_on_a_worker_finishes_the_page_tesseract_is_reading(shared_case: Case, inbox: Path) -> None:
    import_scans(shared_case, inbox, documents=2, pages=1)
    assert read_pages(shared_case, workers="queue").queued == 2
    # a session of its own: the worker leads the process group a terminal's Ctrl-C is sent to
    worker = subprocess.Popen(
        [sys.executable, "-m", "reviewer", "worker", str(shared_case.root), "--concurrency", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        # Tesseract under a reading process (not the worker's own child): a page being read
        wait_for(lambda: "tesseract" in descendants(worker.pid, below=2).values(), "Tesseract reading a page")
        os.killpg(worker.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        _, err = worker.communicate(timeout=300)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, err
    assert "Traceback" not in err
    statuses = page_statuses(shared_case)
    assert "failed" not in statuses.values(), err
    assert "done" in statuses.values(), err  # the page being read when Ctrl-C came was finished
    assert all(not e["failed"] for e in ocr_entries(shared_case))


CRASHING = (
    "from reviewer.core.workers import registry\n"
    "registry.register(registry.READ, 'tests.cli.test_team_worker:crashing_read')\n"
    "from reviewer.cli import main"
)


def run_crashing_worker(case: Case, document: int) -> str:
    worker = start_worker(case, "--until-empty", code=CRASHING, env={CRASH_DOCUMENT: str(document)})
    _, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err
    assert "Traceback" not in err
    return str(err)


def failed_entries(case: Case) -> list[dict[str, object]]:
    return [e for e in ocr_entries(case) if e["failed"]]


@pytest.mark.slow
def test_a_retried_page_that_fails_again_is_recorded_once_per_job(shared_case: Case, inbox: Path) -> None:
    import_scans(shared_case, inbox, documents=1, pages=1)
    assert read_pages(shared_case, workers="queue").queued == 1
    run_crashing_worker(shared_case, 1)
    assert page_statuses(shared_case) == {(1, 1): "failed"}
    assert len(failed_entries(shared_case)) == 1
    # a person asks for OCR again: the failed page is queued again, and fails again
    assert read_pages(shared_case, workers="queue", asked=True).queued == 1
    run_crashing_worker(shared_case, 1)
    assert len(failed_entries(shared_case)) == 2
    with shared_case.db.reading() as session:
        job = session.execute(text("SELECT max(id) FROM procrastinate_jobs")).scalar_one()
    # that job taken again (its worker killed after it recorded the failure, before the queue heard):
    # the page is failed as it was before the job ran, yet nothing is recorded twice
    with shared_case.db.unit_of_work() as uow:
        uow.session.execute(
            text("UPDATE procrastinate_jobs SET status = 'todo', worker_id = NULL WHERE id = :j"),
            {"j": job},
        )
        uow.commit()
    err = run_crashing_worker(shared_case, 1)
    assert "0 failed, 1 read by another worker first" in err
    entries = failed_entries(shared_case)
    assert len(entries) == 2
    assert entries[1]["job"] == job  # the entry names its job
    assert page_statuses(shared_case) == {(1, 1): "failed"}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_workers_queue_on_a_local_case_is_one_usage_line_before_anything_is_done(
    tmp_path: Path, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filemaker.make_scanned_pdf(inbox / "scan.pdf", pages=1, dpi=100)
    root = tmp_path / "case"
    assert run(capsys, "init", root)[0] == 0
    code, out, err = run(capsys, "import", root, inbox, "--workers", "queue")
    assert code == 2
    assert err.strip().splitlines() == [
        f"reviewer: error: {root} is a local case: only a shared case (on PostgreSQL) has workers "
        "and a job queue"
    ]
    assert "imported" not in out
    with open_case(root) as case, case.db.reading() as session:
        assert session.execute(select(func.count()).select_from(Document)).scalar_one() == 0
    # --ocr-later reads nothing: there is nothing to hand to anyone
    assert run(capsys, "import", root, inbox, "--workers", "queue", "--ocr-later")[0] == 0
    code, _, err = run(capsys, "ocr", root, "--workers", "queue")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "is a local case" in err
    code, out, _ = run(capsys, "ocr", root, "--workers", "here")
    assert code == 0
    assert "1 page(s) read" in out


@pytest.mark.slow
def test_import_and_ocr_say_how_many_pages_were_queued(
    shared_case: Case, inbox: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(2):
        filemaker.make_scanned_pdf(inbox / f"scan{i}.pdf", pages=2, dpi=100, seed=i)
    code, out, err = run(capsys, "import", shared_case.root, inbox, "--workers", "queue")
    assert code == 0, err
    assert "4 page(s) queued for OCR by the case's workers" in out
    assert set(page_statuses(shared_case).values()) == {None}
    code, out, _ = run(capsys, "ocr", shared_case.root, "--workers", "queue", "--json")
    assert code == 0
    assert json.loads(out)["queued"] == 0  # waiting already: not queued twice
    code, out, _ = run(capsys, "jobs", shared_case.root)
    assert "reading: 4 waiting, 0 running, 0 done, 0 failed" in out
    # here: this process reads them, whatever waits on the queue
    code, out, _ = run(capsys, "ocr", shared_case.root, "--workers", "here")
    assert code == 0
    assert "4 page(s) read, 4 by OCR, 0 failed" in out
    assert "queued" not in out
