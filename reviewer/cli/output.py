"""What every command shares: exit codes and JSON output."""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from reviewer.core.domain.names import path_text
from reviewer.core.domain.records import as_plain

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def emit_json(value: Any) -> None:
    """Print plain records (dataclasses, lists, dicts) as indented JSON on standard output."""
    json.dump(_encodable(as_plain(value)), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _encodable(value: Any) -> Any:
    """Plain data with any text holding undecodable bytes (a path given on the command line) escaped."""
    if isinstance(value, str):
        return value if value.isascii() or not _SURROGATE.search(value) else path_text(value)
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


class StatusLine:
    """One line of progress on a terminal's standard error, rewritten in place; silent when not a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.shown = False

    def show(self, text: str) -> None:
        """Replace the line with ``text`` (cut to the terminal's width)."""
        if not self.enabled:
            return
        try:
            columns = os.get_terminal_size(sys.stderr.fileno()).columns
        except OSError:
            columns = 100
        sys.stderr.write("\r" + text[: columns - 1].ljust(columns - 1))
        sys.stderr.flush()
        self.shown = True

    def finish(self) -> None:
        """End the line, if one was shown."""
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
