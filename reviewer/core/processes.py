"""The one way reviewer starts worker processes.

fork is unsafe once a program has threads (the window has); forkserver forks each worker from a clean,
single-threaded server that has already imported PyMuPDF and the worker modules, so workers start in
milliseconds. There is a single forkserver per program and only the preload list set before it starts
counts, so every kind of worker asks for the same list here.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

PRELOAD = [
    "reviewer.core.ingest.analyse",
    "reviewer.core.ingest.read_page",
    "reviewer.core.rendering.worker",
    "reviewer.core.bundles.pieces",
]


def worker_context() -> BaseContext:
    """forkserver with the workers' modules preloaded where the platform has it; spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def usable_cores() -> int:
    """Cores this process may run on (respects CPU affinity, unlike ``os.cpu_count``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def start_workers_early() -> None:
    """Boot the fork server now, so it loads PyMuPDF on another core while this process gets ready."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        worker_context()
        forkserver.ensure_running()
