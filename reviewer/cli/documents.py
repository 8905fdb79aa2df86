"""Commands on documents: list, show, unlock, tag, status, annotate, meta."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_OK, emit_json
from reviewer.cli.reading import describe_reading, read_after_import
from reviewer.cli.refs import doc_id
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.domain.names import shown, shown_line
from reviewer.core.domain.values import AnnotationKind, Rect, VerificationStatus
from reviewer.core.processes import start_workers_early

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from reviewer.core.domain.records import DocumentDetail

    Command = Callable[..., argparse.ArgumentParser]


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
        detail = queries.document_detail(case, doc_id(case, args.doc))
    if args.json:
        emit_json(detail)
    else:
        _print_detail(detail)
    if detail.summary.locked:
        from reviewer.core.domain.locked import DocumentLocked

        raise DocumentLocked(detail.summary.id)  # what is known is shown; its pages are not
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


def cmd_unlock(args: argparse.Namespace) -> int:
    start_workers_early()
    from reviewer.core.services.case import open_case
    from reviewer.core.services.unlock import unlock_document

    reading = None
    with open_case(Path(args.case)) as case:
        report = unlock_document(case, doc_id(case, args.doc), args.password)
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


def cmd_tag(args: argparse.Namespace) -> int:
    from reviewer.core.services import documents
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        tags = documents.tag_documents(case, [doc_id(case, args.doc)], args.tags, remove=args.remove)
    print(("removed " if args.remove else "tagged ") + ", ".join(tags))
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from reviewer.core.services import documents
    from reviewer.core.services.case import open_case

    status = VerificationStatus.parse(args.status)
    with open_case(Path(args.case)) as case:
        summary = documents.set_status(case, doc_id(case, args.doc), status, args.note)
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
        document = doc_id(case, args.doc)
        if rect is not None:
            record = documents.add_annotation(
                case, document, page=args.page, rect=rect, kind=kind, note=args.note, tags=args.tag or ()
            )
        else:
            record = documents.annotate_text(
                case,
                document,
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
        stored = documents.set_metadata(case, doc_id(case, args.doc), values)
    for name, value in stored.items():
        print(f"{name} = {value}" if value is not None else f"{name} cleared")
    return EXIT_OK


def add_commands(command: Command) -> None:
    """Add the document commands (``command`` makes a subcommand with a CASE argument)."""
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
