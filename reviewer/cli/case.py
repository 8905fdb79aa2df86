"""Commands that make, open, check and mend a case: init, open, demo, verify, repair, accept-restore,
grant, revoke, quarantine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_FAILED, EXIT_OK, emit_json
from reviewer.cli.reading import describe_reading, read_after_import
from reviewer.core.domain.names import shown, shown_line
from reviewer.core.storage.store import is_case_folder

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    Command = Callable[..., argparse.ArgumentParser]


def cmd_init(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import create_case

    with create_case(Path(args.case), title=args.title, database=args.database) as case:
        print(f"created case {case.title!r} at {shown(str(case.root))}")
        if case.db.shared:
            print(
                f"its database is {case.db.where}, owned by {case.actor}; let others in with: reviewer grant"
            )
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    return open_window(case=Path(args.case))


def cmd_demo(args: argparse.Namespace) -> int:
    from reviewer.core.services.demo import build_demo_case, default_demo_location

    root = Path(args.case) if args.case else default_demo_location()
    if not args.no_window:
        _check_window()  # before the build: a machine that cannot show it is told at once
    if not is_case_folder(root):
        print(f"building the demo case at {root} …", file=sys.stderr)
        build_demo_case(root).close()
    if args.no_window:
        # The window reads pages in the background; here, as after an import, the command waits.
        from reviewer.core.services.case import open_case

        with open_case(root) as case:
            describe_reading(read_after_import(case, None, "auto", None))
        print(f"the demo case is at {root}; list it with: reviewer list {root}")
        return EXIT_OK
    return open_window(demo=root)


def open_window(*, case: Path | None = None, demo: Path | None = None, smoke_test: bool = False) -> int:
    """Open the window (on a case, the demo case, or the last case); a clear error without Qt."""
    _check_window()
    from reviewer.core.processes import start_workers_early

    # The page renderer's fork server loads PyMuPDF on the other core while Qt, SQLAlchemy and the
    # window load here: the first page's worker is ready when the window asks for it.
    start_workers_early()
    try:
        from reviewer.ui.app import run
    except ImportError as exc:  # a headless install without Qt: the command line still works
        from reviewer.ui.platform_check import explain_import_error

        raise explain_import_error(exc) from None
    return run(case, demo=demo, smoke_test=smoke_test)


def _check_window() -> None:
    """One line and exit 1, instead of Qt's abort, where no window can be shown (no Qt import)."""
    from reviewer.ui.platform_check import check_window_can_start

    check_window_can_start()


def cmd_verify(args: argparse.Namespace) -> int:
    from reviewer.core.services import fixity
    from reviewer.core.services.case import open_case

    target = Path(args.case)
    if not is_case_folder(target) and target.exists():
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
    if replaced is not None:
        print(
            f"recorded on the custody log: the database was put back from an older copy "
            f"(the log it replaced reached entry {replaced.entry_id}, sha256 {replaced.entry_hash})"
        )
    else:
        print(
            "recorded on the custody log: the chain head file was lost; this log is the case's from here on"
        )
    print(f"custody chain head: entry {head.entry_id}, sha256 {head.entry_hash}")
    return EXIT_OK


def cmd_grant(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.team import grant_access

    with open_case(Path(args.case)) as case:
        group = grant_access(case, args.role, args.kind)
    print(f"{args.role} may now work on the case as {args.kind} (member of {group}); on the custody log")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    from reviewer.core.services.case import open_case
    from reviewer.core.services.team import revoke_access

    with open_case(Path(args.case)) as case:
        had = revoke_access(case, args.role)
    was = f" (was {', '.join(had)})" if had else " (it had no access through the case)"
    print(f"{args.role} may no longer work on the case{was}; recorded on the custody log")
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


def add_commands(command: Command) -> None:
    """Add the case commands (``command`` makes a subcommand with a CASE argument)."""
    command("open", cmd_open, "open a case in the window")
    p = command(
        "demo",
        cmd_demo,
        "build the demo case (once) and open it",
        case="where the demo case lives (default: reviewer-demo in your documents folder)",
    )
    p.add_argument("--no-window", action="store_true", help="only build it")

    p = command("init", cmd_init, "create a new case folder")
    p.add_argument("--title", help="the case's title (default: the folder's name)")
    p.add_argument(
        "--database",
        metavar="URL",
        help="share the case: its database on PostgreSQL, postgresql://HOST[:PORT]/DB (an empty "
        "database; no password in the URL: PGPASSWORD or ~/.pgpass)",
    )


def add_maintenance_commands(command: Command) -> None:
    """Add verify, repair, accept-restore and quarantine."""
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

    p = command("grant", cmd_grant, "let a database role work on a shared case (the case's owner only)")
    p.add_argument("role", metavar="ROLE", help="a PostgreSQL role (one person's login)")
    p.add_argument("--as", dest="kind", choices=("editor", "observer"), required=True)
    p = command("revoke", cmd_revoke, "take a database role's access to a shared case away (owner only)")
    p.add_argument("role", metavar="ROLE", help="a PostgreSQL role")

    p = command(
        "quarantine",
        cmd_quarantine,
        "move files in the store that no document records to CASE/quarantine/ (never removes them)",
    )
    p.add_argument("--dry-run", action="store_true", help="only list them")
    p.add_argument("--json", action="store_true")
