"""What a search query means: FTS5 syntax made from what a person types, snippets and word matches.

A fact-checker types a reference number as it is written (``12-05/1174``, ``ЭП-078/1133-19``,
``№ 45/БА-2018``), a name in any case and with or without diacritics, a ``"quoted phrase"``, a
``prefix*``, and ``AND``, ``OR``, ``NOT`` (or ``-word``) with parentheses. SQLite's ``unicode61``
tokenizer splits on every character that is not a letter or digit and folds case and Latin
diacritics; what it does not fold (``ё``, ``ў``, ``ə``, ``ı``) is folded here, character for character,
before text is indexed and before a query is run. A term with separators inside becomes a phrase of its
pieces, so ``12-05/1174`` finds exactly those three tokens in a row, however the page spaces them.
Latin and Cyrillic look-alikes are folded as :mod:`reviewer.core.text.scripts` says, in the index and
in the query, so ``45/БA-2018`` typed with a Latin ``A`` finds ``45/БА-2018`` and the other way round.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from reviewer.core.domain.errors import UsageError
from reviewer.core.text.scripts import fold_scripts, spellings
from reviewer.core.text.unicode61 import tokenize

# Folds that unicode61 does not make; one character for one, so offsets in folded text are offsets in
# the original.
_FOLD = str.maketrans({"ё": "е", "Ё": "Е", "ў": "у", "Ў": "У", "ə": "e", "Ə": "E", "ı": "i", "İ": "I"})
# For matching in Python every look-alike becomes Latin, whatever its word: a match there is a
# superset of what the index matched (the index folds by word and script, see scripts.py).
_LATIN = str.maketrans("авекмнорстухіјѕ", "abekmhopctyxijs")
# unicode61's token characters: letters and digits (the underscore is a separator there too).
_TOKEN = re.compile(r"[^\W_]+")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_SPACES = re.compile(r"\s+")


def index_text(text: str) -> str:
    """The text as it goes into the index (same length as ``text``): look-alikes folded by word."""
    return fold_scripts(text.translate(_FOLD))


def fold(word: str) -> str:
    """A token folded for matching: case, diacritics, ``ё``/``ў``/``ə``/``ı``, look-alikes as Latin."""
    decomposed = unicodedata.normalize("NFD", word.translate(_FOLD).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LATIN)


class _CharFold(dict[int, str]):
    """``fold`` one character at a time, keeping one character for one; filled as characters are met."""

    def __missing__(self, code: int) -> str:
        char = chr(code).translate(_FOLD)
        lower = char.lower()
        if len(lower) == 1:
            char = lower
        base = unicodedata.normalize("NFD", char)[0].translate(_LATIN)
        self[code] = base
        return base


_CHAR_FOLD = _CharFold()


def fold_in_place(text: str) -> str:
    """``text`` folded like ``fold`` but character for character: offsets stay valid."""
    return text.translate(_CHAR_FOLD)


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Every token of ``text``: start, end, folded form."""
    return [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class Term:
    """One searched thing: a word, or a phrase of words in a row; the last may be a prefix.

    ``words`` are folded fully, for matching in Python; ``spelled`` as the index may hold them (one
    or more spellings, see :func:`reviewer.core.text.scripts.spellings`), since unicode61 keeps marks
    on Cyrillic letters (``й`` stays ``й``) and folds only Latin ones.
    """

    words: tuple[str, ...]
    spelled: tuple[tuple[str, ...], ...]
    prefix: bool = False

    def fts(self) -> str:
        """The term in FTS5 syntax: a phrase, or an OR of its spellings in parentheses."""
        star = "*" if self.prefix else ""
        phrases = ['"' + " ".join(words) + '"' + star for words in self.spelled]
        return phrases[0] if len(phrases) == 1 else "( " + " OR ".join(phrases) + " )"

    def matches(self, folded: list[str], at: int) -> bool:
        """Whether the folded tokens starting at ``at`` are this term."""
        n = len(self.words)
        if at + n > len(folded):
            return False
        for i, word in enumerate(self.words):
            candidate = folded[at + i]
            last = i == n - 1
            if not (candidate.startswith(word) if last and self.prefix else candidate == word):
                return False
        return True


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: the FTS5 expression, and the terms a hit must show (those not under NOT)."""

    text: str
    fts: str
    terms: tuple[Term, ...]


def _lex(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            items.append((c, c))
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end  # an unclosed quote runs to the end, as people mean it
            items.append(("phrase", text[i + 1 : end]))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            if word in _OPERATORS:
                items.append(("op", word))
            elif word.startswith("-") and len(word) > 1 and _TOKEN.search(word):
                items.append(("op", "NOT"))
                items.append(("word", word[1:]))
            else:
                items.append(("word", word))
            i = j
    return items


def _term(kind: str, value: str) -> Term | None:
    prefix = kind == "word" and value.endswith("*")
    found = [m.group() for m in _TOKEN.finditer(value)]
    if not found:
        return None
    return Term(tuple(fold(w) for w in found), tuple(spellings(value.translate(_FOLD))), prefix)


def parse_query(text: str) -> SearchQuery:
    """Turn what a person typed into an FTS5 expression; a one-line UsageError when it makes no sense."""
    out: list[str] = []
    shown: list[Term] = []
    depth = 0
    expect_operand = True  # at the start, after an operator and after "("
    negated_depths: list[int] = []  # depths at which a NOT is in force
    pending_not = False
    for kind, value in _lex(text):
        if kind == "op":
            if expect_operand:
                if value == "NOT" and not out:
                    raise UsageError(f"NOT needs something before it, e.g. 'contract NOT draft': {text!r}")
                raise UsageError(f"{value} needs a term on each side: {text!r}")
            out.append(value)
            expect_operand = True
            pending_not = value == "NOT"
            continue
        if kind == "(":
            if not expect_operand:
                out.append("AND")
            out.append("(")
            depth += 1
            if pending_not:
                negated_depths.append(depth)
            pending_not = False
            expect_operand = True
            continue
        if kind == ")":
            if depth == 0:
                raise UsageError(f"a ')' without its '(': {text!r}")
            if expect_operand:
                raise UsageError(f"an operator or '(' with nothing after it: {text!r}")
            if negated_depths and negated_depths[-1] == depth:
                negated_depths.pop()
            out.append(")")
            depth -= 1
            continue
        term = _term(kind, value)
        if term is None:
            continue  # "№" or other punctuation alone: nothing to look for
        if not expect_operand:
            out.append("AND")
        out.append(term.fts())
        if not pending_not and not negated_depths:
            shown.append(term)
        pending_not = False
        expect_operand = False
    if depth:
        raise UsageError(f"a '(' without its ')': {text!r}")
    if out and out[-1] in _OPERATORS:
        raise UsageError(f"{out[-1]} needs a term after it: {text!r}")
    while out and out[-1] == "(":
        out.pop()
    if not shown:
        raise UsageError(f"nothing to search for in {text!r}")
    return SearchQuery(text, " ".join(out), tuple(shown))


# -- the same query for PostgreSQL ------------------------------------------------------------------
#
# The PostgreSQL form is made from the FTS5 expression itself, so there is one parse and one meaning.
# FTS5 binds NOT tighter than AND and AND tighter than OR, all three binary and left to right; a phrase
# is cut by unicode61 as the index was (see reviewer.core.text.unicode61); a phrase that holds no token
# matches nothing in FTS5, which tsquery cannot say, so it is folded away here.

_FTS_ITEM = re.compile(r'\s*(?:(")([^"]*)"(\*?)|([()])|(AND|OR|NOT)(?=[\s()"]|$))')


@dataclass(frozen=True, slots=True)
class _Phrase:
    words: tuple[str, ...]  # as unicode61 cut them; none: the phrase matches nothing
    prefix: bool


@dataclass(frozen=True, slots=True)
class _Op:
    op: str  # AND, OR, NOT
    left: _Phrase | _Op
    right: _Phrase | _Op


def _fts_items(fts: str) -> list[str | _Phrase]:
    """Operators and parentheses as strings, phrases cut into tokens."""
    items: list[str | tuple[str, bool]] = []
    at = 0
    while fts[at:].strip():
        m = _FTS_ITEM.match(fts, at)
        if m is None:
            raise UsageError(f"not a search expression reviewer makes: {fts!r}")
        items.append((m.group(2), bool(m.group(3))) if m.group(1) else m.group(4) or m.group(5))
        at = m.end()
    phrases = [item for item in items if isinstance(item, tuple)]
    cut = iter(tokenize([body for body, _ in phrases]))
    return [_Phrase(tuple(next(cut)), item[1]) if isinstance(item, tuple) else item for item in items]


class _Parser:
    """FTS5's grammar over reviewer's expressions; ``None`` stands for "matches nothing"."""

    _LEVELS = ("OR", "AND", "NOT")

    def __init__(self, items: list[str | _Phrase]) -> None:
        self.items, self.at = items, 0

    def _peek(self) -> str | _Phrase | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def expression(self, level: int = 0) -> _Phrase | _Op | None:
        if level == len(self._LEVELS):
            return self.operand()
        node = self.expression(level + 1)
        while self._peek() == self._LEVELS[level]:
            self.at += 1
            node = _combine(self._LEVELS[level], node, self.expression(level + 1))
        return node

    def operand(self) -> _Phrase | _Op | None:
        item = self._peek()
        if item is None:
            raise UsageError("a search expression that ends too early")
        self.at += 1
        if isinstance(item, _Phrase):
            return item if item.words else None
        if item == "(":
            node = self.expression()
            if self._peek() != ")":
                raise UsageError("a search expression with a '(' and no ')'")
            self.at += 1
            return node
        raise UsageError(f"a search expression with {item} where a term belongs")


def _combine(op: str, left: _Phrase | _Op | None, right: _Phrase | _Op | None) -> _Phrase | _Op | None:
    if left is None or right is None:
        if op == "OR":
            return right if left is None else left
        return None if op == "AND" or left is None else left  # x NOT nothing is x
    return _Op(op, left, right)


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _emit(node: _Phrase | _Op, loose: bool) -> str:
    if isinstance(node, _Phrase):
        parts = [_lexeme(w) for w in node.words]
        if node.prefix:
            parts[-1] += ":*"
        return parts[0] if len(parts) == 1 else "(" + (" & " if loose else " <-> ").join(parts) + ")"
    a = _emit(node.left, loose)
    if node.op == "NOT" and loose:
        return a
    b = _emit(node.right, loose)
    return f"({a} | {b})" if node.op == "OR" else f"({a} & {b})" if node.op == "AND" else f"({a} & !{b})"


@functools.lru_cache(maxsize=64)  # a search asks for it three or four times
def to_tsquery(fts: str, *, loose: bool = False) -> str:
    """The FTS5 expression of :func:`parse_query` as PostgreSQL ``tsquery`` text, meaning the same.

    Lexemes are quoted as the index holds them (``'12' <-> '05' <-> '1174'``, ``'кабел':*``), to be
    cast with ``::tsquery`` (never ``to_tsquery``, whose parser would cut and stem them again). An
    empty string when the expression can match nothing. ``loose`` makes a query that matches at least
    what the exact one does without needing word positions: phrases become AND, ``x NOT y`` becomes
    ``x`` (for rows whose positions did not fit a tsvector; see reviewer.core.storage.search_pg).
    """
    parser = _Parser(_fts_items(fts))
    node = parser.expression()
    if parser.at != len(parser.items):
        raise UsageError(f"a search expression with more after its end: {fts!r}")
    return "" if node is None else _emit(node, loose)


@functools.lru_cache(maxsize=64)
def _pattern(terms: tuple[Term, ...]) -> re.Pattern[str]:
    parts = []
    for term in sorted(terms, key=lambda t: -sum(len(w) for w in t.words)):
        body = r"[\W_]+".join(re.escape(w) for w in term.words)
        parts.append(body + (r"[^\W_]*" if term.prefix else r"(?![^\W_])"))
    return re.compile(r"(?<![^\W_])(?:" + "|".join(parts) + ")")


def match_spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Character spans of ``text`` where one of the terms occurs, in order.

    One regular expression over the folded text (same length as the original): a page of text takes
    a fraction of a millisecond, so snippets for a page of results cost little beside the query.
    """
    if not terms:
        return []
    return [m.span() for m in _pattern(terms).finditer(fold_in_place(text))]


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short passage around the hits, and where in it the hits are."""

    text: str
    marks: tuple[tuple[int, int], ...]

    def bracketed(self, left: str = "[", right: str = "]") -> str:
        """The passage with every hit between ``left`` and ``right``."""
        parts: list[str] = []
        last = 0
        for start, end in self.marks:
            parts += [self.text[last:start], left, self.text[start:end], right]
            last = end
        parts.append(self.text[last:])
        return "".join(parts)


def snippet(text: str, terms: tuple[Term, ...], width: int = 160) -> Snippet:
    """The passage of about ``width`` characters with the most hits, on one line."""
    spans = match_spans(text, terms)
    if not spans:
        flat = " ".join(text[: width * 2].split())
        return Snippet(flat[:width] + ("…" if len(flat) > width else ""), ())
    best_start, best_count = spans[0][0], 0
    j = 0
    for i, (start, _end) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + width:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    lo = max(0, best_start - width // 4)
    while lo > 0 and not text[lo - 1].isspace() and best_start - lo < width // 2:
        lo -= 1
    hi = min(len(text), lo + width)
    while hi < len(text) and not text[hi].isspace() and hi - lo < width + 20:
        hi += 1
    # Whitespace collapsed piece by piece, so the marks stay where they belong (hits begin and end with
    # letters or digits, so no two spaces meet at a piece's edge).
    prefix = "…" if lo > 0 else ""
    pieces: list[str] = [prefix]
    marks: list[tuple[int, int]] = []
    length, cursor = len(prefix), lo
    for start, end in spans:
        if start < cursor or end > hi:
            continue
        gap = _SPACES.sub(" ", text[cursor:start])
        hit = _SPACES.sub(" ", text[start:end])
        marks.append((length + len(gap), length + len(gap) + len(hit)))
        pieces += [gap, hit]
        length += len(gap) + len(hit)
        cursor = end
    pieces.append(_SPACES.sub(" ", text[cursor:hi]))
    pieces.append("…" if hi < len(text) else "")
    return Snippet("".join(pieces), tuple(marks))


def matching_words(words: list[list[object]], terms: tuple[Term, ...]) -> list[int]:
    """Indexes of the page words (``[x0, y0, x1, y1, text]``) that make up a hit of one of the terms."""
    flat: list[str] = []
    owner: list[int] = []
    for index, word in enumerate(words):
        for _s, _e, token in tokens(str(word[4])):
            flat.append(token)
            owner.append(index)
    hits: set[int] = set()
    for i in range(len(flat)):
        for term in terms:
            if term.matches(flat, i):
                hits.update(owner[i : i + len(term.words)])
                break
    return sorted(hits)
