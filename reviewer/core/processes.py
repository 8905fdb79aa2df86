"""The one way reviewer starts worker processes, and the guarantee that they end with the program.

fork is unsafe once a program has threads (the window has); forkserver forks each worker from a clean,
single-threaded server that has already imported PyMuPDF and the worker modules, so workers start in
milliseconds. There is a single forkserver per program and only the preload list set before it starts
counts, so every kind of worker asks for the same list here.

A worker must not outlive the program that started it, even when that program is killed with SIGKILL:
it would go on burning a core, and it would keep the caller's stdout open, so a script reading
reviewer's output would hang. CPython does not see to that. A forkserver worker's parent is the fork
server, not the program, so PR_SET_PDEATHSIG in the worker would wait for the fork server; and the fork
server (like the resource tracker) only exits once every worker has closed its end of the server's
"alive" pipe. So each worker gets the read end of a *lifeline*: a pipe whose write end only the program
holds, which the kernel closes when the program is gone, however it went. :func:`guard_worker` puts the
worker in a process group of its own (its Tesseract children join it) and forks a small warden that
waits on that pipe: when it reaches end-of-file the warden kills the whole group. The warden is a
process, not a thread, because a worker stuck in PyMuPDF holds the GIL and a thread would never run.
Once the workers are gone, the fork server and the resource tracker see their pipes close and exit;
they are also started with their standard streams on /dev/null, so they never hold the caller's.

Portability. ``REVIEWER_START_METHOD`` chooses how workers start: ``forkserver`` (the default on
Linux) or ``spawn`` (the default elsewhere, and the only one Windows has; macOS's default). Under
spawn each worker starts a fresh interpreter and imports what its job needs; nothing is preloaded.
Where ``os.fork`` or ``os.setpgid`` do not exist (Windows), :func:`guard_worker` cannot fork a warden:
it starts a thread in the worker that watches the lifeline and ends the worker when it reaches
end-of-file. That thread cannot run while the worker holds the GIL inside PyMuPDF, so there a worker
stuck in native code outlives its program until that code returns (a Job Object with
KILL_ON_JOB_CLOSE would close that gap; it is not built yet). The pool's own stall and total limits
still stop such a worker while the program lives.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import sys
import threading
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import ReviewerError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext
    from multiprocessing.process import BaseProcess

#: How workers start, when set: "spawn" or "forkserver".
START_METHOD_VARIABLE = "REVIEWER_START_METHOD"
START_METHODS = ("forkserver", "spawn")


class StartMethodError(ReviewerError):
    """``REVIEWER_START_METHOD`` names a start method this system does not have."""


# What the fork server imports once, so that every worker starts with PyMuPDF and the job modules
# loaded: the worker side of the pool, and what configures PyMuPDF in it. The job modules themselves
# are named in reviewer.core.workers.registry and imported from there.
PRELOAD: tuple[str, ...] = ("reviewer.core.workers.preload",)

# Per process, keyed by pid (a forked child must not reuse its parent's): the lifeline's two ends, and
# whether the fork server was started here.
_lifelines: dict[int, tuple[Connection, Connection]] = {}
_helpers_started: set[int] = set()
_lock = threading.Lock()


def start_method() -> str:
    """The start method workers use: ``REVIEWER_START_METHOD`` if set, else forkserver on Linux.

    Raises :class:`StartMethodError` for a value that is not a start method this system has.
    """
    chosen = os.environ.get(START_METHOD_VARIABLE, "").strip().lower()
    available = multiprocessing.get_all_start_methods()
    if not chosen:
        return "forkserver" if sys.platform.startswith("linux") and "forkserver" in available else "spawn"
    if chosen not in START_METHODS or chosen not in available:
        have = " or ".join(m for m in START_METHODS if m in available)
        raise StartMethodError(f"{START_METHOD_VARIABLE}={chosen!r} is not a start method here; use {have}")
    return chosen


def worker_context() -> BaseContext:
    """The context every worker is started from (see :func:`start_method`).

    forkserver preloads PyMuPDF and the workers' modules; spawn starts each worker afresh.
    """
    method = start_method()
    one_thread_per_worker()
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(list(PRELOAD))
        _start_helpers_quietly()
    return ctx


# Numerical libraries start a thread per core when they load (OpenBLAS under NumPy, OpenCV's own pool):
# on a machine of many cores their stacks and buffers reserve gigabytes of address space in every worker,
# past the memory limit (RLIMIT_AS) before a job has read a byte. The pool runs a worker per core
# already, so each worker's libraries get one thread. Set before any worker (or the fork server) starts,
# which inherit the environment; a value the person set is kept.
ONE_THREAD_VARIABLES = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OMP_THREAD_LIMIT",
    "OPENCV_FOR_THREADS_NUM",
)


def one_thread_per_worker() -> None:
    """Have the numerical libraries workers load start one thread each (see ``ONE_THREAD_VARIABLES``)."""
    for name in ONE_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def usable_cores() -> int:
    """Cores this process may run on (respects CPU affinity, unlike ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


#: how much lower work nobody waits for runs (the window reading a case's pages: its workers, their
#: Tesseract, the thread recording what they read), so that it yields the cores; 19 is the lowest
BACKGROUND_NICE = 10


def lower_this_process(nice: int) -> None:
    """Lower this process's priority by ``nice`` (``os.nice``; its children inherit it), where the
    system has one (not on Windows)."""
    if nice and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(nice)


def lower_this_thread(nice: int = BACKGROUND_NICE) -> None:
    """Lower the calling thread's priority alone, where a thread has its own (Linux)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)


def start_workers_early() -> None:
    """Boot the fork server now, so it loads PyMuPDF on another core while this process gets ready."""
    if start_method() == "forkserver":
        worker_context()


def _start_helpers_quietly() -> None:
    """Start the fork server and the resource tracker with stdin, stdout and stderr on /dev/null.

    Both inherit this process's standard streams, and every worker inherits the fork server's: a
    caller reading our stdout through a pipe would otherwise wait for all of them. The streams are
    pointed at /dev/null only for the few milliseconds the two helpers take to start.
    """
    from multiprocessing import forkserver

    with _lock:
        if os.getpid() in _helpers_started:
            return
        _helpers_started.add(os.getpid())
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        saved: dict[int, int | None] = {}
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            for fd in (0, 1, 2):
                try:
                    saved[fd] = os.dup(fd)
                except OSError:
                    saved[fd] = None  # closed: closed again afterwards
                os.dup2(devnull, fd)
            forkserver.ensure_running()
        finally:
            for fd, copy in saved.items():
                if copy is None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                else:
                    os.dup2(copy, fd)
                    os.close(copy)
            os.close(devnull)


def lifeline() -> Connection:
    """The read end of a pipe whose write end only this process holds; hand it to every worker.

    It reaches end-of-file the moment this process is gone. The write end is never inherited (pipes
    are close-on-exec, and forkserver and spawn workers get only the descriptors passed to them).
    """
    with _lock:
        ends = _lifelines.get(os.getpid())
        if ends is None:
            ends = multiprocessing.Pipe(duplex=False)
            _lifelines[os.getpid()] = ends
        return ends[0]


def guard_worker(line: Connection) -> None:
    """Call first in every worker process: it and all it starts end when the program that made it does.

    Makes this worker a process group of its own and forks its warden (see the module's docstring).
    The warden also ends the group when the worker itself ends, so no child of a worker outlives it.
    Without ``os.fork`` (Windows) a thread watches the lifeline instead (see the module's docstring).
    """
    if not (hasattr(os, "fork") and hasattr(os, "setpgid")):
        threading.Thread(target=_watch_lifeline, args=(line,), name="lifeline", daemon=True).start()
        return
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    worker = os.getpid()
    alive_r, _held = os.pipe()  # the write end stays open as long as this worker lives
    pid = os.fork()
    if pid == 0:  # the warden
        try:
            _warden(worker, line.fileno(), alive_r)
        finally:
            os._exit(0)
    os.close(alive_r)
    line.close()


def _watch_lifeline(line: Connection) -> None:
    """The warden's job done by a thread of the worker, where a process cannot be forked."""
    with contextlib.suppress(EOFError, OSError):
        while True:
            line.recv_bytes()  # nothing is ever sent: this returns only at end-of-file
    os._exit(1)


def _warden(worker: int, line: int, alive: int) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    # Hold nothing of the worker's: not its pipes to the program, the fork server or the tracker.
    low = 3
    for fd in sorted((line, alive)):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, max(low, os.sysconf("SC_OPEN_MAX")))
    watch = select.poll()
    watch.register(line, select.POLLIN | select.POLLHUP)
    watch.register(alive, select.POLLIN | select.POLLHUP)
    while True:
        try:
            events = watch.poll()
        except InterruptedError:
            continue
        if events:
            break
    # Either the program or the worker is gone: end the worker's group, this warden included.
    with contextlib.suppress(OSError):
        if os.getpgrp() == worker:  # the group outlives its leader while we are in it: no pid reuse
            os.killpg(worker, signal.SIGKILL)
        elif os.getppid() == worker:  # no group of its own; the worker, while it is still our parent
            os.kill(worker, signal.SIGKILL)


def end_worker(process: BaseProcess) -> None:
    """Kill a worker at once, with every process it started (a Tesseract it is waiting for)."""
    pid = process.pid
    if pid is not None and process.exitcode is None and hasattr(os, "killpg"):
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pid:
                os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        process.kill()
