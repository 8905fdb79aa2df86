"""Regular-expression building blocks shared by the entity finders."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

_Node = dict[str, "_Node"]


def alternation(words: Iterable[str], space: str = r"\ ") -> str:
    """One regex alternative for ``words``, merged into a prefix tree; a space in a word is ``space``.

    Python's ``re`` tries the branches of ``a|b|c`` one by one at every position; with a few hundred
    month or currency names that dominates the scan. Merged by prefix (``ма(?:рт|я|й)``) each
    position costs one branch per distinct first letter.
    """
    tree: _Node = {}
    for word in words:
        if not word:
            continue
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _render(tree, space)


def _render(node: _Node, space: str) -> str:
    ends = "" in node
    branches = []
    for char in sorted(c for c in node if c):
        branches.append((space if char == " " else re.escape(char)) + _render(node[char], space))
    if not branches:
        return ""
    if len(branches) == 1 and not ends:
        return branches[0]
    letters = [b for b in branches if len(b) == 1 or (len(b) == 2 and b[0] == "\\" and b != space)]
    rest = [b for b in branches if b not in letters]
    if letters and len(letters) > 1:
        rest.append("[" + "".join(letters) + "]")
    else:
        rest.extend(letters)
    body = "|".join(rest)
    if ends:
        return f"(?:{body})?"
    return body if len(rest) == 1 else f"(?:{body})"
