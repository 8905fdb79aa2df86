"""Exports as jobs on a shared case's queue: an evidence bundle written by a worker on shared storage.

``reviewer export CASE OUT --workers queue`` (:func:`hand_over_export`) checks what it can where it is
asked (the documents chosen, OUT outside any case and not there yet, no queued export writing OUT
already) and puts one ``reviewer.export`` job on the queue. A worker runs the same export as a local
one (``services.export.export_bundle``): the bag is built in a scratch folder beside OUT (named
``.reviewer-…`` and named on the case's claim journal before it is made) and renamed to OUT at the
end; then the same custody entries as a local export, the bundle's naming the job and who asked.

- A worker killed mid-export leaves no OUT, only its scratch folder (swept by the next open of the
  case, as after a local export killed); the job, given back, exports again from the start.
- A job run again after its bundle was logged does nothing: the log names the job.
- OUT there when the job runs is refused in one line (the job fails, nothing written). A worker killed
  in the instant between the rename and the commit of its custody entries leaves OUT without them,
  and its retry refuses OUT; ``reviewer verify OUT`` still checks that bundle.
- OUT is a path on the workers' machines as given here: the folder must be mounted at the same path
  where the workers run.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from reviewer.core.domain.errors import UsageError
from reviewer.core.services.export import check_destination, export_bundle, select_documents
from reviewer.core.services.export_options import ExportOptions, ExportReport, zipped_if_named_so
from reviewer.core.services.team_jobs import (
    EXPORT_TASK,
    QUEUES,
    WorkersChoice,
    choose_workers,
    conninfo,
    defer_one,
    workers_seen,
)

if TYPE_CHECKING:
    from reviewer.core.services.case import Case


def hand_over_export(
    case: Case, out: Path, options: ExportOptions, workers: WorkersChoice | str
) -> int | None:
    """Queue the export for the workers when ``workers`` says so: the job's number; None to export here.

    As for reading: ``here`` or a local case, None; ``auto``, the queue when a worker was seen lately;
    ``queue`` on a local case, a usage error.
    """
    choice = choose_workers(case, workers)
    if choice is WorkersChoice.HERE or not case.db.shared:
        return None
    if choice is WorkersChoice.AUTO and workers_seen(case) == 0:
        return None
    return enqueue_export(case, out, options)


def enqueue_export(case: Case, out: Path, options: ExportOptions) -> int:
    """Put one export job on the queue (after the checks a local export makes first); its number."""
    conninfo(case)  # a local case: one line saying it has no queue
    options = zipped_if_named_so(Path(out), options)
    if options.remove_tracking_dots and not options.redact:
        raise UsageError(
            "removing printer tracking dots is for a publication bundle: add --redact, or leave it out"
        )
    target = check_destination(case, Path(out))
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{out} already exists; choose a new name for the bundle")
    ids = select_documents(case, options)  # the documents as chosen now, not when a worker gets to it
    with case.db.reading() as session:
        queued = session.execute(
            text(
                "SELECT 1 FROM procrastinate_jobs WHERE task_name = :t AND status IN ('todo', 'doing')"
                " AND args->>'out' = :o LIMIT 1"
            ),
            {"t": EXPORT_TASK, "o": str(target)},
        ).first()
    if queued is not None:
        raise UsageError(f"an export waiting on the queue writes {out} already; choose a new name")
    chosen = {**asdict(options), "docs": list(ids), "tag": None, "status": None}
    return defer_one(
        case, EXPORT_TASK, QUEUES[2], {"out": str(target), "options": chosen, "asked_by": case.actor}
    )


def run_export_job(
    case: Case, job: int, out: str, options: dict[str, Any], asked_by: str
) -> ExportReport | None:
    """Run the queue's export job ``job``; None if its bundle is on the custody log already."""
    if exported_by_job(case, job):
        return None
    chosen = ExportOptions(**{**options, "docs": tuple(int(d) for d in options["docs"])})
    return export_bundle(case, Path(out), chosen, logged_with={"job": job, "asked_by": asked_by})


def exported_by_job(case: Case, job: int) -> bool:
    """Whether the queue's export job ``job`` has its bundle's custody entry already."""
    with case.db.reading() as session:
        found = session.execute(
            text(
                "SELECT 1 FROM custody_event WHERE action = 'bundle_exported'"
                " AND CAST(after_json AS jsonb) ->> 'job' = :j LIMIT 1"
            ),
            {"j": str(job)},
        ).first()
    return found is not None
