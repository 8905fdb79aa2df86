"""Damage a file arrived with, said in one line: a PDF MuPDF had to repair, pages it could not read.

A damaged file is kept as it was received (it is the evidence); what the reader had to guess is
recorded beside it at import, in the document's file metadata under ``"damage"``::

    {"repaired": true, "reason": "cannot find startxref", "pages": {"2": "no content", ...}}

and every place that shows the document (the import's output, the window, the bundle) says it with
:func:`damage_warnings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: What a page of a damaged file can be short of.
NO_CONTENT = "no content"
UNREADABLE = "unreadable"
_PHRASES = {
    NO_CONTENT: ("has no content", "have no content"),
    UNREADABLE: ("cannot be read", "cannot be read"),
}


def describe_damage(
    *, repaired: bool, reason: str | None, page_count: int, pages: Mapping[int, str]
) -> dict[str, Any]:
    """The ``"damage"`` record of a document: plain JSON, pages keyed by their number as text."""
    return {
        "repaired": repaired,
        "reason": reason,
        "page_count": page_count,
        "pages": {str(number): problem for number, problem in sorted(pages.items())},
    }


def damage_warnings(metadata: Mapping[str, Any]) -> list[str]:
    """The warnings a document's file metadata holds, as lines for a person; [] for a sound file.

    Documents imported before damage was recorded say only that MuPDF repaired them.
    """
    damage = metadata.get("damage")
    if not isinstance(damage, Mapping):
        return ["damaged: MuPDF had to repair it to read it"] if metadata.get("repaired") else []
    pages = damage.get("pages")
    pages = pages if isinstance(pages, Mapping) else {}
    if not damage.get("repaired") and not pages:
        return []
    reason = damage.get("reason")
    line = "damaged: MuPDF had to repair it" if damage.get("repaired") else "damaged"
    if reason:
        line += f" ({reason})"
    count = damage.get("page_count")
    facts = [f"{count} page{'' if count == 1 else 's'}"] if isinstance(count, int) else []
    by_problem: dict[str, list[str]] = {}
    for number, problem in pages.items():
        by_problem.setdefault(str(problem), []).append(str(number))
    for problem, numbers in by_problem.items():
        shown = ", ".join(numbers[:20]) + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")
        one, many = _PHRASES.get(problem, (f"has {problem}", f"have {problem}"))
        facts.append(f"page {shown} {one}" if len(numbers) == 1 else f"pages {shown} {many}")
    return [line + ("; " + ", ".join(facts) if facts else "")]
