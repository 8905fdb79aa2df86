"""The ``check-publication`` command: what in a bag could identify a source, before it is published."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, StatusLine, emit_json
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.names import shown_line

if TYPE_CHECKING:
    import argparse


class _Bar(StatusLine):
    """Files inspected."""

    def __call__(self, done: int, total: int) -> None:
        self.show(f"inspecting files: {done}/{total}")


def cmd_check_publication(args: argparse.Namespace) -> int:
    from reviewer.core.services.publication import check_publication

    bundle = Path(args.bundle)
    if not bundle.exists():
        raise UsageError(f"{shown_line(str(bundle))} does not exist; give a bag folder or a zip")
    bar = _Bar()
    try:
        findings = check_publication(bundle, progress=bar)
    finally:
        bar.finish()
    if args.json:
        emit_json([{"file": f.file, "kind": f.kind, "detail": f.detail} for f in findings])
    else:
        for finding in findings:
            print(shown_line(finding.line()))
        print(
            f"{shown_line(str(bundle))}: "
            + (
                "nothing found that could identify a source"
                if not findings
                else f"{len(findings)} thing(s) that could identify a source; fix them before publishing"
            )
        )
    return EXIT_OK if not findings else EXIT_FAILED


def add_commands(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``check-publication`` command to the subcommands ``sub``."""
    text = (
        "list everything in a bag (folder or zip, from reviewer or not) that could identify a source: "
        "metadata, names, serial numbers, GPS, earlier revisions, printer tracking dots"
    )
    p = sub.add_parser("check-publication", help=text, description=text)
    p.set_defaults(handler=cmd_check_publication)
    p.add_argument("bundle", metavar="BUNDLE", help="the bag: a folder or a zip")
    p.add_argument("--json", action="store_true", help='print [{"file", "kind", "detail"}, ...]')
