"""What every command shares: exit codes and JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any

from reviewer.core.domain.records import as_plain

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def emit_json(value: Any) -> None:
    """Print plain records (dataclasses, lists, dicts) as indented JSON on standard output."""
    json.dump(as_plain(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
