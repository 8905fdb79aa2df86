"""The ``trust`` command: the case's trust roots, against which signatures and credentials are checked."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.cli.output import EXIT_OK, emit_json
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.names import shown_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from reviewer.core.services.trust import TrustChange, TrustRoot

    Command = Callable[..., argparse.ArgumentParser]


def cmd_trust(args: argparse.Namespace) -> int:
    from reviewer.core.services import trust
    from reviewer.core.services.case import open_case

    if args.action == "list" and args.target is not None:
        raise UsageError("trust CASE list takes nothing more")
    if args.action != "list" and args.target is None:
        what = "CERT.pem" if args.action == "add" else "FINGERPRINT"
        raise UsageError(f"trust CASE {args.action} needs {what}")
    with open_case(Path(args.case)) as case:
        if args.action == "add":
            change = trust.add_root(case, Path(args.target))
            _report("added", change, args.json)
        elif args.action == "remove":
            change = trust.remove_root(case, args.target)
            _report("removed", change, args.json)
        else:
            roots = trust.list_roots(case)
            if args.json:
                emit_json([r.as_dict() for r in roots])
            else:
                _print_roots(roots)
    return EXIT_OK


def _report(verb: str, change: TrustChange, as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                verb: change.root.as_dict(),
                "rechecked": list(change.rechecked),
                "not_rechecked": list(change.failed),
            }
        )
    else:
        print(f"trust root {verb}: {shown_line(change.root.subject)}")
        print(f"  SHA-256 {change.root.fingerprint}")
        count = len(change.rechecked)
        print(f"signatures and content credentials checked again in {count} document(s)")
    for line in change.failed:
        print(f"warning: not checked again: {shown_line(line)}", file=sys.stderr)


def _print_roots(roots: list[TrustRoot]) -> None:
    if not roots:
        print("no trust roots: signatures are checked but none is trusted")
        print("(add the root certificate of a signer you trust with: reviewer trust CASE add ROOT.pem)")
        return
    for root in roots:
        kind = "CA" if root.is_ca else "certificate"
        print(f"{root.fingerprint[:16]}  {shown_line(root.subject)}  ({kind}, valid until {root.not_after})")


def add_commands(command: Command) -> None:
    """Register ``trust``."""
    p = command(
        "trust",
        cmd_trust,
        "list, add or remove the certificates the case trusts for signatures and content credentials",
    )
    p.add_argument("action", choices=("list", "add", "remove"), help="what to do")
    p.add_argument(
        "target",
        metavar="CERT|FINGERPRINT",
        nargs="?",
        help="add: a certificate file (PEM, .cer or .crt); remove: its fingerprint (or its start)",
    )
    p.add_argument("--json", action="store_true")
