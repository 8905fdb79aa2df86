"""The ``import`` command: files and folders into a case, byte for byte, then their pages read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, StatusLine, emit_json
from reviewer.cli.reading import add_workers_option, describe_reading, read_after_import
from reviewer.core.domain.names import path_str, shown, shown_line
from reviewer.core.processes import start_workers_early

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from reviewer.core.domain.records import ImportProgress, ImportReport

    Command = Callable[..., argparse.ArgumentParser]


class _ProgressBar(StatusLine):
    """The import's progress: a bar, counts, and the file being read."""

    def __call__(self, progress: ImportProgress) -> None:
        width = 30
        filled = width * progress.done // max(progress.total, 1)
        name = shown(Path(path_str(progress.current)).name) if progress.current else ""
        self.show(
            f"[{'#' * filled}{'.' * (width - filled)}] {progress.done}/{progress.total}"
            f"  new {progress.imported}  known {progress.duplicates}  refused {progress.failed}  {name[:40]}"
        )


def cmd_import(args: argparse.Namespace) -> int:
    # the fork server boots on the other core while the services load and the case opens
    start_workers_early()
    from reviewer.core.domain.values import checked_optional
    from reviewer.core.ingest.reading import OcrMode
    from reviewer.core.services import importing
    from reviewer.core.services.case import open_case

    options = importing.ImportOptions(
        source=checked_optional("the source", args.source),  # before anything is imported
        received_on=args.received,
        password=args.password,
        processes=args.jobs,
        # pages whose text layer decides their reading are read as they are recorded: only the pages
        # to OCR wait for the reading below
        read_as=None if args.ocr_later else OcrMode.parse(args.ocr),
    )
    bar = _ProgressBar()
    reading = None
    with open_case(Path(args.case)) as case:
        if not args.ocr_later:
            from reviewer.core.services.team_jobs import choose_workers

            choose_workers(case, args.workers)  # queue on a local case: said before importing
        try:
            report = importing.import_paths(case, [Path(p) for p in args.paths], options, on_progress=bar)
        finally:
            bar.finish()
        if not args.ocr_later and report.imported:
            # Import's own output first: the files are in the case whatever becomes of OCR.
            if not args.json:
                _print_import(report)
            readable = [i.id for i in report.imported if not i.locked]  # a locked one waits for `unlock`
            reading = (
                read_after_import(case, readable, args.ocr, args.languages, args.workers)
                if readable
                else None
            )
            if reading is not None:  # what the import read is part of what was read
                reading.pages += report.pages_read
                reading.skipped += report.pages_skipped
        elif not args.json:
            _print_import(report)
    if args.json:
        emit_json(
            {
                "imported": report.imported,
                "duplicates": report.duplicates,
                "failed": report.failed,
                "reading": reading,
            }
        )
    elif reading is not None:
        describe_reading(reading)
    return EXIT_OK if report.ok else EXIT_FAILED


def _print_import(report: ImportReport) -> None:
    for item in report.imported:
        if item.locked:
            print(f"locked    {item.id:>5}  {item.sha256[:12]}           {shown(item.path)}")
            continue
        print(f"imported  {item.id:>5}  {item.sha256[:12]}  {item.pages:>4} p.  {shown(item.path)}")
        for warning in item.warnings:
            print(f"warning   {shown(Path(item.path).name)}: {shown_line(warning)}")
    for dup in report.duplicates:
        print(f"known     {dup.id:>5}  {dup.sha256[:12]}           {shown(dup.path)}")
    for fail in report.failed:
        print(f"refused   {shown(fail.path)}: {shown_line(fail.error)}")
    note = " (cancelled)" if report.cancelled else ""
    if report.not_imported:
        note = f"; the disk is full: {report.not_imported} files not imported"
    locked = sum(1 for item in report.imported if item.locked)
    if locked:
        print("locked: encrypted, password not known; open with: reviewer unlock CASE ID --password PW")
    print(
        f"{len(report.imported)} imported{f' ({locked} locked)' if locked else ''}, "
        f"{len(report.duplicates)} already in the case, "
        f"{len(report.failed)} refused{note}"
    )


def add_commands(command: Command) -> None:
    """Add the ``import`` command (``command`` makes a subcommand with a CASE argument)."""
    p = command("import", cmd_import, "import files and folders into a case, byte for byte")
    p.add_argument("paths", metavar="PATH", nargs="+")
    p.add_argument("--source", help="where the files came from (a person, a channel, a leak's name)")
    p.add_argument("--received", metavar="YYYY-MM-DD", help="the day the files were received")
    p.add_argument("--password", metavar="PW", help="password for encrypted files")
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: one per core)")
    p.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help="OCR pages without usable text (auto, the default), every page, or none",
    )
    p.add_argument("--languages", metavar="L", help="OCR languages for this import, e.g. bel+rus")
    add_workers_option(p)
    p.add_argument(
        "--ocr-later",
        action="store_true",
        help="do not wait for reading and OCR; the window or 'reviewer ocr' does it later",
    )
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
