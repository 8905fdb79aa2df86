"""The ``forensics`` command: a document's signals, revisions, near-identical pages and region matches."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.cli.output import EXIT_OK, StatusLine, emit_json
from reviewer.cli.refs import doc_id
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.names import shown_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from reviewer.core.services.case import Case
    from reviewer.core.services.forensics import ForensicsReport, SignalRecord
    from reviewer.core.services.region_search import RegionHit, RegionProgress

    Command = Callable[..., argparse.ArgumentParser]

_MARKS = {"warning": "!!", "notice": " !", "info": "  "}


class _SearchBar(StatusLine):
    """Pages searched."""

    def __call__(self, p: RegionProgress) -> None:
        if p.pages_total:
            self.show(f"searching pages: {p.pages_done}/{p.pages_total}")


def cmd_forensics(args: argparse.Namespace) -> int:
    from reviewer.core.services import forensics
    from reviewer.core.services.case import open_case
    from reviewer.core.services.region_search import (
        annotated_regions,
        ensure_region_hashes,
        find_region_elsewhere,
    )

    if args.out is not None and args.revision is None and args.ela is None:
        raise UsageError("--out goes with --revision N or --ela PAGE")
    if args.page is not None and not args.copy_move:
        raise UsageError("--page goes with --copy-move")
    if args.copy_move and (args.revision is not None or args.ela is not None or args.region):
        raise UsageError("--copy-move goes alone (with --page N and --json)")
    if (args.revision is not None or args.ela is not None) and args.out is None:
        raise UsageError("give --out FILE to write the revision or the error-level overlay to")
    with open_case(Path(args.case)) as case:
        document = doc_id(case, args.doc)
        if args.revision is not None:
            written = forensics.revision_file(case, document, args.revision, Path(args.out))
            print(f"revision {args.revision} written to {written}")
            return EXIT_OK
        if args.ela is not None:
            target = Path(args.out)
            if target.exists():
                raise UsageError(f"{target} already exists; choose a new file")
            levels = forensics.error_levels(case, document, args.ela)
            _write_new(target, levels.png)
            if levels.of_jpegs:
                sizes = ", ".join(f"{p['width']}×{p['height']} px" for p in levels.pictures)
                print(f"error levels of the JPEG(s) on page {args.ela} ({sizes}), each on its own pixels,")
                print(f"laid onto the page at {levels.dpi:.0f} dpi, written to {target}")
            else:
                print(f"error levels of page {args.ela} as drawn (it has no JPEG) written to {target}")
            return EXIT_OK
        if args.copy_move:
            return _copy_move(case, document, args)
        forensics.ensure_forensics(case, document)
        report = forensics.forensics_of(case, document)
        ensure_region_hashes(case, report.document_id)
        regions = annotated_regions(case, report.document_id)
        hits: list[RegionHit] | None = None
        if args.region:
            bar = _SearchBar()
            unsearched: list[str] = []
            try:
                hits = find_region_elsewhere(case, args.region, progress=bar, failed=unsearched)
            finally:
                bar.finish()
            for line in unsearched:
                print(f"warning: {shown_line(line)}", file=sys.stderr)
    if args.json:
        emit_json(_as_json(report, hits) | {"annotated_regions": regions})
    else:
        _print(report, hits)
        for region in regions:
            near = region["near_identical"]
            if near:
                others = ", ".join(f"document {n['doc']} p. {n['page']}" for n in near)  # type: ignore[attr-defined]
                print(f"   annotated region on page {region['page']} looks like: {others}")
    return EXIT_OK


def _write_new(target: Path, data: bytes) -> None:
    """Write ``data`` to a file that must not exist yet: never over someone's file."""
    try:
        with open(target, "xb") as handle:
            handle.write(data)
    except FileExistsError:
        raise UsageError(f"{target} already exists; choose a new file") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target} ({exc.strerror or exc})") from None


