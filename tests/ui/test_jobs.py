"""A service call on a thread of its own (``reviewer.ui.jobs``): its result or its failure arrive in the
window's thread, and a job let go before its thread ends still ends in the window's thread."""

from __future__ import annotations

import gc
import threading
import time
from typing import TYPE_CHECKING, Any

from reviewer.core.domain.errors import ReviewerError
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


class _Nap(BackgroundJob):
    """Sleeps, then returns what it was given, or raises it."""

    def __init__(self, outcome: object, seconds: float = 0.2) -> None:
        super().__init__("nap")
        self.outcome = outcome
        self.seconds = seconds

    def work(self) -> Any:
        time.sleep(self.seconds)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def test_the_result_or_the_failure_arrives_in_the_windows_thread(qtbot: QtBot) -> None:
    heard: list[tuple[str, object, str]] = []
    for outcome in ("done", ReviewerError("the case is read-only"), ValueError("a bug")):
        job = _Nap(outcome, 0.01)
        job.finished.connect(lambda r: heard.append(("finished", r, threading.current_thread().name)))
        job.failed.connect(lambda m: heard.append(("failed", m, threading.current_thread().name)))
        with qtbot.waitSignals([job._over]):
            job.start()
    main = threading.main_thread().name
    assert heard == [
        ("finished", "done", main),
        ("failed", "the case is read-only", main),
        ("failed", "nap stopped: ValueError: a bug", main),
    ]


def test_a_job_let_go_before_its_thread_ends_ends_in_the_windows_thread(qtbot: QtBot) -> None:
    """Its thread held it, and let go of it last: Qt objects must end in the thread they live in."""
    ended: list[str] = []
    job = _Nap("done", 0.2)
    job.destroyed.connect(lambda: ended.append(threading.current_thread().name))
    job.start()
    (thread,) = [t for t in threading.enumerate() if t.name == "nap"]
    del job
    gc.collect()
    assert ended == [], "kept until its thread has ended"
    thread.join(5)
    qtbot.waitUntil(lambda: bool(ended))
    assert ended == [threading.main_thread().name]
