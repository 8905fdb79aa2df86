"""Words of a page quoted by a text annotation: what was selected, what surrounds it, where it is.

A page's words are stored in reading order with their boxes (``[[x0, y0, x1, y1, "word"], ...]``, PDF
points on the unrotated page) from its text layer or OCR. A text annotation covers a run of them: its
quote is the run's words joined by single spaces, with a little of the text before and after (the W3C
``TextQuoteSelector``'s exact, prefix and suffix), and its boxes are the run's word boxes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import Rect

if TYPE_CHECKING:
    from collections.abc import Sequence

CONTEXT_CHARS = 32  # of text kept before and after a quote, enough to tell one occurrence from another
MAX_BOXES = 5_000  # word boxes one annotation may cover (a dense page has about 1,000 words)


@dataclass(frozen=True, slots=True)
class PageWord:
    """One word on a page and its box (points on the unrotated page)."""

    text: str
    box: Rect


@dataclass(frozen=True, slots=True)
class TextQuote:
    """The words a text annotation quotes, and a little of what comes before and after them."""

    exact: str
    prefix: str = ""
    suffix: str = ""


def words_from_json(raw: str | None) -> list[PageWord]:
    """The words stored for a page (``Page.words``); none for an unread page or unreadable JSON."""
    if not raw:
        return []
    try:
        rows = json.loads(raw)
    except ValueError:
        return []
    words = []
    for row in rows if isinstance(rows, list) else []:
        try:
            x0, y0, x1, y1 = (float(v) for v in row[:4])
            text = str(row[4])
        except (TypeError, ValueError, IndexError):
            continue
        if text.strip() and x1 > x0 and y1 > y0:
            words.append(PageWord(text.strip(), Rect(x0, y0, x1, y1)))
    return words


def quote_of(words: Sequence[PageWord], first: int, last: int) -> TextQuote:
    """The quote of words ``first`` to ``last`` (inclusive, in reading order)."""
    if not 0 <= first <= last < len(words):
        raise UsageError(f"words {first + 1} to {last + 1} are not on the page (it has {len(words)})")
    before = " ".join(w.text for w in words[max(0, first - 12) : first])
    after = " ".join(w.text for w in words[last + 1 : last + 13])
    return TextQuote(
        exact=" ".join(w.text for w in words[first : last + 1]),
        prefix=(before + " ")[-CONTEXT_CHARS:] if before else "",
        suffix=(" " + after)[:CONTEXT_CHARS] if after else "",
    )


def find_text(words: Sequence[PageWord], text: str) -> list[tuple[int, int]]:
    """Every run of words (first, last) whose text is ``text``, spaces between words ignored.

    Compared by letters and digits only, without regard to case or punctuation ("ivanov" finds
    "Ivanov,"); a run starts and ends on whole words, so "Ivan" does not find "Ivanov".
    """
    joined = _key(text)
    if not joined:
        raise UsageError("give the words to annotate, as they are on the page")
    folded = [_key(w.text) for w in words]
    found = []
    for first in range(len(folded)):
        if not folded[first] or not joined.startswith(folded[first]):
            continue
        run, last = folded[first], first
        while len(run) < len(joined) and last + 1 < len(folded):
            last += 1
            run += folded[last]
        if run == joined:
            found.append((first, last))
    return found


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def union(boxes: Sequence[Rect]) -> Rect:
    """The smallest rectangle holding every box."""
    return Rect(
        min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes)
    )


def line_boxes(boxes: Sequence[Rect]) -> list[Rect]:
    """Word boxes joined into one box per run of words on one line (a highlight's or a redaction's areas).

    Two words in a row join when they overlap vertically by at least half the smaller height and the
    second begins after the first, less than a few heights further on; what lies between them is space
    between words of the run, never a word outside it.
    """
    lines: list[Rect] = []
    for box in boxes:
        if lines:
            last = lines[-1]
            overlap = min(last.y1, box.y1) - max(last.y0, box.y0)
            height = min(last.height, box.height)
            if overlap >= height / 2 and last.x1 - 1 <= box.x0 <= last.x1 + 3 * height:
                lines[-1] = union([last, box])
                continue
        lines.append(box)
    return lines


def boxes_to_json(boxes: Sequence[Rect]) -> str:
    """Word boxes as stored in ``annotation.word_boxes``: ``[[x0, y0, x1, y1], ...]``."""
    return json.dumps([[b.x0, b.y0, b.x1, b.y1] for b in boxes], separators=(",", ":"))


def boxes_from_json(raw: str | None) -> tuple[Rect, ...]:
    """Word boxes as stored; none for a region annotation."""
    if not raw:
        return ()
    return tuple(Rect(*(float(v) for v in row)) for row in json.loads(raw))
