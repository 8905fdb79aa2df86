"""Commands that read and connect documents: OCR, search, entities, the watch-list, links."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, StatusLine, emit_json
from reviewer.cli.refs import doc_id
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import LinkRelation

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

    from reviewer.core.services.case import Case
    from reviewer.core.services.reading import ReadProgress, ReadReport

    Command = Callable[..., argparse.ArgumentParser]


class _ReadingBar(StatusLine):
    """Pages read, OCR'd, and the time left."""

    def __call__(self, p: ReadProgress) -> None:
        if p.pages_total:
            eta = f", about {p.eta:.0f} s left" if p.eta is not None and p.pages_done else ""
            self.show(f"reading pages: {p.pages_done}/{p.pages_total}, OCR {p.ocr_done}{eta}")


def read_after_import(
    case: Case, ids: Sequence[int] | None, mode: str, languages: str | None, workers: str = "auto"
) -> ReadReport:
    """Read (and OCR) the pages of documents just imported (None: every page unread), with a progress line.

    ``workers`` (queue, here, auto): who OCRs the pages of a shared case (``read_pages``).
    """
    from reviewer.core.ingest.reading import OcrMode
    from reviewer.core.services.reading import read_pages

    bar = _ReadingBar()
    try:
        return read_pages(
            case, ids, mode=OcrMode.parse(mode), languages=languages, on_progress=bar, workers=workers
        )
    finally:
        bar.finish()


def add_workers_option(parser: argparse.ArgumentParser) -> None:
    """``--workers queue|here|auto``: who OCRs the pages of a shared case."""
    parser.add_argument(
        "--workers",
        choices=("queue", "here", "auto"),
        default="auto",
        help="on a shared case: hand the pages to OCR to 'reviewer worker' (queue), OCR them here, "
        "or queue them when a worker was seen in the last minute (auto, the default)",
    )


def describe_reading(report: ReadReport) -> None:
    """Say what reading did, on stdout; the missing-Tesseract hint once, on stderr."""
    from reviewer.core.ingest.tesseract import INSTALL_HINT

    for failure in report.failed:
        print(f"OCR failed  {failure}")
    note = " (cancelled)" if report.cancelled else ""
    print(f"{report.pages} page(s) read, {report.ocr} by OCR, {len(report.failed)} failed{note}")
    if report.queued:
        print(
            f"{report.queued} page(s) queued for OCR by the case's workers "
            "('reviewer jobs CASE' shows how far they are)"
        )
    if report.ocr_missing:
        print(
            f"reviewer: OCR is off because Tesseract is not installed ({INSTALL_HINT}); "
            f"{report.skipped} page(s) without text wait for it: run 'reviewer ocr CASE' once it is",
            file=sys.stderr,
        )


def cmd_ocr(args: argparse.Namespace) -> int:
    from reviewer.core.ingest.reading import OcrMode
    from reviewer.core.services.case import open_case
    from reviewer.core.services.reading import read_pages

    mode = OcrMode.parse(args.mode) if args.mode else (OcrMode.ALWAYS if args.force else None)
    bar = _ReadingBar()
    with open_case(Path(args.case)) as case:
        try:
            report = read_pages(
                case,
                [doc_id(case, d) for d in args.docs] if args.docs else None,
                mode=mode,
                languages=args.languages,
                force=args.force,
                asked=True,
                processes=args.jobs,
                on_progress=bar,
                workers=args.workers,
            )
        finally:
            bar.finish()
    if args.json:
        emit_json(report)
    else:
        describe_reading(report)
    return EXIT_OK if not report.failed else EXIT_FAILED


def cmd_search(args: argparse.Namespace) -> int:
    from reviewer.core.domain.values import VerificationStatus
    from reviewer.core.services.case import open_case
    from reviewer.core.services.queries import DocumentFilter
    from reviewer.core.services.search import search
    from reviewer.core.text.fts import Snippet

    wanted = DocumentFilter(
        tag=args.tag,
        status=VerificationStatus.parse(args.status) if args.status else None,
        doc_type=args.type,
        date_from=args.date_from,
        date_to=args.date_to,
    )
    with open_case(Path(args.case)) as case:
        results = search(case, args.query, wanted, limit=args.limit)
    if args.json:
        emit_json(
            [
                {
                    "doc": found.document.id,
                    "sha256": found.document.sha256,
                    "title": found.document.display_name,
                    "page": hit.page,
                    "kind": hit.kind,
                    "snippet": hit.snippet,
                    "marks": [list(m) for m in hit.marks],
                }
                for found in results.documents
                for hit in found.hits
            ]
        )
        return EXIT_OK
    if not results.documents:
        print(f"nothing found for {args.query!r}")
        return EXIT_OK
    for found in results.documents:
        doc = found.document
        print(f"{doc.id:>5}  {doc.sha256[:12]}  {doc.display_name}")
        for hit in found.hits:
            where = f"p.{hit.page}" if hit.page is not None else "   "
            label = {"text": "", "ocr": " OCR", "note": " note", "meta": " about"}.get(hit.kind, hit.kind)
            cut = Snippet(hit.snippet, hit.marks).bracketed()
            print(f"       {where:>5}{label:6}  {cut}")
    more = " (more: raise --limit)" if results.truncated else ""
    print(f"{results.matches} place(s) in {len(results.documents)} document(s){more}")
    return EXIT_OK


