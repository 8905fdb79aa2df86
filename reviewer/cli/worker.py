"""The ``worker`` and ``jobs`` commands: workers of a shared case on any machine, and their queue."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_OK, emit_json
from reviewer.core.domain.names import shown_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Command = Callable[..., argparse.ArgumentParser]


def _say(line: str) -> None:
    print(f"reviewer worker: {shown_line(line)}", file=sys.stderr, flush=True)


def cmd_worker(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.team_worker import run_worker

    # procrastinate logs each failed job with its traceback: the job has said it in one line already
    logging.getLogger("procrastinate").setLevel(logging.CRITICAL)
    with open_case(Path(args.case)) as case:
        report = run_worker(
            case,
            concurrency=args.concurrency,
            stalled_after=args.stalled_after,
            until_empty=args.until_empty,
            say=_say,
        )
    _say(
        f"stopped: {report.read} page(s) read, {report.failed} failed, {report.already} read by "
        f"another worker first, {report.given_back} job(s) of stopped workers given back"
    )
    return EXIT_OK


def cmd_jobs(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.team_jobs import queue_status

    with open_case(Path(args.case)) as case:
        status = queue_status(case)
    if args.json:
        emit_json(status)
        return EXIT_OK
    print(f"workers seen in the last minute: {status.workers}")
    if not status.kinds:
        print("no jobs")
    for counts in status.kinds:
        print(
            f"{counts.kind}: {counts.waiting} waiting, {counts.running} running, "
            f"{counts.done} done, {counts.failed} failed"
        )
    return EXIT_OK


def add_commands(command: Command) -> None:
    """Register ``worker`` and ``jobs``."""
    p = command(
        "worker",
        cmd_worker,
        "take a shared case's reading jobs until stopped (Ctrl-C or SIGTERM finishes the current ones)",
    )
    p.add_argument("--concurrency", type=int, metavar="N", help="jobs at once (default: one per core)")
    p.add_argument(
        "--stalled-after",
        type=float,
        default=30.0,
        metavar="S",
        help="give back the jobs of a worker silent this many seconds (default 30)",
    )
    p.add_argument("--until-empty", action="store_true", help="stop once no job is left")
    p = command("jobs", cmd_jobs, "a shared case's job queue: waiting, running, done and failed jobs")
    p.add_argument("--json", action="store_true")
