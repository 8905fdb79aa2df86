"""Running one service call on its own thread; the UI thread only ever sees signals."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from reviewer.core.domain.errors import ReviewerError

#: Jobs whose thread has not ended, held here until the window's thread hears it has: a job let go by
#: its owner meanwhile would otherwise end in its own thread when that thread lets go of it, against
#: Qt's rule (objects end in the thread they live in).
_running: set[BackgroundJob] = set()


class BackgroundJob(QObject):
    """Runs ``work()`` on a thread; ``finished(result)`` or ``failed(message)`` arrive queued.

    Subclasses define ``work`` (and their own progress signal). ``cancel`` is an event ``work`` may
    pass to a service that can stop early. A job may be let go at any time: it ends in the window's
    thread once its own thread has.
    """

    finished = Signal(object)
    failed = Signal(str)
    _over = Signal()  # the last thing the job's thread does

    def __init__(self, name: str) -> None:
        super().__init__()
        self.cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._over.connect(self._release)

    def start(self) -> None:
        """Begin."""
        _running.add(self)
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
        except Exception as exc:  # noqa: BLE001  (shown to the person, never a traceback)
            self.failed.emit(f"{self._thread.name} stopped: {type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)
        finally:
            self._over.emit()

    @Slot()
    def _release(self) -> None:
        """In the window's thread: once the job's thread has let go of it, so may the program."""
        self._thread.join()
        _running.discard(self)
