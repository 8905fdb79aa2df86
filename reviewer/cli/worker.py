"""``worker``, ``jobs`` and ``features``: workers of a shared case on any machine, their queue, and
region features built ahead (by the queue's workers, or here)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, emit_json
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
        f"another worker first, {report.given_back} job(s) of stopped workers given back; "
        f"region features of {report.features_built} page(s) built, {report.features_current} current "
        f"already; {report.exported} bundle(s) exported"
    )
    return EXIT_OK


def cmd_features(args: argparse.Namespace) -> int:
    from reviewer.cli.refs import doc_id
    from reviewer.core.services.case import open_case
    from reviewer.core.services.region_features import build_region_features, every_document
    from reviewer.core.services.team_jobs import hand_over_features

    with open_case(Path(args.case)) as case:
        ids = [doc_id(case, d) for d in args.docs] if args.docs else every_document(case)
        queued = hand_over_features(case, ids, args.workers)
        if queued is not None:
            print(
                f"{queued} document(s) queued for their region features "
                f"({len(ids) - queued} waiting already); 'reviewer jobs CASE' shows how far the workers are"
            )
            return EXIT_OK
        reports = build_region_features(case, ids, processes=args.jobs)
    failed = [line for r in reports for line in r.failed]
    for line in failed:
        print(f"failed  {shown_line(line)}")
    built = sum(r.built for r in reports)
    current = sum(r.current for r in reports)
    undrawable = sum(r.undrawable for r in reports)
    print(
        f"region features of {len(reports)} document(s): {built} page(s) built, {current} current "
        f"already, {undrawable} could not be drawn, {len(failed)} batch(es) failed"
    )
    return EXIT_OK if not failed else EXIT_FAILED


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
    """Register ``worker``, ``jobs`` and ``features``."""
    p = command(
        "worker",
        cmd_worker,
        "take a shared case's jobs (reading, region features, exports) until stopped "
        "(Ctrl-C or SIGTERM finishes the current ones)",
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
    p = command(
        "features",
        cmd_features,
        "build the region-search features of documents ahead (on a shared case: by its workers)",
    )
    p.add_argument("docs", metavar="DOC", nargs="*", help="only these documents (default: the whole case)")
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes here (default: one per core)")
    p.add_argument(
        "--workers",
        choices=("queue", "here", "auto"),
        default="auto",
        help="on a shared case: one job per document for 'reviewer worker' (queue), build them here, "
        "or queue them when a worker was seen in the last minute (auto, the default)",
    )
    p = command("jobs", cmd_jobs, "a shared case's job queue: waiting, running, done and failed jobs")
    p.add_argument("--json", action="store_true")
