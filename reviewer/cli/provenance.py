"""The ``provenance`` command: change the source or date received of one sighting of a document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_OK, emit_json
from reviewer.cli.refs import doc_id
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.names import shown_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Command = Callable[..., argparse.ArgumentParser]


def cmd_provenance(args: argparse.Namespace) -> int:
    from reviewer.core.services import queries
    from reviewer.core.services.case import open_case
    from reviewer.core.services.provenance import KEEP, set_sighting_provenance

    if args.source is None and args.received is None:
        raise UsageError("give --source TEXT or --received YYYY-MM-DD (an empty value clears it)")
    with open_case(Path(args.case)) as case:
        document = doc_id(case, args.doc)
        sighting = args.sighting
        if sighting is None:
            seen = queries.document_detail(case, document).sightings
            if len(seen) != 1:
                ids = ", ".join(str(s.id) for s in seen)
                raise UsageError(f"the document was found {len(seen)} times: give --sighting N ({ids})")
            sighting = seen[0].id
        record = set_sighting_provenance(
            case,
            sighting,
            source=KEEP if args.source is None else args.source,
            received_on=KEEP if args.received is None else args.received,
            document=document,
        )
    if args.json:
        emit_json(record)
    else:
        print(
            f"sighting {record.id}: source {shown_line(record.source or '(none)')}, "
            f"received {record.received_on or '(not known)'}"
        )
    return EXIT_OK


def add_commands(command: Command) -> None:
    """Add the ``provenance`` command (``command`` makes a subcommand with a CASE argument)."""
    p = command("provenance", cmd_provenance, "change where one sighting of a document came from, and when")
    p.add_argument("doc", metavar="DOC")
    p.add_argument(
        "--sighting",
        type=int,
        metavar="N",
        help="which sighting (ids in: reviewer show CASE DOC --json); needed when there are several",
    )
    p.add_argument("--source", metavar="TEXT", help="where the file came from ('' clears it)")
    p.add_argument("--received", metavar="YYYY-MM-DD", help="the day it was received ('' clears it)")
    p.add_argument("--json", action="store_true")
