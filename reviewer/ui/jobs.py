"""Running one service call on its own thread; the UI thread only ever sees signals."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from reviewer.core.domain.errors import ReviewerError


class BackgroundJob(QObject):
    """Runs ``work()`` on a thread; ``finished(result)`` or ``failed(message)`` arrive queued.

    Subclasses define ``work`` (and their own progress signal). ``cancel`` is an event ``work`` may
    pass to a service that can stop early.
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, name: str) -> None:
        super().__init__()
        self.cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        """Begin."""
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the job to end; True if it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def work(self) -> Any:
        """The service call; runs on the job's thread."""
        raise NotImplementedError

    def _run(self) -> None:
        try:
            result = self.work()
        except ReviewerError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001  (shown to the person, never a traceback)
            self.failed.emit(f"{self._thread.name} stopped: {type(exc).__name__}: {exc}")
            return
        self.finished.emit(result)
