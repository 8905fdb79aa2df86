"""A pool of worker processes, each task bounded in time and memory.

PyMuPDF holds the GIL and is not thread-safe, and a hostile file can crash, hang or exhaust the process
that parses it. So parsing happens in separate processes that the parent watches: a worker that dies is
replaced, one that stops making progress is killed and replaced, and its task is reported in plain words.
The batch always goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from reviewer.core.processes import BACKGROUND_NICE, end_worker, lifeline, usable_cores, worker_context
from reviewer.core.workers.child import serve
from reviewer.core.workers.registry import Job, job, job_of

if TYPE_CHECKING:
    import threading
    from collections import deque
    from collections.abc import Callable, Iterator
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on each task: seconds without progress, seconds in all, bytes of address space."""

    stall_seconds: float = 60.0
    total_seconds: float = 1800.0
    memory_bytes: int | None = 3 << 30


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T, R]):
    """The result of one task, or the reason it has none (``refused``: the job itself said no)."""

    task: T
    result: R | None = None
    error: str | None = None
    refused: bool = False


def as_job(what: str | Job | Callable[..., Any]) -> Job:
    """A job from its registered name, itself, or a module-level function (tests, benchmarks)."""
    if isinstance(what, Job):
        return what
    if isinstance(what, str):
        return job(what)
    return job_of(what)


class _Worker:
    def __init__(self, ctx: BaseContext, memory: int | None, nice: int = 0) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=serve, args=(child, lifeline(), memory, nice), daemon=True
        )
        self.process.start()
        child.close()
        self.task: Any = None
        self.started = 0.0
        self.last_beat = 0.0

    def kill(self) -> None:
        end_worker(self.process)  # with the Tesseract it may be waiting for
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        else:
            self.conn.close()


