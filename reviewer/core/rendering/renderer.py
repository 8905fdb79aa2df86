"""A page renderer for interactive viewing: worker processes, a priority queue, results by callback.

The caller (the window) asks for pages as the user moves; requests that are no longer wanted are
dropped before they reach a worker, the newest and most urgent go first, and a worker that crashes or
hangs on a hostile page is replaced. Results arrive on a background thread through ``on_result``:
the caller must hand them to its own thread (a queued Qt signal does exactly that).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import threading
import time
from multiprocessing.connection import wait
from typing import TYPE_CHECKING

from reviewer.core.processes import end_worker, lifeline, worker_context
from reviewer.core.rendering.requests import RenderedPage, RenderRequest
from reviewer.core.workers.child import serve
from reviewer.core.workers.pool import Limits, death_reason
from reviewer.core.workers.registry import RENDER, job

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

STALL_SECONDS = 30.0
#: The same bounds as every worker's: a page is drawn in one go, so its stall is its total.
RENDER_LIMITS = Limits(stall_seconds=STALL_SECONDS, total_seconds=STALL_SECONDS, memory_bytes=3 << 30)


class _Worker:
    """A worker of the common kind (:func:`reviewer.core.workers.child.serve`) that draws pages."""

    def __init__(self, ctx: BaseContext, memory: int | None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=serve, args=(child, lifeline(), memory), daemon=True
        )
        self.process.start()
        child.close()
        self.request: RenderRequest | None = None
        self.since = 0.0

    def kill(self) -> None:
        end_worker(self.process)
        self.process.join(2)
        self.conn.close()


class PageRenderer:
    """Renders pages in ``processes`` worker processes; see the module's docstring."""

    def __init__(
        self,
        on_result: Callable[[RenderedPage], None],
        *,
        processes: int = 2,
        limits: Limits = RENDER_LIMITS,
    ) -> None:
        self._on_result = on_result
        self._limits = limits
        self._job = job(RENDER)
        self._ctx = worker_context()
        self._size = max(1, processes)
        self._workers: list[_Worker] = []
        self._queue: list[tuple[int, int, RenderRequest]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        self._closed = False
        self._thread = threading.Thread(target=self._loop, name="page-renderer", daemon=True)
        self._thread.start()

    def request(self, request: RenderRequest, *, priority: int = 0) -> None:
        """Ask for a page; lower ``priority`` goes first, and among equals the newest goes first."""
        with self._lock:
            heapq.heappush(self._queue, (priority, -next(self._order), request))
        self._wake()

    def retain(self, keep: Callable[[RenderRequest], bool]) -> None:
        """Drop queued requests the caller no longer wants (pages scrolled past, another document)."""
        with self._lock:
            self._queue = [item for item in self._queue if keep(item[2])]
            heapq.heapify(self._queue)

    def pending(self) -> int:
        """Requests queued or being drawn."""
        with self._lock:
            return len(self._queue) + sum(1 for w in self._workers if w.request is not None)

    def close(self) -> None:
        """Stop the workers and the thread; results still in flight are dropped."""
        if self._closed:
            return
        self._closed = True
        self._wake()
        self._thread.join(5)
        for worker in self._workers:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in self._workers:
            worker.process.join(1)
            if worker.process.is_alive():
                worker.kill()
            else:
                worker.conn.close()
        self._workers.clear()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _loop(self) -> None:
        # Start the workers now, on this thread: the first page is then drawn without waiting for one.
        try:
            while len(self._workers) < self._size and not self._closed:
                self._spawn()
        except Exception:  # noqa: BLE001  (a worker that cannot start is reported per request)
            pass
        while not self._closed:
            self._dispatch()
            busy = [w for w in self._workers if w.request is not None]
            waitables: list[object] = [self._wake_r]
            for worker in busy:
                waitables += [worker.conn, worker.process.sentinel]
            ready = wait(waitables, timeout=1.0)  # type: ignore[arg-type]
            if self._wake_r in ready:
                with contextlib.suppress(OSError):
                    os.read(self._wake_r, 4096)
            for worker in busy:
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._collect(worker)
            now = time.monotonic()
            for worker in [w for w in self._workers if w.request is not None]:
                limit = min(self._limits.stall_seconds, self._limits.total_seconds)
                if now - worker.since > limit:
                    self._fail(worker, f"drawing this page took longer than {limit:g} s and was stopped")

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    return
                idle = next((w for w in self._workers if w.request is None), None)
                if idle is None and len(self._workers) >= self._size:
                    return
                _, _, request = heapq.heappop(self._queue)
            try:
                worker = idle or self._spawn()
            except Exception as exc:  # noqa: BLE001  (no worker, no page: say so, keep serving)
                self._deliver(RenderedPage(request, error=f"the page renderer could not start ({exc})"))
                continue
            worker.request, worker.since = request, time.monotonic()
            try:
                worker.conn.send((self._job.target, self._job.beat, request))
            except (OSError, ValueError):
                self._fail(worker, "the page renderer stopped unexpectedly")

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self._limits.memory_bytes)
        with self._lock:
            self._workers.append(worker)
        return worker

    def _collect(self, worker: _Worker) -> None:
        request = worker.request
        try:
            while request is not None and worker.conn.poll():
                kind, payload = worker.conn.recv()
                if kind == "beat":
                    continue
                worker.request = None
                if kind == "ok":
                    self._deliver(payload)
                elif kind == "memory":
                    self._deliver(RenderedPage(request, error="drawing this page needed too much memory"))
                else:
                    self._deliver(RenderedPage(request, error=f"this page cannot be drawn ({payload})"))
                return
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            worker.process.join(1)
            reason = death_reason(worker.process.exitcode, self._limits.memory_bytes)
            if "crashed" in reason:
                reason = "drawing this page crashed the renderer; the page is damaged or hostile"
            self._fail(worker, reason)

    def _fail(self, worker: _Worker, reason: str) -> None:
        request = worker.request
        worker.kill()
        with self._lock:
            self._workers.remove(worker)
        if request is not None:
            self._deliver(RenderedPage(request, error=reason))

    def _deliver(self, result: RenderedPage) -> None:
        with contextlib.suppress(Exception):  # the receiver's trouble must not stop the renderer
            self._on_result(result)
