"""The command line: thin. Every command asks a service in ``reviewer.core.services`` to do the work."""

from __future__ import annotations

import argparse
import os
import select
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from reviewer import __version__
from reviewer.cli.forensics import add_commands as add_forensics_commands
from reviewer.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, StatusLine, emit_json
from reviewer.cli.provenance import add_commands as add_provenance_commands
from reviewer.cli.publication import add_commands as add_publication_commands
from reviewer.cli.reading import add_commands, describe_reading, read_after_import
from reviewer.core.domain.errors import IntegrityError, ReviewerError, UsageError
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.domain.names import path_str, shown, shown_line
from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus
from reviewer.core.processes import start_workers_early

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.domain.records import DocumentDetail, ImportProgress, ImportReport


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


# -- commands -----------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import create_case

    with create_case(Path(args.case), title=args.title) as case:
        print(f"created case {case.title!r} at {shown(str(case.root))}")
    return EXIT_OK


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
    from reviewer.core.services import importing
    from reviewer.core.services.case import open_case

    options = importing.ImportOptions(
        source=args.source, received_on=args.received, password=args.password, processes=args.jobs
    )
    bar = _ProgressBar()
    reading = None
    with open_case(Path(args.case)) as case:
        try:
            report = importing.import_paths(case, [Path(p) for p in args.paths], options, on_progress=bar)
        finally:
            bar.finish()
        if not args.ocr_later and report.imported:
            # Import's own output first: the files are in the case whatever becomes of OCR.
            if not args.json:
                _print_import(report)
            readable = [i.id for i in report.imported if not i.locked]  # a locked one waits for `unlock`
            reading = read_after_import(case, readable, args.ocr, args.languages) if readable else None
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


def cmd_list(args: argparse.Namespace) -> int:
    from reviewer.core.services import queries
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        rows = queries.list_documents(case)
    if args.json:
        emit_json(rows)
        return EXIT_OK
    if not rows:
        print("no documents yet (add some with: reviewer import CASE PATH...)")
        return EXIT_OK
    print(f"{'id':>5}  {'sha256':12}  {'pages':>5}  {'status':11}  {'date':10}  {'type':16}  title")
    for row in rows:
        tags = shown_line(f"  [{', '.join(row.tags)}]") if row.tags else ""
        kind = (row.doc_type or "").replace("_", " ")
        pages = "locked" if row.locked else row.page_count
        print(
            f"{row.id:>5}  {row.sha256[:12]}  {pages:>5}  {row.status.value:11}  "
            f"{row.document_date or '':10}  {kind:16}  {shown(row.display_name)}{tags}"
        )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from reviewer.core.services import queries
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        detail = queries.document_detail(case, args.doc)
    if args.json:
        emit_json(detail)
    else:
        _print_detail(detail)
    if detail.summary.locked:
        from reviewer.core.domain.locked import DocumentLocked

        raise DocumentLocked(detail.summary.id)  # what is known is shown; its pages are not
    return EXIT_OK


def cmd_unlock(args: argparse.Namespace) -> int:
    start_workers_early()
    from reviewer.core.services.case import open_case
    from reviewer.core.services.unlock import unlock_document

    reading = None
    with open_case(Path(args.case)) as case:
        report = unlock_document(case, args.doc, args.password)
        if not report.was_locked:
            if not args.json:
                print(f"document {report.id} is not locked; nothing to do")
        else:
            if not args.json:
                print(f"unlocked  {report.id:>5}  {report.sha256[:12]}  {report.pages:>4} p.")
            if not args.ocr_later:
                reading = read_after_import(case, [report.id], args.ocr, args.languages)
    if args.json:
        emit_json({"unlocked": report, "reading": reading})
    elif reading is not None:
        describe_reading(reading)
    return EXIT_OK