def cmd_entities(args: argparse.Namespace) -> int:
    from reviewer.core.services import entities
    from reviewer.core.services.case import open_case

    lines: list[str]
    with open_case(Path(args.case)) as case:
        if args.doc:
            mentions = entities.entities_of(case, doc_id(case, args.doc))
            found: Any = [e for e in mentions if not args.kind or e.kind == args.kind]
            lines = [
                f"{e.kind:10} {e.value:32} {e.text!r} (p. {', '.join(str(p) for p in e.pages)})"
                for e in found
            ]
        elif args.value:
            if not args.kind:
                raise UsageError("give --kind with --value (date, reference, money or term)")
            found = entities.documents_mentioning(case, args.kind, args.value)
            lines = [f"{d.id:>5}  {d.sha256[:12]}  {d.display_name}" for d in found]
        else:
            found = entities.entity_counts(case, args.kind)
            lines = [f"{e.kind:10} {e.value:32} {e.documents} document(s)" for e in found]
    if args.json:
        emit_json(found)
    else:
        print("\n".join(lines) if lines else "no entities found")
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from reviewer.core.services import entities
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        if args.add:
            entities.add_watch_term(case, args.add, args.kind, args.alias or ())
        if args.remove:
            entities.remove_watch_term(case, args.remove)
        terms = entities.watch_terms(case)
    if args.json:
        emit_json(terms)
        return EXIT_OK
    for term in terms:
        aliases = f" (also: {', '.join(term.aliases)})" if term.aliases else ""
        print(f"{term.kind:13} {term.canonical}{aliases}")
    if not terms:
        print("the watch-list is empty (add a term with: reviewer watch CASE --add NAME --kind organisation)")
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    from reviewer.core.services import links
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        if args.remove is not None:
            links.unlink(case, args.remove)
            print(f"link {args.remove} removed")
            return EXIT_OK
        if not args.target or not args.relation:
            raise UsageError("give two documents and --relation (or --remove LINK)")
        relation = LinkRelation.parse(args.relation)
        link_id = links.link_documents(
            case, doc_id(case, args.source), doc_id(case, args.target), relation, args.note
        )
    print(f"link {link_id}: document {args.source} {relation.label} document {args.target}")
    return EXIT_OK


def cmd_links(args: argparse.Namespace) -> int:
    from reviewer.core.services import links
    from reviewer.core.services.case import open_case

    with open_case(Path(args.case)) as case:
        doc = doc_id(case, args.doc)
        made = links.links_of(case, doc)
        suggested = links.suggested_links(case, doc)
    if args.json:
        emit_json({"links": made, "suggested": suggested})
        return EXIT_OK
    for link in made:
        note = f": {link.note}" if link.note else ""
        print(f"link {link.id:>4}  {link.label} {link.other.id} {link.other.display_name}{note}")
    for s in suggested:
        print(f"suggested  shares {', '.join(s.shared)} with {s.other.id} {s.other.display_name}")
    if not made and not suggested:
        print("no links and no suggestions")
    return EXIT_OK


def add_commands(command: Command) -> None:
    """Add this module's commands to the parser (``command`` makes a subcommand with a CASE argument)."""
    p = command("ocr", cmd_ocr, "read pages not read yet, OCR'ing those without usable text")
    p.add_argument("docs", metavar="DOC", nargs="*", help="only these documents (default: the whole case)")
    p.add_argument("--languages", metavar="L", help="Tesseract languages, e.g. rus+eng or bel+rus")
    p.add_argument("--mode", choices=("auto", "always", "never"), help="when to OCR (default: the case's)")
    p.add_argument("--force", action="store_true", help="OCR every page of the documents named again")
    p.add_argument("--jobs", type=int, metavar="N", help="worker processes (default: one per core)")
    add_workers_option(p)
    p.add_argument("--json", action="store_true")

    p = command("search", cmd_search, "search every page, annotation and description of a case")
    p.add_argument(
        "query",
        metavar="QUERY",
        help='words, "a phrase", prefix*, AND, OR, NOT, -word; reference numbers as written (12-05/1174)',
    )
    p.add_argument("--tag", metavar="T")
    p.add_argument("--status", metavar="S")
    p.add_argument("--type", metavar="TYPE")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="documents dated from (YYYY[-MM[-DD]])")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="documents dated up to (YYYY[-MM[-DD]])")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="places to show (default 100)")
    p.add_argument("--json", action="store_true")

    p = command("entities", cmd_entities, "dates, reference numbers, amounts and watched terms")
    p.add_argument("doc", metavar="DOC", nargs="?", help="one document's entities (default: the case's)")
    p.add_argument("--kind", choices=("date", "reference", "money", "term"))
    p.add_argument("--value", metavar="V", help="list the documents mentioning this entity")
    p.add_argument("--json", action="store_true")

    p = command("watch", cmd_watch, "show or edit the case's watch-list")
    p.add_argument("--add", metavar="TERM")
    p.add_argument("--kind", default="other", help="organisation, person, equipment or other")
    p.add_argument("--alias", action="append", metavar="A", help="another spelling (repeat for more)")
    p.add_argument("--remove", metavar="TERM")
    p.add_argument("--json", action="store_true")

    relations = ", ".join(r.label.replace(" ", "-") for r in LinkRelation)
    p = command("link", cmd_link, f"link two documents ({relations})")
    p.add_argument("source", metavar="DOC")
    p.add_argument("target", metavar="DOC", nargs="?")
    p.add_argument("--relation", metavar="R", help=relations)
    p.add_argument("--note")
    p.add_argument("--remove", type=int, metavar="LINK", help="remove a link by its number")

    p = command("links", cmd_links, "a document's links, and suggested ones")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--json", action="store_true")
