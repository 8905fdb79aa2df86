"""The Forensics pane's background work: signals, an error-level overlay, copies in a page, region search.

Each job calls one service on its own thread (the services run PyMuPDF and pixel code in worker
processes); ``JobList`` hands each result back on the main thread, or drops it once shut down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal

from reviewer.core.services import forensics, queries
from reviewer.ui.jobs import BackgroundJob

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.services.case import Case
    from reviewer.core.services.forensics import SignalRecord
    from reviewer.core.services.region_search import RegionHit


def needs_region_hashes(case: Case, document_id: int) -> bool:
    """Whether the document's pages still lack the hashes region search compares."""
    # region_search (numpy, the image code) is loaded when first needed, not with the window
    from reviewer.core.services.region_search import needs_region_hashes as needs

    return needs(case, document_id)


class EnsureJob(BackgroundJob):
    """Compute a document's signals if it has none yet (a case imported before forensics)."""

    def __init__(self, case: Case, document_id: int) -> None:
        super().__init__("forensics")
        self.case, self.document_id = case, document_id

    def work(self) -> int:
        """Compute them in a worker process."""
        forensics.ensure_forensics(self.case, self.document_id)
        from reviewer.core.services.region_search import ensure_region_hashes

        ensure_region_hashes(self.case, self.document_id)
        return self.document_id


class OverlayJob(BackgroundJob):
    """The error-level overlay of one page, as PNG bytes."""

    def __init__(self, case: Case, document_id: int, page: int) -> None:
        super().__init__("error levels")
        self.case, self.document_id, self.page = case, document_id, page

    def work(self) -> bytes:
        """Draw it in a worker process."""
        return forensics.error_level_overlay(self.case, self.document_id, self.page)


class CopyMoveJob(BackgroundJob):
    """Look for regions of one page that are copies of each other; they are stored as signals.

    Gives the copies found (``SignalRecord``) and the page's unrotated size in points.
    """

    def __init__(self, case: Case, document_id: int, page: int) -> None:
        super().__init__("copy-move")
        self.case, self.document_id, self.page = case, document_id, page

    def work(self) -> tuple[tuple[SignalRecord, ...], tuple[float, float]]:
        """Look in a worker process."""
        found = forensics.find_copy_moves(self.case, self.document_id, self.page)
        record = queries.page_view(self.case, self.document_id).pages[self.page - 1]
        return found, (record.width, record.height)


class RegionSearchJob(BackgroundJob):
    """Find an annotated region elsewhere in the case; ``progressed(RegionProgress)`` page by page."""

    progressed = Signal(object)

    def __init__(self, case: Case, annotation_id: str) -> None:
        super().__init__("region search")
        self.case, self.annotation_id = case, annotation_id

    def work(self) -> list[RegionHit]:
        """Search every page of the case in worker processes."""
        from reviewer.core.services.region_search import find_region_elsewhere

        return find_region_elsewhere(
            self.case, self.annotation_id, progress=self.progressed.emit, cancel=self.cancel
        )


class JobList:
    """The jobs a pane started: each result goes to its callback on the main thread, none after shutdown."""

    def __init__(self, failed: Callable[[str], None]) -> None:
        self._failed = failed  # where a job's one-line failure goes unless its start names another
        self._jobs: list[BackgroundJob] = []

    def running(self) -> list[BackgroundJob]:
        """The jobs whose result has not been handed on yet."""
        return list(self._jobs)

    def start(
        self,
        job: BackgroundJob,
        done: Callable[[Any], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Start ``job``; ``done(result)`` or ``failed(message)`` follows on the main thread."""
        self._jobs.append(job)
        job.finished.connect(
            lambda result, j=job: self._ended(j, done, result), Qt.ConnectionType.QueuedConnection
        )
        job.failed.connect(
            lambda message, j=job: self._ended(j, failed or self._failed, message),
            Qt.ConnectionType.QueuedConnection,
        )
        job.start()

    def shutdown(self) -> None:
        """Cancel every job, wait for it, and drop the results still to come."""
        for job in list(self._jobs):
            job.cancel.set()
            job.wait(30)
        self._jobs.clear()

    def _ended(self, job: BackgroundJob, then: Callable[[Any], None], value: object) -> None:
        job.wait(30)
        if job in self._jobs:
            self._jobs.remove(job)
            then(value)
