"""The worker pool: a task that crashes, hangs or eats memory is reported, and the batch goes on."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reviewer.core import processes
from reviewer.core.workers.child import BEAT_SECONDS, Refusal, serve
from reviewer.core.workers.pool import BACKGROUND_NICE, Limits, Outcome, WorkerPool, run_one
from reviewer.core.workers.registry import job_of

if TYPE_CHECKING:
    from collections.abc import Callable


def misbehave(task: str, beat: Callable[[], None]) -> str:
    """A task function that does what its task says; module-level so workers can import it."""
    if task == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if task == "exit":
        os._exit(3)
    if task == "hang":
        time.sleep(120)
    if task == "memory":
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
            beat()  # a parser that makes progress while it eats memory is stopped all the same
    if task == "refuse":
        raise Refusal("refused in plain words")
    if task == "bug":
        raise ValueError("something unexpected")
    if task == "slow":
        for _ in range(8):
            time.sleep(0.1)
            beat()
    return f"read {task} in {os.getpid()}"


def _run(
    tasks: list[str], limits: Limits, cancel: threading.Event | None = None
) -> dict[str, Outcome[str, str]]:
    with WorkerPool(misbehave, processes=2, limits=limits) as pool:
        return {o.task: o for o in pool.run(deque(tasks), cancel)}


FAST = Limits(stall_seconds=2.0, total_seconds=20.0, memory_bytes=1 << 30)


def test_hostile_tasks_are_reported_and_the_batch_goes_on() -> None:
    tasks = ["a", "crash", "b", "hang", "c", "memory", "d", "refuse", "e", "bug", "f", "exit", "g"]
    outcomes = _run(tasks, FAST)
    assert set(outcomes) == set(tasks)
    for good in "abcdefg":
        assert outcomes[good].result is not None
        assert outcomes[good].result.startswith(f"read {good}")
        assert outcomes[good].error is None
    assert "crashed the document reader (SIGSEGV)" in (outcomes["crash"].error or "")
    assert "no progress for 2 s" in (outcomes["hang"].error or "")
    assert "more than 1024 MiB of memory" in (outcomes["memory"].error or "")
    assert outcomes["refuse"].error == "refused in plain words"
    assert "ValueError: something unexpected" in (outcomes["bug"].error or "")
    assert "exit code 3" in (outcomes["exit"].error or "")
    for outcome in outcomes.values():
        assert "\n" not in (outcome.error or ""), "reasons are one line"


def test_progress_keeps_a_slow_task_alive() -> None:
    outcomes = _run(["slow"], Limits(stall_seconds=0.5, total_seconds=20.0, memory_bytes=None))
    assert outcomes["slow"].error is None


def test_total_time_is_bounded_even_with_progress() -> None:
    outcomes = _run(["slow"], Limits(stall_seconds=5.0, total_seconds=0.3, memory_bytes=None))
    assert "longer than 0.3 s" in (outcomes["slow"].error or "")


def test_both_cores_are_used() -> None:
    outcomes = _run([f"t{i}" for i in range(8)], FAST)
    pids = {o.result.rsplit(" ", 1)[1] for o in outcomes.values() if o.result}
    assert len(pids) == 2


def test_cancel_stops_tasks_in_flight() -> None:
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    started = time.monotonic()
    try:
        outcomes = _run(["hang", "hang2", "a"], Limits(stall_seconds=60, total_seconds=60), cancel)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 10
    assert "hang" not in outcomes


def test_tasks_may_be_added_while_running() -> None:
    queue = deque(["a"])
    seen = []
    with WorkerPool(misbehave, processes=2, limits=FAST) as pool:
        for outcome in pool.run(queue):
            seen.append(outcome.task)
            if outcome.task == "a":
                queue.append("b")
    assert seen == ["a", "b"]


def test_pump_keeps_the_workers_busy_while_the_caller_handles_an_outcome() -> None:
    """A caller that takes long over each outcome (the import, recording) calls ``pump`` as it goes:
    the tasks that finish meanwhile are collected and yielded next, exactly once, crashes too, and
    the idle workers get their next task at once instead of when the caller is done."""
    tasks = ["a", "b", "crash", "c", "d", "e", "f", "g"]
    seen: list[str] = []
    started_while_busy = 0
    with WorkerPool(misbehave, processes=2, limits=FAST) as pool:
        queue = deque(tasks)
        for outcome in pool.run(queue):
            seen.append(outcome.task)
            for _ in range(20):  # 0.4 s over each outcome, pumping
                waiting = len(queue)
                time.sleep(0.02)
                pool.pump()
                started_while_busy += waiting - len(queue)
        pool.pump()  # outside run: nothing to do
    assert sorted(seen) == sorted(tasks)
    # Of the six tasks after the first two, five start in a pump on an idle machine and none without it;
    # one more may start in ``run`` itself when a task ends just after the caller's last pump (the
    # spawn pass of .ci/run, right after the full suite, saw 4).
    assert started_while_busy >= len(tasks) // 2
    assert seen.count("crash") == 1


def chatty(seconds: float, beat: Callable[[], None]) -> int:
    """A parser that says it made progress as often as it can (a page, a chunk) for ``seconds``."""
    calls = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        beat()
        calls += 1
    return calls


def test_progress_is_told_the_parent_a_few_times_a_second_however_often_a_task_beats() -> None:
    """Each beat the parent hears wakes it (and takes a core from the other workers): a worker passes
    on at most one each ``BEAT_SECONDS``, and still passes them on, so a slow task is kept alive."""
    ctx = processes.worker_context()
    conn, end = ctx.Pipe(duplex=True)
    worker = ctx.Process(target=serve, args=(end, processes.lifeline(), None), daemon=True)
    worker.start()
    end.close()
    try:
        conn.send((job_of(chatty).target, True, 0.6))
        heard = 0
        while (message := conn.recv())[0] == "beat":
            heard += 1
        kind, calls = message
        conn.send(None)
    finally:
        worker.join(10)
    assert kind == "ok"
    assert calls > 10_000  # the task beat tens of thousands of times
    assert 3 <= heard <= 0.6 / BEAT_SECONDS + 1


def niceness(task: str, beat: Callable[[], None]) -> int:
    """How nice the worker is (``os.nice(0)`` changes nothing and says)."""
    return os.nice(0)


def test_a_background_pools_workers_yield_the_cores() -> None:
    """The window reading a case's pages: its workers (and their Tesseract) run at a lower priority
    than the window and than a pool someone waits for."""
    here = os.nice(0)
    for background, expected in ((False, here), (True, min(19, here + BACKGROUND_NICE))):
        with WorkerPool(niceness, processes=1, limits=FAST, background=background) as pool:
            (outcome,) = pool.run(deque(["how nice"]))
        assert outcome.result == expected, background
    assert os.nice(0) == here  # this process untouched


def threads_after_loading(task: str, beat: Callable[[], None]) -> int:
    """The threads a worker's native libraries run after loading NumPy and OpenCV and finding keypoints.

    Counted through /proc (Linux), less Python's own threads (the worker's lifeline watcher).
    """
    import cv2
    import numpy as np

    cv2.SIFT_create().detect(np.zeros((400, 400), np.uint8), None)
    (np.ones((200, 200)) @ np.ones((200, 200))).sum()  # a product through OpenBLAS
    return len(list(Path("/proc/self/task").iterdir())) - threading.active_count()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="counts threads through /proc (Linux)")
def test_a_worker_loads_its_numerical_libraries_with_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # OpenBLAS starts a thread per core when NumPy loads, each reserving tens of MiB of address space:
    # on a CI machine of many cores a region search's worker passed its 1 GiB limit before reading.
    for name in processes.ONE_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    outcome = run_one(
        threads_after_loading, "load", Limits(stall_seconds=60, total_seconds=120, memory_bytes=None)
    )
    assert outcome.error is None, outcome.error
    assert outcome.result == 0
