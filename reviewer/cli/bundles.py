"""Commands that carry evidence between people: export and import-bundle (check-publication is in
``reviewer.cli.publication``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, emit_json
from reviewer.core.domain.names import shown, shown_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Command = Callable[..., argparse.ArgumentParser]


def cmd_export(args: argparse.Namespace) -> int:
    from reviewer.cli.refs import doc_id
    from reviewer.core.services.case import open_case
    from reviewer.core.services.export import ExportOptions, export_bundle
    from reviewer.core.services.team_exports import hand_over_export

    with open_case(Path(args.case)) as case:
        options = ExportOptions(
            docs=[doc_id(case, ref) for ref in args.doc or ()],
            tag=args.tag,
            status=args.status,
            redact=args.redact,
            zip=args.zip,
            remove_tracking_dots=args.remove_tracking_dots,
            check_publication=args.redact,
        )
        job = hand_over_export(case, Path(args.out), options, args.workers)
        if job is None:
            report = export_bundle(case, Path(args.out), options)
    if job is not None:
        if args.json:
            emit_json({"queued_job": job, "out": args.out})
        else:
            print(
                f"export to {shown(args.out)} queued as job {job} for the case's workers "
                "('reviewer jobs CASE' shows how far they are)"
            )
        return EXIT_OK
    if args.json:
        emit_json(report)
    else:
        for problem in report.problems:
            for line in (*problem.warnings, *(f"missing: {m}" for m in problem.missing)):
                print(f"warning   {problem.id}  {shown(problem.name)}: {shown_line(line)}")
        for line in report.left_out:
            print(f"left out  {shown_line(line)}")
        redacted = f", {len(report.redacted)} redacted" if report.redacted else ""
        print(
            f"exported {report.documents} document(s){redacted} to {shown(str(report.path))} "
            f"({report.payload_bytes:,} bytes of payload); "
            f"check it with: reviewer verify {shown(str(report.path))}"
        )
        if report.findings is not None:
            for finding in report.findings:
                print(f"warning   {shown_line(finding.line())}")
            print(
                f"checked: {len(report.findings)} thing(s) that could identify a source; run "
                f"reviewer check-publication {shown(str(report.path))} for details"
                if report.findings
                else "checked: nothing found that could identify a source"
            )
    return EXIT_OK


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.exchange import import_bundle

    with open_case(Path(args.case)) as case:
        report = import_bundle(case, Path(args.bundle))
    if args.json:
        emit_json(report)
    else:
        print(
            f"merged {shown(str(report.bundle))}: {len(report.new_documents)} new document(s), "
            f"{len(report.matched_documents)} already here, {report.annotations_added} annotation(s) added, "
            f"{report.entries_added} custody entries appended"
        )
        for conflict in report.conflicts:
            print(f"CONFLICT  {shown_line(conflict)}")
        for failure in report.failed:
            print(f"refused   {shown(failure.path)}: {shown_line(failure.error)}")
    return EXIT_OK if not report.failed else EXIT_FAILED


def add_commands(command: Command) -> None:
    """Add export and import-bundle (``command`` makes a subcommand with a CASE argument)."""
    p = command("export", cmd_export, "export an evidence bundle (a BagIt bag) anyone can verify")
    p.add_argument(
        "out", metavar="OUT", help="the bundle to write: a new folder, or a zip when OUT ends in .zip"
    )
    p.add_argument("--zip", action="store_true", help="write a zip of the bag, named OUT as given")
    p.add_argument("--doc", action="append", metavar="DOC", help="only this document (repeat for more)")
    p.add_argument("--tag", metavar="T", help="only documents with this tag")
    p.add_argument("--status", metavar="S", help="only documents with this status")
    p.add_argument(
        "--redact",
        action="store_true",
        help="carry cleaned, redacted copies, for publication; the finished bundle is then checked as "
        "check-publication does, with a warning line per finding (the exit status stays 0: run "
        "reviewer check-publication OUT for details)",
    )
    p.add_argument(
        "--remove-tracking-dots",
        action="store_true",
        help="with --redact: paint printer tracking dots out of the cleaned copies' colour page images "
        "(those images are re-encoded: JPEG at quality 95, others losslessly)",
    )
    p.add_argument(
        "--workers",
        choices=("queue", "here", "auto"),
        default="here",
        help="on a shared case: write the bundle here (the default), hand it to 'reviewer worker' "
        "(queue: OUT must be a folder the workers see at the same path), or queue it when a worker "
        "was seen in the last minute (auto)",
    )
    p.add_argument("--json", action="store_true")

    p = command(
        "import-bundle", cmd_import_bundle, "merge another fact-checker's evidence bundle into a case"
    )
    p.add_argument("bundle", metavar="BUNDLE", help="a bundle folder or zip")
    p.add_argument("--json", action="store_true")
