"""A page's text laid out as on the page: words on one baseline joined into a line, paragraphs apart.

MuPDF's plain text breaks a line wherever the words of a justified line were placed one by one (as
many word processors and our demo's generator do), so a paragraph reads one word per line. The words
with their boxes, stored when the page is read, say where each word sits: words in reading order
that share a baseline and go on rightwards are one line, and a gap taller than half a line between
two lines starts a paragraph. Only spacing changes: ``laid_out`` returns its input when the words
are not exactly the text's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

Word = tuple[float, float, float, float, str]
PARAGRAPH_GAP = 0.5  # of a line's height: more space than that between two lines starts a paragraph
SAME_LINE = 0.5  # of the shorter word's height: boxes overlapping that much are on one baseline


def as_words(raw: Sequence[Sequence[object]]) -> list[Word]:
    """Words from stored JSON rows ``[x0, y0, x1, y1, text, ...]``; malformed rows are left out."""
    words: list[Word] = []
    for row in raw:
        if len(row) < 5 or not isinstance(row[4], str):
            continue
        try:
            x0, y0, x1, y1 = (float(v) for v in row[:4])  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        words.append((x0, y0, x1, y1, row[4]))
    return words


def _same_line(line: list[Word], word: Word) -> bool:
    last = line[-1]
    overlap = min(last[3], word[3]) - max(last[1], word[1])
    shorter = max(min(last[3] - last[1], word[3] - word[1]), 0.01)
    return overlap >= SAME_LINE * shorter and word[0] >= last[2] - 0.25 * shorter


def lines_of(words: Sequence[Word]) -> list[list[Word]]:
    """The words grouped into lines, in the order given."""
    lines: list[list[Word]] = []
    for word in words:
        if lines and _same_line(lines[-1], word):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def text_of_lines(lines: Sequence[Sequence[Word]]) -> str:
    """Lines joined by newlines, a blank line where the gap above a line is a paragraph's."""
    out: list[str] = []
    previous: tuple[float, float] | None = None
    for line in lines:
        top, bottom = min(w[1] for w in line), max(w[3] for w in line)
        if previous is not None:
            height = max(previous[1] - previous[0], 0.01)
            if top - previous[1] > PARAGRAPH_GAP * height:
                out.append("")
        out.append(" ".join(w[4] for w in line))
        previous = (top, bottom)
    return "\n".join(out)


def laid_out(text: str, words: Sequence[Word]) -> str:
    """``text`` laid out by its words' boxes, or ``text`` itself unless the words are exactly its own."""
    mine = list(words[: len(text.split())])
    if not mine or [w[4] for w in mine] != text.split():
        return text
    return text_of_lines(lines_of(mine))
