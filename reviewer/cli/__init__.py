"""The command line: thin. Every command asks a service in ``reviewer.core.services`` to do the work.

Each group of commands lives in its own module with an ``add_commands`` that registers them; this
module assembles the parser and runs it.
"""

from __future__ import annotations

import argparse
import gc
import os
import select
import sys
import traceback
from typing import TYPE_CHECKING, NoReturn

from reviewer import __version__
from reviewer.cli import (
    bundles,
    case,
    documents,
    forensics,
    importing,
    move,
    provenance,
    publication,
    reading,
    trust,
    worker,
)
from reviewer.cli.output import EXIT_FAILED, EXIT_USAGE
from reviewer.core.domain.errors import IntegrityError, ReviewerError, UsageError
from reviewer.core.domain.names import shown_line

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


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

    case.add_commands(command)
    importing.add_commands(command)
    documents.add_commands(command)
    case.add_maintenance_commands(command)
    bundles.add_commands(command)
    reading.add_commands(command)
    forensics.add_commands(command)
    trust.add_commands(command)
    worker.add_commands(command)
    move.add_commands(command)
    provenance.add_commands(command)
    publication.add_commands(sub)
    return parser


def run() -> int:
    """:func:`main` in a process that ends when it returns: the console script, ``python -m reviewer``
    and the packaged app.

    A command is short: it loads a few hundred modules, makes few reference cycles, and ends. Python's
    collector, made for long lives, cost it ~0.15 s a run (measured on ``import``): ~140 collections
    while the modules load (~35 ms), then ~0.1 s at exit walking every object once more, only for the
    process's end to free them all. So collections are rarer while a command runs (the window gets
    Python's default back), and what is left at the end is frozen: the collector skips it, and each
    object is still released as its last reference goes.
    """
    gc.set_threshold(COMMAND_GC_THRESHOLD)
    try:
        return main()
    finally:
        gc.freeze()


#: new objects between two of the youngest collections while a command runs (Python 3.11's default: 700)
COMMAND_GC_THRESHOLD = 100_000
_DEFAULT_GC_THRESHOLD = gc.get_threshold()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 something failed, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            # no command: the window, on the last case or the welcome screen, a long life
            gc.set_threshold(*_DEFAULT_GC_THRESHOLD)
            return case.open_window(smoke_test=args.smoke_test)
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