def _print_detail(d: DocumentDetail) -> None:
    s = d.summary
    print(f"document {s.id}: {shown(s.display_name)}")
    print(f"  sha256            {s.sha256}")
    print(f"  file              {s.media_type}, {d.file_format}, {s.size:,} bytes, {s.page_count} page(s)")
    print(f"  status            {s.status.value}" + (f": {d.status_note}" if d.status_note else ""))
    print(f"  tags              {', '.join(s.tags) if s.tags else '-'}")
    for name, value in {**d.fields, **d.free_fields}.items():
        print(f"  {name:<18}{value}")
    for label, value in file_facts(d.file_metadata):
        print(f"  {label:<18}{value}")
    print("sightings:")
    for sg in d.sightings:
        facts = (("source", sg.source), ("received", sg.received_on), ("modified", sg.modified_at))
        extra = "".join(f", {label} {value}" for label, value in facts if value)
        print(
            f"  {shown(sg.original_path)} ({sg.size:,} bytes{shown_line(extra)}); "
            f"imported by {sg.imported_by} {sg.imported_at}"
        )
    print("pages:")
    for page in d.pages:
        label = f" [{page.label}]" if page.label else ""
        rotation = f", rotated {page.rotation}" if page.rotation else ""
        print(
            f"  {page.number:>4}{label}: {page.width:g} x {page.height:g} pt{rotation}, "
            f"{page.text_length:,} characters of text"
        )
    print("annotations:" if d.annotations else "annotations: none")
    for a in d.annotations:
        tags = f" [{', '.join(a.tags)}]" if a.tags else ""
        note = f": {a.note}" if a.note else ""
        print(f"  {a.id}  p.{a.page} {a.kind.value} at {a.x0:g},{a.y0:g},{a.x1:g},{a.y1:g}{tags}{note}")
    print("custody log:")
    for e in d.custody:
        print(f"  {e.at}  {e.actor}  {e.action}: {shown_line(e.summary)}")


def cmd_tag(args: argparse.Namespace) -> int:
    from reviewer.core.services import documents
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        tags = documents.tag_documents(case, [args.doc], args.tags, remove=args.remove)
    print(("removed " if args.remove else "tagged ") + ", ".join(tags))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from reviewer.core.services import documents
    from reviewer.core.services.case import open_case

    status = VerificationStatus.parse(args.status)
    with open_case(Path(args.case)) as case:
        summary = documents.set_status(case, args.doc, status, args.note)
    print(f"document {summary.id} is now {summary.status.value}")
    return EXIT_OK


def cmd_annotate(args: argparse.Namespace) -> int:
    from reviewer.core.services import documents
    from reviewer.core.services.case import open_case

    if args.occurrence is not None and args.text is None:
        raise UsageError("--occurrence goes with --text")
    if args.occurrence is not None and args.occurrence < 1:
        raise UsageError(f"--occurrence counts from 1, not {args.occurrence}")
    rect = Rect.parse(args.rect) if args.rect is not None else None
    kind = AnnotationKind.parse(args.kind)
    with open_case(Path(args.case)) as case:
        if rect is not None:
            record = documents.add_annotation(
                case, args.doc, page=args.page, rect=rect, kind=kind, note=args.note, tags=args.tag or ()
            )
        else:
            record = documents.annotate_text(
                case,
                args.doc,
                page=args.page,
                text=args.text,
                occurrence=args.occurrence,
                kind=kind,
                note=args.note,
                tags=args.tag or (),
            )
    if args.json:
        emit_json(record)
    else:
        words = f" on the words {record.quote.exact!r}" if record.quote is not None else ""
        print(f"annotation {record.id} ({record.kind.value}) on page {record.page}{words}")
    return EXIT_OK


def cmd_meta(args: argparse.Namespace) -> int:
    from reviewer.core.services import documents
    from reviewer.core.services.case import open_case

    values: dict[str, str] = {}
    for item in args.assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"write each field as FIELD=VALUE, not {item!r}")
        values[name] = value
    with open_case(Path(args.case)) as case:
        stored = documents.set_metadata(case, args.doc, values)
    for name, value in stored.items():
        print(f"{name} = {value}" if value is not None else f"{name} cleared")
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    return _window(case=Path(args.case))


