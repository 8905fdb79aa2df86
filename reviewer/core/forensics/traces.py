"""Traces of where a file came from: what one is, and the patterns that find them in any text.

A *trace* is anything in a file that could identify a source: an author, a user name inside a path,
a host, an e-mail address, a camera's serial number, GPS coordinates, an earlier revision. The
per-format readers (``traces_pdf``, ``traces_image``, ``traces_file``) report them; the bag walker
(``reviewer.core.bundles.publication``) adds what only the whole bag shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Every kind of trace, in the words of ``reviewer check-publication --json``.
KINDS = (
    "metadata",  # an info dictionary entry, an EXIF/TIFF/PNG/IPTC field, a comment, a date
    "xmp",  # an XMP packet, document-level or on one object
    "author",  # an author, creator, artist or owner field, anywhere
    "gps",  # coordinates
    "serial-number",  # a camera, lens or device serial number, a maker note
    "thumbnail",  # an embedded preview, which keeps the picture as it was
    "user-path",  # a user name inside a path
    "host",  # a computer's or server's name
    "email",  # an e-mail address
    "document-id",  # a PDF /ID shared with another file of the bag
    "page-labels",
    "embedded-file",
    "javascript",
    "annotation-author",
    "revision",  # an earlier saved state of a PDF (incremental update)
    "tracking-dots",  # a colour laser printer's yellow dots
    "file-name",  # a name that looks like the received one
    "original",  # an original in a bag made for publication
    "bag",  # what the bag's own tag files and case.json say
    "uninspectable",  # a file that could not be read: its traces are unknown
)
#: Kinds that describe what a file says about itself (what metadata cleaners remove).
METADATA_KINDS = frozenset(KINDS) - {
    "tracking-dots",
    "file-name",
    "original",
    "bag",
    "revision",
    "uninspectable",
}

_HINT = 60
_WINDOWS_USER = re.compile(
    r"[A-Za-z]:[\\/]+(?:Users|Documents and Settings|home)[\\/]+([^\\/:*?\"<>|\r\n]{1,64})"
)
_UNIX_USER = re.compile(r"(?<![\w.])/(?:home|Users|export/home)/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?=/|\b)")
_UNC = re.compile(r"(?:\\\\|smb://|file://)([A-Za-z0-9][A-Za-z0-9._-]{0,62})[\\/][^\s\\/]")
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b"
)
#: account names that say nothing about anyone
_GENERIC_USERS = frozenset({"public", "default", "shared", "all users", "user", "admin", "administrator"})


@dataclass(frozen=True, slots=True)
class Trace:
    """One trace in one file: its kind (one of KINDS) and what it is, with the value or a hint of it."""

    kind: str
    detail: str


def hint(value: object) -> str:
    """A value fit for one line: control characters escaped, cut to 60 characters."""
    text = str(value).strip()
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else "?" for c in text)
    return text if len(text) <= _HINT else text[: _HINT - 1] + "…"


def text_traces(text: str, where: str) -> list[Trace]:
    """User names in paths, hosts in network paths and e-mail addresses found in ``text``.

    ``where`` says where the text is ("the Author field", "page 2's text"); each value is reported once.
    """
    found: list[Trace] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, what: str, value: str) -> None:
        if (kind, value.casefold()) not in seen:
            seen.add((kind, value.casefold()))
            found.append(Trace(kind, f"{what} in {where} ({hint(value)})"))

    for pattern in (_WINDOWS_USER, _UNIX_USER):
        for match in pattern.finditer(text):
            if match.group(1).strip().casefold() not in _GENERIC_USERS:
                add("user-path", f"user name {match.group(1).strip()!r} in a path", match.group(0))
    for match in _UNC.finditer(text):
        add("host", f"host {match.group(1)!r} in a network path", match.group(0))
    for match in _EMAIL.finditer(text):
        add("email", "e-mail address", match.group(0))
    return found


def user_names(text: str) -> list[str]:
    """The user names that paths in ``text`` carry (for matching file names against)."""
    names = [m.group(1).strip() for p in (_WINDOWS_USER, _UNIX_USER) for m in p.finditer(text)]
    names += [m.group(0).split("@")[0] for m in _EMAIL.finditer(text)]
    return [n for n in names if n.casefold() not in _GENERIC_USERS]
