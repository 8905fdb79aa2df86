"""Tasks of any job submitted one by one, each answered by a future: the export's way to the workers.

The export hands each document's PDF work to a worker the moment it has planned it, copies the
originals meanwhile, and takes the results in its own order. :class:`Jobs` runs one
:class:`~reviewer.core.workers.pool.WorkerPool` on a background thread for that, with the pool's
limits: a task whose worker crashes, hangs or runs out of memory fails with :class:`JobFailed` (a
plain reason), and the other tasks go on.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reviewer.core.domain.errors import ReviewerError
from reviewer.core.workers.pool import Limits, WorkerPool, as_job

if TYPE_CHECKING:
    from reviewer.core.workers.registry import Job


class JobFailed(ReviewerError):
    """A job could not be done; the message says why in plain words."""


@dataclass(eq=False, slots=True)
class _Submitted:
    job: Job
    task: Any
    future: Future[Any] = field(default_factory=Future)


class _MixedPool(WorkerPool[_Submitted, Any]):
    def job_of(self, task: _Submitted) -> Job:
        return task.job

    def payload(self, task: _Submitted) -> Any:
        return task.task


class Jobs:
    """A pool for tasks of any registered job; :meth:`submit` returns a future. Use it as a context."""

    def __init__(self, *, processes: int | None = None, limits: Limits | None = None) -> None:
        self._pool = _MixedPool(as_job(_noop), processes=processes, limits=limits)
        self._queue: deque[_Submitted] = deque()
        self._submitted: list[_Submitted] = []
        self._ready = threading.Condition()
        self._cancel = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._loop, name="worker-jobs", daemon=True)
        self._thread.start()

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(cancel=kind is not None)

    def submit(self, job: str, task: Any) -> Future[Any]:
        """Run the job registered as ``job`` on ``task``; the future fails with :class:`JobFailed`."""
        submitted = _Submitted(as_job(job), task)
        with self._ready:
            if self._closing:
                raise RuntimeError("the worker jobs are closed")
            self._queue.append(submitted)
            self._submitted.append(submitted)
            self._ready.notify()
        self._pool.wake()
        return submitted.future

    def close(self, *, cancel: bool = False) -> None:
        """Finish the tasks submitted (or, with ``cancel``, drop them and stop those running)."""
        with self._ready:
            self._closing = True
            if cancel:
                self._cancel.set()
            self._ready.notify()
        self._pool.wake()
        self._thread.join()
        for left in self._submitted:
            left.future.cancel()  # those still without a result: dropped
        self._queue.clear()
        self._submitted.clear()
        self._pool.close()

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._queue and not self._closing:
                    self._ready.wait()
                if self._cancel.is_set() or (self._closing and not self._queue):
                    return
            try:
                for outcome in self._pool.run(self._queue, self._cancel):
                    submitted = outcome.task
                    if outcome.error is not None:
                        submitted.future.set_exception(JobFailed(outcome.error))
                    else:
                        submitted.future.set_result(outcome.result)
            except Exception as exc:  # noqa: BLE001  (no worker could start: every task says so)
                while self._queue:
                    self._queue.popleft().future.set_exception(
                        JobFailed(f"the worker processes could not start ({exc})")
                    )


def _noop(task: object) -> object:
    return task