def cmd_demo(args: argparse.Namespace) -> int:
    from reviewer.core.services.demo import build_demo_case, default_demo_location

    root = Path(args.case) if args.case else default_demo_location()
    if not (root / "reviewer.sqlite").exists():
        print(f"building the demo case at {root} …", file=sys.stderr)
        build_demo_case(root).close()
    if args.no_window:
        # The window reads pages in the background; here, as after an import, the command waits.
        from reviewer.core.services.case import open_case

        with open_case(root) as case:
            describe_reading(read_after_import(case, None, "auto", None))
        print(f"the demo case is at {root}; list it with: reviewer list {root}")
        return EXIT_OK
    return _window(demo=root)


def _window(*, case: Path | None = None, demo: Path | None = None, smoke_test: bool = False) -> int:
    try:
        from reviewer.ui.app import run
    except ImportError as exc:  # a headless install without Qt: the command line still works
        raise UsageError(f"the window needs PySide6, which cannot be loaded here ({exc})") from None
    return run(case, demo=demo, smoke_test=smoke_test)


def cmd_verify(args: argparse.Namespace) -> int:
    from reviewer.core.services import fixity
    from reviewer.core.services.case import open_case

    target = Path(args.case)
    if not (target / "reviewer.sqlite").exists() and target.exists():
        return _verify_bundle(target, as_json=args.json)
    with open_case(target) as case:
        report = fixity.verify_case(case, head=args.head)
        read_only = case.read_only
    if read_only is not None:
        print(f"reviewer: not recorded on the custody log: {read_only}", file=sys.stderr)
    if args.json:
        emit_json(report)
    else:
        for problem in report.problems:
            print(f"PROBLEM  {shown_line(problem.problem)}")
        verdict = "all as recorded" if report.ok else f"{len(report.problems)} problem(s)"
        print(f"{report.checked} original(s), {report.bytes_checked:,} bytes re-hashed: {verdict}")
        print(f"custody chain head: entry {report.head_entry}, sha256 {report.head_hash}")
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_repair(args: argparse.Namespace) -> int:
    from reviewer.core.services.repair import repair_case

    report = repair_case(Path(args.case), to=Path(args.to) if args.to else None, force=args.force)
    if args.json:
        emit_json(report)
        return EXIT_OK if report.ok else EXIT_FAILED
    for table in report.tables:
        if table.recovered or table.from_backup or table.lost:
            backup = f", {table.from_backup} from the backup" if table.from_backup else ""
            print(f"recovered {table.recovered:>7} row(s){backup}  {table.table}")
    for lost in report.lost:
        print(f"LOST      {lost}")
    for problem in report.chain_problems:
        print(f"PROBLEM   {problem}")
    if report.backup_used:
        print(f"rows the damaged file no longer gave were taken from the backup {report.backup_used}")
    if report.integrity != "ok":
        print(f"PROBLEM   the new database is not sound: {report.integrity}")
    if report.damaged_kept_as:
        print(f"the damaged database is kept as {report.damaged_kept_as}")
    print(
        f"repaired case at {report.case}"
        + (" (nothing was lost)" if not report.lost else f"; {len(report.lost)} unreadable range(s) lost")
    )
    print(f"check it next with: reviewer verify {report.case}, then 'reviewer list' for what is missing")
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_accept_restore(args: argparse.Namespace) -> int:
    from reviewer.core.services import fixity
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        replaced, head = fixity.accept_restored_database(case)
    print(
        f"recorded on the custody log: the database was put back from an older copy "
        f"(the log it replaced reached entry {replaced.entry_id}, sha256 {replaced.entry_hash})"
    )
    print(f"custody chain head: entry {head.entry_id}, sha256 {head.entry_hash}")
    return EXIT_OK


