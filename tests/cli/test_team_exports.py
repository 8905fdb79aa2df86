"""Exports on a shared case's queue (issue 14): ``reviewer export CASE OUT --workers queue`` written by
``reviewer worker``; one worker killed with SIGKILL mid-export, the bundle finished whole by the other.

Real PostgreSQL (tests/pg_cluster.py), real scans, real worker processes and signals, bagit-python.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bagit
import pytest
from sqlalchemy import select, text

from reviewer.cli import main
from reviewer.core.services.team_exports import run_export_job
from reviewer.core.storage.orm import CustodyEvent
from tests.cli.test_team_worker import start_worker, wait_for, worker_ids
from tests.core.test_team_queue import import_scans, shared_case

if TYPE_CHECKING:
    from reviewer.core.bundles.pieces import DocumentPieces, PiecesRequest
    from reviewer.core.services.case import Case

__all__ = ["shared_case"]

STARTED = "REVIEWER_TEST_EXPORT_STARTED"


def held_pieces(request: PiecesRequest) -> DocumentPieces:
    """An export's PDF work, held for ever once it has begun: a worker to kill mid-export."""
    Path(os.environ[STARTED]).write_text(request.source)
    while True:
        time.sleep(0.1)


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def export_jobs(case: Case) -> dict[int, str]:
    with case.db.reading() as session:
        rows = session.execute(
            text("SELECT id, status::text FROM procrastinate_jobs WHERE task_name = 'reviewer.export'")
        ).all()
    return {job: status for job, status in rows}


def entries(case: Case, action: str) -> list[dict[str, Any]]:
    with case.db.reading() as session:
        rows = session.execute(select(CustodyEvent.after_json).where(CustodyEvent.action == action)).scalars()
        return [json.loads(row) for row in rows]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".reviewer-"))


@pytest.mark.slow
def test_an_export_job_killed_mid_export_is_finished_whole_by_another_worker(
    shared_case: Case, inbox: Path, tmp_path: Path
) -> None:
    import_scans(shared_case, inbox, documents=2, pages=1)
    shared = tmp_path / "nas"
    shared.mkdir()
    out = shared / "Bundle"
    queued = cli("export", shared_case.root, out, "--workers", "queue")
    assert queued.returncode == 0, queued.stderr
    assert "queued as job" in queued.stdout
    [job] = export_jobs(shared_case)
    twice = cli("export", shared_case.root, out, "--workers", "queue")
    assert twice.returncode == 2
    assert twice.stderr.count("\n") == 1
    assert "writes" in twice.stderr
    assert "already" in twice.stderr

    started = tmp_path / "started"
    code = (
        "from reviewer.core.workers import registry\n"
        "registry.register(registry.PIECES, 'tests.cli.test_team_exports:held_pieces', beat=False)\n"
        "from reviewer.cli import main"
    )
    first = start_worker(shared_case, code=code, env={STARTED: str(started)})
    second: Any = None
    try:
        wait_for(started.exists, "the first worker mid-export")
        assert worker_ids(shared_case)
        assert not out.exists()
        assert leftovers(shared)  # the bag is being built beside OUT, under a scratch name
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=30)
        assert not out.exists()  # never a half bundle under OUT's name
        second = start_worker(shared_case)
        wait_for(lambda: export_jobs(shared_case) == {job: "succeeded"}, "the export finished")
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate()
    assert second.returncode == 0, err
    assert "given back to the queue" in err
    assert f"exported 2 document(s) to {out} (job {job}," in err
    assert "Traceback" not in err
    bagit.Bag(str(out)).validate()
    checked = cli("verify", out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # one bundle entry naming the job, one entry per document: as a local export logs it
    [bundle] = entries(shared_case, "bundle_exported")
    assert bundle["job"] == job
    assert bundle["bundle"] == str(out)
    assert len(entries(shared_case, "exported")) == 2
    cli("jobs", shared_case.root)  # an open of the case sweeps what the killed worker left
    assert leftovers(shared) == []

    # the job run again (its worker killed after logging, before the queue heard): nothing more
    args = {"docs": [1, 2], "zip": False, "redact": False}
    assert run_export_job(shared_case, job, str(out), args, "someone") is None
    assert len(entries(shared_case, "bundle_exported")) == 1

    # a target made by someone else meanwhile is refused by the worker in one line, left as it was
    later = shared / "Later"
    assert cli("export", shared_case.root, later, "--workers", "queue").returncode == 0
    later.mkdir()
    (later / "notes.txt").write_text("mine")
    drained = start_worker(shared_case, "--until-empty")
    _, err = drained.communicate(timeout=300)
    assert drained.returncode == 0, err
    refusals = [line for line in err.splitlines() if line.startswith("reviewer worker: export to")]
    assert refusals == [
        f"reviewer worker: export to {later}: {later} already exists; choose a new name for the bundle"
    ]
    assert [p.name for p in later.iterdir()] == ["notes.txt"]
    assert leftovers(shared) == []
    assert len(entries(shared_case, "bundle_exported")) == 1


def test_export_to_the_queue_of_a_local_case_is_one_usage_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "case"
    assert main(["init", str(root), "--title", "Local"]) == 0
    capsys.readouterr()
    assert main(["export", str(root), str(tmp_path / "Bundle"), "--workers", "queue"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "is a local case" in err
    assert not (tmp_path / "Bundle").exists()
