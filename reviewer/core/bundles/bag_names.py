"""BagIt names and limits: a bag's fixed names, a bundle's limits, safe names, the files of a folder."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reviewer.core.domain.errors import ReviewerError

CHUNK = 1 << 20
BAGIT_TXT = "bagit.txt"
BAG_INFO = "bag-info.txt"
PAYLOAD_DIR = "data"
BAGIT_VERSION = "1.0"
READABLE_VERSIONS = ("0.97", "1.0")
#: Hash algorithms a manifest may use (``manifest-ALG.txt``); reviewer writes only SHA-256.
ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
#: Below this many uncompressed bytes a member or a zip is too small to be a bomb, whatever its ratio.
RATIO_FLOOR = 1 << 20
#: Payload formats that are compressed already: zipped as they are, not deflated again.
# fmt: off
STORED_SUFFIXES = frozenset({
    ".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".gif", ".webp", ".heic", ".jp2",
    ".zip", ".gz", ".7z", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".mp3", ".mp4", ".m4a", ".mov",
})
# fmt: on
NEWLINES = re.compile(r"\r\n|\r|\n")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"[A-Za-z]:")
_ENCODED = re.compile(r"%(0[AaDd]|25)")
_BAD_IN_NAME = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")  # controls other than CR and LF


class BagError(ReviewerError):
    """A bundle that cannot be written, read or trusted; the message is one plain line."""


@dataclass(frozen=True, slots=True)
class BagLimits:
    """How much a bundle from elsewhere may hold before it is refused unopened."""

    max_files: int = 100_000
    max_total_bytes: int = 50 << 30
    max_member_bytes: int = 20 << 30
    #: uncompressed/compressed, per zip member and for the zip as a whole
    max_ratio: float = 200.0
    #: manifests, bag-info.txt, and any JSON the importer will parse
    max_tag_file_bytes: int = 64 << 20


#: What a bundle from elsewhere may hold unless a caller says otherwise.
DEFAULT_LIMITS = BagLimits()


def show(name: str) -> str:
    """A name fit for a one-line message: control characters (CR, LF, escapes) made visible."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def name_problem(name: str) -> str | None:
    """Why a '/'-separated relative name is unsafe or malformed, or None if it is fine."""
    if not name:
        return "is empty"
    if "\\" in name:
        return "contains a backslash (a Windows path)"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    parts = name.split("/")
    if ".." in parts:
        return "climbs out of its folder with '..'"
    if "" in parts or "." in parts:
        return "has an empty or '.' part"
    if _BAD_IN_NAME.search(name):
        return "contains control characters"
    return None


def collision_key(name: str) -> str:
    """Names equal under this key would overwrite each other on macOS or Windows."""
    return unicodedata.normalize("NFC", name).casefold()


def encode_path(name: str) -> str:
    """A file name as written in a manifest: '%', CR and LF percent-encoded (RFC 8493, 2.1.3)."""
    return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(name: str) -> str:
    """The file name a manifest line stands for; the inverse of :func:`encode_path`."""
    return _ENCODED.sub(lambda m: {"0A": "\n", "0D": "\r", "25": "%"}[m.group(1).upper()], name)


def open_for_reading(path: Path) -> io.FileIO:
    """A file opened to read, without following a named pipe into a hang (nor touching its atime)."""
    # O_NONBLOCK: opening a named pipe must not hang; it changes nothing for a regular file
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOATIME", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        if not flags & getattr(os, "O_NOATIME", 0):
            raise
        fd = os.open(path, flags & ~os.O_NOATIME)  # O_NOATIME needs ownership; reading matters more
    return io.FileIO(fd, "rb")


def scan_folder(root: Path, limits: BagLimits | None) -> dict[str, int]:
    """Every regular file under ``root`` ('/'-separated relative name -> size), refusing links."""
    files: dict[str, int] = {}
    total = 0
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            raise BagError(f"the folder {prefix or root} cannot be read ({exc.strerror or exc})") from None
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                raise BagError(f"the bag contains a symbolic link, {show(relative)}; links are refused")
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), relative + "/"))
                continue
            if not entry.is_file(follow_symlinks=False):
                raise BagError(f"the bag contains {show(relative)}, which is not a regular file")
            size = entry.stat(follow_symlinks=False).st_size
            files[relative] = size
            total += size
            if limits is None:
                continue
            if len(files) > limits.max_files:
                raise BagError(f"the bag holds more than {limits.max_files:,} files, more than allowed")
            if size > limits.max_member_bytes:
                raise BagError(
                    f"{show(relative)} is {size:,} bytes, more than the {limits.max_member_bytes:,} allowed"
                )
            if total > limits.max_total_bytes:
                raise BagError(f"the bag holds more than the {limits.max_total_bytes:,} bytes allowed")
    return files