def death_reason(exitcode: int | None, memory: int | None) -> str:
    """Why a worker that died without answering did, in plain words."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL" and memory is not None:
            return "reading this file was stopped by the system, probably for using too much memory"
        return f"reading this file crashed the document reader ({name}); the file is damaged or hostile"
    return f"the document reader stopped unexpectedly (exit code {exitcode}) while reading this file"


class WorkerPool(Generic[T, R]):
    """Runs a job for each task in worker processes, at most ``processes`` at once.

    ``job`` is a registered job's name (:mod:`reviewer.core.workers.registry`), or a module-level
    function ``fn(task, beat)``. The job calls ``beat()`` whenever it makes progress, and the task is
    stopped after ``limits.stall_seconds`` without a beat.
    """

    def __init__(
        self,
        job: str | Job | Callable[[T, Callable[[], None]], R],
        *,
        processes: int | None = None,
        limits: Limits | None = None,
        background: bool = False,
    ) -> None:
        self._job = as_job(job)
        # work nobody waits for (the window reading a case's pages) yields the cores to what a person
        # is doing: the window, an import
        self._nice = BACKGROUND_NICE if background else 0
        self._processes = max(1, processes or usable_cores())
        self.limits = limits or Limits()
        self._ctx = worker_context()
        self._workers: list[_Worker] = []
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        # outcomes collected by ``pump`` while the caller was busy, for ``run`` to yield next
        self._early: list[Outcome[T, R]] = []
        self._queue: deque[T] | None = None  # the queue ``run`` is working through

    def __enter__(self) -> WorkerPool[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker."""
        for worker in self._workers:
            if worker.task is not None:
                worker.kill()
            else:
                worker.stop()
        self._workers.clear()
        self._wake_r.close()
        self._wake_w.close()

    def wake(self) -> None:
        """Have :meth:`run` look at its queue and its cancel event now (from any thread)."""
        with contextlib.suppress(OSError, ValueError):
            self._wake_w.send_bytes(b"")

    def job_of(self, task: T) -> Job:
        """The job that runs ``task`` (one for the whole pool; :class:`Jobs` mixes them)."""
        return self._job

    def payload(self, task: T) -> Any:
        """What is sent to the worker for ``task``."""
        return task

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.limits.memory_bytes, self._nice)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.remove(worker)

    def run(self, queue: deque[T], cancel: threading.Event | None = None) -> Iterator[Outcome[T, R]]:
        """Yield an outcome for every task, as each finishes; tasks may be appended while running.

        Stops early, killing tasks in flight, once ``cancel`` is set.
        """
        limits = self.limits
        self._queue = queue
        try:
            while queue or self._early or any(w.task is not None for w in self._workers):
                if cancel is not None and cancel.is_set():
                    return
                if self._early:
                    early, self._early = self._early, []
                    yield from early
                    continue
                self._dispatch(queue)
                busy = [w for w in self._workers if w.task is not None]
                if not busy:
                    continue
                now = time.monotonic()
                deadline = min(
                    min(w.last_beat + limits.stall_seconds, w.started + limits.total_seconds) for w in busy
                )
                timeout = max(0.0, min(deadline - now, 0.2 if cancel is not None else deadline - now))
                ready = wait(
                    [self._wake_r] + [w.conn for w in busy] + [w.process.sentinel for w in busy], timeout
                )
                if self._wake_r in ready:
                    with contextlib.suppress(EOFError, OSError):
                        while self._wake_r.poll():
                            self._wake_r.recv_bytes()
                finished: list[Outcome[T, R]] = []
                for worker in busy:
                    if worker.conn in ready or worker.process.sentinel in ready:
                        finished.extend(self._collect(worker))
                now = time.monotonic()
                for worker in [w for w in self._workers if w.task is not None]:
                    if now - worker.last_beat > limits.stall_seconds:
                        reason = (
                            f"reading this file made no progress for {limits.stall_seconds:g} s and was "
                            "stopped; the file may be damaged or built to hang readers"
                        )
                    elif now - worker.started > limits.total_seconds:
                        reason = (
                            f"reading this file took longer than {limits.total_seconds:g} s and was stopped"
                        )
                    else:
                        continue
                    task = worker.task
                    self._retire(worker)
                    finished.append(Outcome(task, error=reason))
                # Hand idle workers their next task before the caller records these outcomes: recording
                # takes the caller a while, and the workers would sit idle meanwhile.
                self._dispatch(queue)
                yield from finished
        finally:
            self._queue = None
            self._early = []
            for worker in [w for w in self._workers if w.task is not None]:
                self._retire(worker)

    def pump(self) -> None:
        """Between the long steps of a caller of :meth:`run` that is handling an outcome: collect the
        tasks that finished (``run`` yields them next) and hand idle workers their next task, so they
        do not wait for the caller. Never waits; does nothing outside ``run``."""
        queue = self._queue
        if queue is None:
            return
        busy = [w for w in self._workers if w.task is not None]
        if busy:
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], 0)
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._early.extend(self._collect(worker))
        self._dispatch(queue)

    def _dispatch(self, queue: deque[T]) -> None:
        idle = [w for w in self._workers if w.task is None]
        while queue and (idle or len(self._workers) < self._processes):
            worker = idle.pop() if idle else self._spawn()
            task = queue.popleft()
            worker.task = task
            worker.started = worker.last_beat = time.monotonic()
            job = self.job_of(task)
            try:
                worker.conn.send((job.target, job.beat, self.payload(task)))
            except (OSError, ValueError):
                self._retire(worker)
                queue.appendleft(task)

    def _collect(self, worker: _Worker) -> Iterator[Outcome[T, R]]:
        task = worker.task
        try:
            while worker.conn.poll():
                kind, payload = worker.conn.recv()
                if kind == "beat":
                    worker.last_beat = time.monotonic()
                    continue
                worker.task = None
                if kind == "ok":
                    yield Outcome(task, result=payload)
                elif kind == "memory":
                    limit = self.limits.memory_bytes or 0
                    yield Outcome(
                        task,
                        error=f"reading this file needed more than {limit >> 20} MiB of memory and was "
                        "stopped; the file may be damaged or built to exhaust memory",
                    )
                else:
                    yield Outcome(task, error=str(payload), refused=kind == "refused")
                return
        except (EOFError, OSError):
            pass
        if worker.process.is_alive() and worker.task is not None:
            return  # only a beat arrived
        if worker.task is None:
            return
        worker.process.join(2)
        reason = death_reason(worker.process.exitcode, self.limits.memory_bytes)
        self._retire(worker)
        yield Outcome(task, error=reason)


def run_one(job: str | Job, task: T, limits: Limits | None = None) -> Outcome[T, Any]:
    """Run one task in a worker of its own and return its outcome."""
    from collections import deque

    with WorkerPool[T, Any](job, processes=1, limits=limits) as pool:
        (outcome,) = pool.run(deque([task]))
    return outcome