def cmd_quarantine(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.quarantine import quarantine_unexplained

    with open_case(Path(args.case)) as case:
        report = quarantine_unexplained(case, dry_run=args.dry_run)
    if args.json:
        emit_json(report)
    elif not report.found:
        print("every file in the store is recorded by a document: nothing to move")
    elif report.dry_run:
        for found in report.found:
            print(f"would move  {shown(found)}")
        print(
            f"{len(report.found)} file(s) the database does not explain; run without --dry-run to move them"
        )
    else:
        for found, moved in zip(report.found, report.moved_to, strict=True):
            print(f"moved  {shown(found)}  ->  {shown(moved)}")
        print(f"{len(report.found)} file(s) moved to quarantine (nothing was removed)")
    return EXIT_OK


def _verify_bundle(bundle: Path, *, as_json: bool) -> int:
    from reviewer.core.services.exchange import verify_bundle

    problems = verify_bundle(bundle)
    if as_json:
        emit_json({"bundle": str(bundle), "valid": not problems, "problems": problems})
    else:
        for problem in problems:
            print(f"PROBLEM  {shown_line(problem)}")
        print(
            f"{shown(str(bundle))}: "
            + (
                "a valid bag; every file is as its manifest says"
                if not problems
                else f"{len(problems)} problem(s)"
            )
        )
    return EXIT_OK if not problems else EXIT_FAILED


def cmd_export(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.export import ExportOptions, export_bundle

    options = ExportOptions(
        docs=args.doc or (), tag=args.tag, status=args.status, redact=args.redact, zip=args.zip
    )
    with open_case(Path(args.case)) as case:
        report = export_bundle(case, Path(args.out), options)
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


# -- parser -------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The ``reviewer`` command and its subcommands."""
    parser = _Parser(prog="reviewer", description="Offline verification of leaked documents.")
    parser.add_argument("--version", action="version", version=f"reviewer {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the demo case offscreen-ready, exit 0 once a page is drawn",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], text: str, *, case: str = "required"
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=text, description=text)
        p.set_defaults(handler=handler)
        if case == "required":
            p.add_argument("case", metavar="CASE", help="the case folder")
        else:
            p.add_argument("case", metavar="CASE", nargs="?", help=case)
        return p

    command("open", cmd_open, "open a case in the window")
    p = command(
        "demo",
        cmd_demo,
        "build the demo case (once) and open it",
        case="where the demo case lives (default: ~/reviewer-demo)",
    )
    p.add_argument("--no-window", action="store_true", help="only build it")

    p = command("init", cmd_init, "create a new case folder")
    p.add_argument("--title", help="the case's title (default: the folder's name)")

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
    p.add_argument(
        "--ocr-later",
        action="store_true",
        help="do not wait for reading and OCR; the window or 'reviewer ocr' does it later",
    )
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")

    p = command("list", cmd_list, "list the documents of a case")
    p.add_argument("--json", action="store_true")

    p = command("show", cmd_show, "show everything known about a document")
    p.add_argument("doc", metavar="DOC", help="an id from 'list' or 8+ hex digits of the SHA-256")
    p.add_argument("--json", action="store_true")

    p = command("unlock", cmd_unlock, "open a locked document (encrypted, imported without its password)")
    p.add_argument("doc", metavar="DOC", help="an id from 'list' or 8+ hex digits of the SHA-256")
    p.add_argument("--password", metavar="PW", required=True, help="the document's password")
    p.add_argument(
        "--ocr",
        choices=("auto", "always", "never"),
        default="auto",
        help="OCR pages without usable text (auto, the default), every page, or none",
    )
    p.add_argument("--languages", metavar="L", help="OCR languages, e.g. bel+rus")
    p.add_argument("--ocr-later", action="store_true", help="do not wait for reading and OCR")
    p.add_argument("--json", action="store_true")

    p = command("tag", cmd_tag, "add tags to a document (or remove them)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("tags", metavar="TAG", nargs="+")
    p.add_argument("--remove", action="store_true", help="remove the tags instead")

    statuses = ", ".join(s.value for s in VerificationStatus)
    p = command("status", cmd_status, f"set a document's verification status ({statuses})")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("status", metavar="STATUS", help=statuses)
    p.add_argument("--note", required=True, help="the rationale for this status")

    p = command("annotate", cmd_annotate, "mark a region of a page, or words on it")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--page", type=int, required=True, help="page number, from 1")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--rect",
        metavar="x0,y0,x1,y1",
        help="PDF points from the top-left of the unrotated page",
    )
    where.add_argument(
        "--text",
        metavar="WORDS",
        help="the words to annotate, as on the page (text layer or OCR; case and punctuation aside)",
    )
    p.add_argument(
        "--occurrence", type=int, metavar="K", help="with --text: the K-th place the page has those words"
    )
    p.add_argument("--note")
    p.add_argument("--kind", default="note", help="note (default) or redaction")
    p.add_argument("--tag", action="append", metavar="T", help="a tag (repeat for more)")
    p.add_argument("--json", action="store_true")

    p = command(
        "meta",
        cmd_meta,
        "set document fields: title, type, date, reference_number, issuer, recipient, language, "
        "or any free field; FIELD= clears one",
    )
    p.add_argument("doc", metavar="DOC")
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")

    p = command(
        "verify",
        cmd_verify,
        "re-hash every original of a case and check its custody log; or verify an evidence bundle",
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--head", metavar="HASH", help="a chain head noted earlier: it must still be in the log")

    p = command(
        "repair",
        cmd_repair,
        "build a sound database for a damaged case from what can still be read and its newest backup "
        "(the damaged file is kept, never written)",
    )
    p.add_argument("--to", metavar="NEW_CASE", help="repair into a new case folder; leave this one untouched")
    p.add_argument(
        "--force", action="store_true", help="rebuild the database even when it opens and checks sound"
    )
    p.add_argument("--json", action="store_true")

    command(
        "accept-restore",
        cmd_accept_restore,
        "record that the case database was put back from an older copy on purpose (verify said the "
        "log no longer reaches its recorded head)",
    )

    p = command(
        "quarantine",
        cmd_quarantine,
        "move files in the store that no document records to CASE/quarantine/ (never removes them)",
    )
    p.add_argument("--dry-run", action="store_true", help="only list them")
    p.add_argument("--json", action="store_true")

    p = command("export", cmd_export, "export an evidence bundle (a BagIt bag) anyone can verify")
    p.add_argument(
        "out", metavar="OUT", help="the bundle to write: a new folder, or a zip when OUT ends in .zip"
    )
    p.add_argument("--zip", action="store_true", help="write a zip of the bag, named OUT as given")
    p.add_argument("--doc", action="append", metavar="DOC", help="only this document (repeat for more)")
    p.add_argument("--tag", metavar="T", help="only documents with this tag")
    p.add_argument("--status", metavar="S", help="only documents with this status")
    p.add_argument("--redact", action="store_true", help="carry redacted copies, for publication")
    p.add_argument("--json", action="store_true")

    p = command(
        "import-bundle", cmd_import_bundle, "merge another fact-checker's evidence bundle into a case"
    )
    p.add_argument("bundle", metavar="BUNDLE", help="a bundle folder or zip")
    p.add_argument("--json", action="store_true")

    add_commands(command)
    add_forensics_commands(command)
    add_provenance_commands(command)
    add_publication_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 something failed, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            # no command: the window, on the last case or the welcome screen
            return _window(smoke_test=args.smoke_test)
        code = int(args.handler(args))
        sys.stdout.flush()  # a reader that went away (``| head``) shows here, not as a message at exit
        return code
    except UsageError as exc:
        print(f"reviewer: error: {shown_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except IntegrityError as exc:
        print(f"reviewer: {shown_line(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except ReviewerError as exc:
        # the request was sound, the case or the bundle could not do it: a failure, not a usage error
        print(f"reviewer: error: {shown_line(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("reviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError as exc:
        if not _stdout_gone():
            return _unexpected(exc)
        # As the Python docs advise: point standard output at nothing so that the interpreter's last
        # flush stays quiet, and end as other Unix tools do when their reader closes the pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE_CLOSED
    except Exception as exc:  # noqa: BLE001  (a journalist gets one line; developers set REVIEWER_DEBUG)
        return _unexpected(exc)


#: 128 + SIGPIPE, what a Unix tool killed by a closed pipe reports
EXIT_PIPE_CLOSED = 141


def _unexpected(exc: Exception) -> int:
    if os.environ.get("REVIEWER_DEBUG"):
        traceback.print_exc()
    print(
        f"reviewer: unexpected error: {type(exc).__name__}: {shown_line(str(exc))} "
        "(set REVIEWER_DEBUG=1 for details)",
        file=sys.stderr,
    )
    return EXIT_FAILED


def _stdout_gone() -> bool:
    """Whether standard output is a pipe whose reader has closed it (not some other broken pipe)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _fd, events in poller.poll(0))
