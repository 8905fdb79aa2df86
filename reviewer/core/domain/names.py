"""File names and paths as reviewer records them and as it shows them.

A name on Linux is bytes; most are UTF-8 but a zip from Windows or an old Mac need not be, and Python
hands such a name over as ``str`` with lone surrogates (``surrogateescape``), which SQLite and JSON
cannot encode. Names also come from whoever made the leak, so they may hold terminal escapes, line
breaks or bidi overrides that would forge what a screen shows.

Recorded form (:func:`path_text`), reversible by :func:`path_bytes`:

* a name that is UTF-8 is recorded as its exact text;
* a name that is not, or whose text starts with ``"`` or holds a NUL, is recorded *quoted*:
  ``"`` + the text + ``"``, where every byte that is not UTF-8 is ``\\xNN``, a backslash is
  ``\\\\``, a double quote is ``\\"`` and a control or bidi character is ``\\uNNNN``.
  Everything printable stays as it is, so the name is still found by what can be read of it.

Shown form (:func:`shown`): the recorded form when quoted; otherwise the text itself, unless it holds a
control or bidi character, in which case it is shown quoted the same way. :func:`shown_line` escapes a
whole message (which may embed names) without quoting it.
"""

from __future__ import annotations

import os
import re
import unicodedata

_QUOTE = '"'

# Characters that move the cursor, clear the screen or reorder text: C0, DEL, C1, the bidi embeddings,
# overrides, isolates and marks, and the Unicode line and paragraph separators.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SEPARATORS = frozenset("\u2028\u2029")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPE = re.compile(r'\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(["\\]))')

PathInput = str | bytes | os.PathLike[str] | os.PathLike[bytes]


def _raw(path: PathInput) -> bytes:
    """The bytes of a path, whichever way Python holds it."""
    value = os.fspath(path)
    if isinstance(value, bytes):
        return value
    try:
        return os.fsencode(value)
    except UnicodeEncodeError:  # a surrogate that did not come from undecodable bytes
        return value.encode("utf-8", "surrogatepass")


def _unsafe_char(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in _BIDI or char in _SEPARATORS


def _escaped(raw: bytes, *, quote: bool) -> str:
    parts = [_QUOTE] if quote else []
    for char in raw.decode("utf-8", "surrogateescape"):
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as surrogateescape gives it
            parts.append(f"\\x{code - 0xDC00:02x}")
        elif quote and char in '\\"':
            parts.append("\\" + char)
        elif _unsafe_char(char) or 0xD800 <= code <= 0xDFFF:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(char)
    if quote:
        parts.append(_QUOTE)
    return "".join(parts)


def _quoted(raw: bytes) -> str:
    return _escaped(raw, quote=True)


def path_text(path: PathInput) -> str:
    """The text to record for a path or name: exact when it is UTF-8, quoted and escaped when not.

    Apply it once, to the path as found (``str`` from the file system, ``bytes`` or a ``Path``); the
    result is plain Unicode that SQLite, JSON and the custody hash accept, and :func:`path_bytes`
    gives back the exact bytes.
    """
    raw = _raw(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _quoted(raw)
    if text.startswith(_QUOTE) or "\x00" in text or _LONE_SURROGATE.search(text):
        return _quoted(raw)
    return text


def path_bytes(text: str) -> bytes:
    """The exact bytes of a path recorded by :func:`path_text`."""
    if len(text) < 2 or not (text.startswith(_QUOTE) and text.endswith(_QUOTE)):
        return _raw(text)
    out = bytearray()
    body = text[1:-1]
    position = 0
    for match in _ESCAPE.finditer(body):
        out += body[position : match.start()].encode("utf-8")
        byte, char, literal = match.groups()
        if byte is not None:
            out.append(int(byte, 16))
        elif char is not None:
            out += chr(int(char, 16)).encode("utf-8", "surrogatepass")
        else:
            out += literal.encode("ascii")
        position = match.end()
    out += body[position:].encode("utf-8")
    return bytes(out)


def path_str(text: str) -> str:
    """A recorded path as the ``str`` the operating system takes (``open``, ``Path``), exact bytes."""
    return os.fsdecode(path_bytes(text))


def shown(name: PathInput) -> str:
    """A file name or path safe to print or display: nothing in it can move a cursor or reorder text.

    Takes a recorded text (from :func:`path_text`) or a path as found; a name that needs no escaping is
    shown as it is.
    """
    text = os.fspath(name)
    if isinstance(text, bytes) or _LONE_SURROGATE.search(text):
        text = path_text(text)
    if not _UNSAFE.search(text):
        return text  # plain, or already quoted by path_text
    return _quoted(_raw(text))


def shown_line(text: str) -> str:
    """A message (which may quote names) made safe to print on one line: the same escapes, no quotes."""
    if not _UNSAFE.search(text) and not _LONE_SURROGATE.search(text):
        return text
    return _escaped(_raw(text), quote=False)
