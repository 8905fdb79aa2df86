"""reviewer move: a local case becomes a shared one (its database copied onto PostgreSQL, then verified)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, emit_json
from reviewer.core.domain.names import shown, shown_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Command = Callable[..., argparse.ArgumentParser]


def cmd_move(args: argparse.Namespace) -> int:
    from reviewer.core.services.move import move_case

    def told(table: str, rows: int) -> None:
        if not args.json and rows:
            print(f"copied  {table}: {rows} row(s)", file=sys.stderr)

    report = move_case(Path(args.case), args.to_database, on_table=told)
    if args.json:
        emit_json(report)
        return EXIT_OK if report.verify.ok else EXIT_FAILED
    verify = report.verify
    for problem in verify.problems:
        print(f"PROBLEM  {shown_line(problem.problem)}")
    verdict = "all as recorded" if verify.ok else f"{len(verify.problems)} problem(s)"
    print(f"verify: {verify.checked} original(s), {verify.bytes_checked:,} bytes re-hashed: {verdict}")
    print(f"custody chain head: entry {verify.head_entry}, sha256 {verify.head_hash}")
    print(
        f"moved {shown(report.case)} to {report.database} ({sum(report.rows.values())} row(s), "
        f"{report.indexed} search row(s)); owned by {report.owner}; let others in with: reviewer grant"
    )
    print(f"the local database is kept as {shown(report.local_kept_as)}")
    return EXIT_OK if verify.ok else EXIT_FAILED


def add_commands(command: Command) -> None:
    """Add ``move``."""
    p = command(
        "move",
        cmd_move,
        "make a local case a shared one: its database copied onto PostgreSQL in one transaction, "
        "then verified (the local database is kept aside, never removed)",
    )
    p.add_argument(
        "--to-database",
        metavar="URL",
        required=True,
        help="postgresql://HOST[:PORT]/DB, an empty database (no password in the URL: PGPASSWORD or "
        "~/.pgpass)",
    )
    p.add_argument("--json", action="store_true")