def _copy_move(case: Case, document: int, args: argparse.Namespace) -> int:
    """Look for copies within one page (--page N) or every page, printing what each page holds."""
    from reviewer.core.services import forensics
    from reviewer.core.services.queries import summaries

    if args.page is not None:
        pages = [args.page]  # the service says which pages there are, or that the document is locked
    else:
        pages = list(range(1, summaries(case, [document])[0].page_count + 1)) or [1]
    found: list[SignalRecord] = []
    bar = StatusLine()
    try:
        for done, number in enumerate(pages):
            if len(pages) > 1:
                bar.show(f"looking for copies: page {done + 1}/{len(pages)}")
            found += forensics.find_copy_moves(case, document, number)
    finally:
        bar.finish()
    if args.json:
        emit_json({"doc": document, "pages": pages, "copy_move": found})
        return EXIT_OK
    print("Signals inform; they do not decide a verdict.")
    for s in found:
        v = s.value
        print(f"{_MARKS.get(s.severity, '  ')} {s.severity:8} {s.title}  [{s.code}]")
        print(
            f"   {_box(v['source'])} and {_box(v['copy'])} (points; {v['keypoint_pairs']} keypoint pairs, "
            f"size {v['scale']:g}×, turned {v['angle']:+g}°, sameness {v['sameness']:.2f})"
        )
    if not found:
        where = f"page {pages[0]}" if len(pages) == 1 else f"{len(pages)} pages"
        print(f"no copied regions found on {where}")
    return EXIT_OK


def _box(box: list[float]) -> str:
    return "(" + ", ".join(f"{v:g}" for v in box) + ")"


def _as_json(report: ForensicsReport, hits: list[RegionHit] | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "doc": report.document_id,
        "computed_at": report.computed_at,
        "worst": report.worst,
        "signals": report.signals,
        "revisions": report.revisions,
        "near_identical_pages": report.near_pages,
    }
    if hits is not None:
        data["region_matches"] = hits
    return data


def _print(report: ForensicsReport, hits: list[RegionHit] | None) -> None:
    print("Signals inform; they do not decide a verdict.")
    for s in report.signals:
        where = f" (page {s.page})" if s.page is not None else ""
        print(f"{_MARKS.get(s.severity, '  ')} {s.severity:8} {s.title}{where}  [{s.code}]")
    if not report.signals:
        print("   no signals")
    if len(report.revisions) > 1:
        print(f"{len(report.revisions)} revisions (extract one with --revision N --out FILE):")
        for r in report.revisions:
            print(
                f"   revision {r.number}: first {r.size:,} bytes{' (the file as it is)' if r.current else ''}"
            )
    for near in report.near_pages:
        print(
            f"page {near.page} looks like page {near.other_page} of {near.document_id} {near.document_name} "
            f"({near.distance} of 64 bits differ)"
        )
    if hits is not None:
        for hit in hits:
            marked = ", already annotated" if hit.annotated else ""
            print(
                f"found on {hit.document_id} {hit.document_name} p.{hit.page} at "
                f"{','.join(f'{v:g}' for v in hit.rect)}: score {hit.score:.2f}, size {hit.scale:.2f}×, "
                f"turned {hit.angle:+.1f}°{marked}"
            )
        if not hits:
            print("the region was found nowhere else")


def add_commands(command: Command) -> None:
    """Add the ``forensics`` command (``command`` makes a subcommand with a CASE argument)."""
    p = command(
        "forensics",
        cmd_forensics,
        "a document's forensic signals, revisions and near-identical pages; where a region appears elsewhere",
    )
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--region", metavar="ANNOTATION", help="find this annotated region elsewhere in the case")
    p.add_argument("--revision", type=int, metavar="N", help="write revision N of the PDF to --out")
    p.add_argument(
        "--ela", type=int, metavar="PAGE", help="write the error-level overlay of PAGE (PNG) to --out"
    )
    p.add_argument("--out", metavar="FILE", help="where --revision or --ela writes (outside the case)")
    p.add_argument(
        "--copy-move",
        action="store_true",
        help="look for regions of a page that are copies of each other (every page, or --page N)",
    )
    p.add_argument("--page", type=int, metavar="N", help="the page --copy-move looks at")
    p.add_argument("--json", action="store_true")
