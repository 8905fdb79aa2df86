"""The worker's side: guard, limit, configure, then run the jobs the parent sends until told to stop."""

from __future__ import annotations

import contextlib
import signal
import time
from typing import TYPE_CHECKING, Any

from reviewer.core.processes import guard_worker, lower_this_process
from reviewer.core.workers.registry import INITIALISER, load

if TYPE_CHECKING:
    from multiprocessing.connection import Connection


class Refusal(Exception):
    """Raised in a worker to refuse a task with a reason a person understands."""


def limit_memory(memory: int | None) -> None:
    """Cap this process's address space (POSIX; elsewhere the pool's other limits still hold)."""
    if memory is None:
        return
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


#: Progress is told the parent at most this often. Each beat wakes the parent, which takes a core from
#: the other workers for a moment: told for every copied chunk and every page, beats woke an import's
#: recording process ~1,850 times (~0.09 s of CPU; docs/benchmarks.md, round five). A stall is noticed
#: at most this much later.
BEAT_SECONDS = 0.1


def serve(conn: Connection, line: Connection, memory: int | None, nice: int = 0) -> None:
    """A worker's life: each message is ``(target, beat, task)``; ``None`` ends it. ``nice`` lowers its
    priority (and its Tesseract's) by that much where the system has one (not on Windows).

    Replies ``("beat", None)`` for progress, then one of ``("ok", result)``, ``("refused", reason)``
    (the job raised :class:`Refusal`), ``("error", reason)`` or ``("memory", None)``.
    """
    guard_worker(line)  # before anything else: this worker ends when its program does
    with contextlib.suppress(ValueError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limit_memory(memory)
    lower_this_process(nice)
    load(INITIALISER)()
    functions: dict[str, Any] = {}
    last_beat = 0.0  # when the parent last heard of progress: the task's start, or a beat sent since

    def beat() -> None:
        nonlocal last_beat
        now = time.monotonic()
        if now - last_beat >= BEAT_SECONDS:
            last_beat = now
            conn.send(("beat", None))

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        target, takes_beat, task = message
        last_beat = time.monotonic()
        try:
            function = functions.get(target)
            if function is None:
                function = functions[target] = load(target)
            reply: tuple[str, Any] = ("ok", function(task, beat) if takes_beat else function(task))
        except Refusal as refusal:
            reply = ("refused", str(refusal))
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # noqa: BLE001  (any failure of a parser is a refusal of that file)
            reply = ("error", f"the file could not be read ({type(exc).__name__}: {exc})")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return
