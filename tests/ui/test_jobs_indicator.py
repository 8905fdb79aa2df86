"""The team's jobs in the status bar (issue 14, "the window shows the progress of all jobs").

Real PostgreSQL, a real queue and a real ``reviewer worker`` process; the indicator asks off the GUI
thread on its timer.
"""

from __future__ import annotations

import signal
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

from reviewer.core.services.reading import read_pages
from reviewer.core.services.team_jobs import JobCounts, QueueStatus
from reviewer.ui.jobs_indicator import JobsIndicator, jobs_line
from reviewer.ui.main_window import MainWindow
from reviewer.ui.thumbnails import ThumbnailCache
from tests.cli.test_team_jobs_more import start_held_worker
from tests.core.test_team_queue import import_scans, page_statuses, shared_case
from tests.ui.test_translations import russian

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from reviewer.core.services.case import Case
    from reviewer.ui.render_bridge import RenderBridge

__all__ = ["russian", "shared_case"]
BOUND_MS = 120_000  # a bound on waits, never a timing assertion


def test_a_local_case_has_no_jobs_indicator(ui_case: Case) -> None:
    assert JobsIndicator.start(ui_case) is None


def test_the_words_of_the_indicator() -> None:
    status = QueueStatus((JobCounts("reading", waiting=12, running=2, done=40, failed=1),), workers=2)
    assert jobs_line(status) == "OCR 12 waiting · 2 running · 1 failed · 2 worker(s)"
    done = QueueStatus((JobCounts("reading", done=40),), workers=1)
    assert jobs_line(done) == "1 worker(s)"
    assert jobs_line(QueueStatus((JobCounts("reading", done=40),), workers=0)) == ""
    assert jobs_line(QueueStatus((), workers=0)) == ""


def test_the_indicator_names_features_jobs() -> None:
    status = QueueStatus(
        (JobCounts("features", waiting=3, running=1), JobCounts("reading", done=4)), workers=1
    )
    assert jobs_line(status) == "features 3 waiting · 1 running · 1 worker(s)"
    exporting = QueueStatus((JobCounts("export", running=1),), workers=1)
    assert jobs_line(exporting) == "export 0 waiting · 1 running · 1 worker(s)"


def test_features_jobs_in_russian(russian: None) -> None:
    status = QueueStatus((JobCounts("features", waiting=3),), workers=2)
    assert jobs_line(status) == "признаки областей ждут: 3 · в работе: 0 · 2 обработчика"


@pytest.mark.slow
def test_the_indicator_follows_the_queue_of_a_shared_case(
    qtbot: QtBot, shared_case: Case, inbox: Path, tmp_path: Path
) -> None:
    import_scans(shared_case, inbox, documents=2, pages=1)
    assert read_pages(shared_case, workers="queue").queued == 2
    indicator = JobsIndicator.start(shared_case)
    assert indicator is not None
    qtbot.addWidget(indicator)
    indicator._timer.setInterval(200)  # the test need not wait the window's five seconds
    try:
        qtbot.waitUntil(
            lambda: indicator.text().strip() == "OCR 2 waiting · 0 running · 0 worker(s)", timeout=BOUND_MS
        )
        assert not indicator.isHidden()
        flag = tmp_path / "go"
        worker = start_held_worker(shared_case, flag)
        try:
            qtbot.waitUntil(
                lambda: indicator.text().strip() == "OCR 1 waiting · 1 running · 1 worker(s)",
                timeout=BOUND_MS,
            )
            flag.touch()  # the page is read; the next one too
            qtbot.waitUntil(lambda: None not in page_statuses(shared_case).values(), timeout=BOUND_MS)
            qtbot.waitUntil(lambda: indicator.text().strip() == "1 worker(s)", timeout=BOUND_MS)
        finally:
            worker.send_signal(signal.SIGTERM)
            _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    finally:
        indicator.stop()


def test_a_local_window_shows_no_jobs(window: MainWindow) -> None:
    assert window.team.jobs is None


@pytest.mark.slow
def test_the_window_of_a_shared_case_shows_its_jobs(
    qtbot: QtBot, shared_case: Case, inbox: Path, bridge: RenderBridge, tmp_path: Path
) -> None:
    import_scans(shared_case, inbox, documents=1, pages=2)
    assert read_pages(shared_case, workers="queue").queued == 2
    thumbnails = ThumbnailCache()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main = MainWindow(shared_case, bridge, thumbnails, settings)
    qtbot.addWidget(main)
    main.show()
    try:
        jobs = main.team.jobs
        assert jobs is not None
        assert jobs.parent() is not None
        assert main.statusBar().isAncestorOf(jobs)
        qtbot.waitUntil(lambda: "OCR 2 waiting · 0 running" in jobs.text(), timeout=BOUND_MS)
        assert jobs.isVisible()
    finally:
        main.close()
        thumbnails.wait()
