"""BagIt bags (RFC 8493): writing one, zipping it, opening one safely and verifying it.

A bag is a folder::

  BAG/
    bagit.txt               "BagIt-Version: 1.0" and "Tag-File-Character-Encoding: UTF-8"
    bag-info.txt            Source-Organization, Bagging-Date, Payload-Oxum…
    manifest-sha256.txt     the SHA-256 of every payload file
    tagmanifest-sha256.txt  the SHA-256 of every other file above
    data/…                  the payload

Anyone can check a bag with their own tools (``sha256sum -c manifest-sha256.txt`` inside it, or the
Library of Congress ``bagit`` programs); reviewer does not ask to be trusted. A bag that arrives from
elsewhere is hostile until shown otherwise: :func:`open_bag` refuses paths that climb out of the
bag, links, special files and zip bombs before anything is written, and :func:`verify_bag` lists
what does not add up in plain words.

Only the standard library is used, so the checks are easy to audit.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import re
import shutil
import stat
import tempfile
import threading
import unicodedata
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from reviewer.core.domain.errors import ReviewerError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

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
_MANIFEST_NAME = re.compile(r"(tag)?manifest-([a-z0-9]+)\.txt")
_MANIFEST_LINE = re.compile(r"([0-9A-Fa-f]+)[ \t]+(.+)")
_OXUM = re.compile(r"([0-9]+)\.([0-9]+)")
_DRIVE = re.compile(r"[A-Za-z]:")
_ENCODED = re.compile(r"%(0[AaDd]|25)")
_NEWLINES = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
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


# --- names ------------------------------------------------------------------------------------------


def _show(name: str) -> str:
    """A name fit for a one-line message: control characters (CR, LF, escapes) made visible."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def _name_problem(name: str) -> str | None:
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


def _collision_key(name: str) -> str:
    """Names equal under this key would overwrite each other on macOS or Windows."""
    return unicodedata.normalize("NFC", name).casefold()


def encode_path(name: str) -> str:
    """A file name as written in a manifest: '%', CR and LF percent-encoded (RFC 8493, 2.1.3)."""
    return name.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(name: str) -> str:
    """The file name a manifest line stands for; the inverse of :func:`encode_path`."""
    return _ENCODED.sub(lambda m: {"0A": "\n", "0D": "\r", "25": "%"}[m.group(1).upper()], name)


# --- writing ----------------------------------------------------------------------------------------


def _open_for_reading(path: Path) -> io.FileIO:
    # O_NONBLOCK: opening a named pipe must not hang; it changes nothing for a regular file
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOATIME", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        if not flags & getattr(os, "O_NOATIME", 0):
            raise
        fd = os.open(path, flags & ~os.O_NOATIME)  # O_NOATIME needs ownership; reading matters more
    return io.FileIO(fd, "rb")


@dataclass(frozen=True, slots=True)
class Copied:
    """A payload file copied into a bag: its name, SHA-256, size, and the hash state after it.

    ``state`` lets a later file that begins with the same bytes (an annotated copy made by an
    incremental PDF update) be hashed from where this one ended: only its new bytes are hashed.
    ``crc`` is the zip CRC-32 of the bytes when the bag is a zip, for the same purpose.
    """

    name: str
    digest: str
    size: int
    state: Any
    crc: int | None = None
    mtime_ns: int = 0


class BagWriter:
    """Writes a bag into an empty or new folder; payload files are hashed as they are copied.

    ``progress``, if given, is called with (payload bytes written, payload files written) as the
    copies go. Nothing is ever read twice: the SHA-256 of each file comes from the same pass that
    copies it, and the tag manifest from the bytes of the tag files as they are written.
    """

    def __init__(self, root: Path, *, progress: Callable[[int, int], None] | None = None) -> None:
        self.root = Path(root)
        self._progress = progress
        self._sha256: dict[str, str] = {}
        self._files: set[str] = set()
        self._folders: set[str] = set()
        self._bytes = 0
        self._finished = False
        self._buffer = bytearray(CHUNK)  # one buffer for every copy: no allocation per file
        self._reserved: dict[str, Path] = {}
        # Names are claimed and totals kept under a lock: the export copies originals on one
        # thread while another reserves the names of the annotated copies.
        self._lock = threading.Lock()
        self._prepare()

    def _prepare(self) -> None:
        if self.root.exists() and (not self.root.is_dir() or any(self.root.iterdir())):
            raise BagError(f"{self.root} already exists and is not an empty folder; a bag needs a new one")
        self.payload = self.root / PAYLOAD_DIR
        self.payload.mkdir(parents=True, exist_ok=True)

    @property
    def payload_bytes(self) -> int:
        """Bytes of payload written so far."""
        return self._bytes

    @property
    def payload_files(self) -> int:
        """Payload files written so far."""
        return len(self._sha256)

    def _claim(self, relative: str) -> str:
        with self._lock:
            return self._claim_unlocked(relative)

    def _claim_unlocked(self, relative: str) -> str:
        if self._finished:
            raise BagError("the bag is finished; nothing more can be added to it")
        name = unicodedata.normalize("NFC", relative)
        problem = _name_problem(name)
        if problem is not None:
            raise BagError(f"cannot add {_show(relative)!r} to the bag: the name {problem}")
        key = _collision_key(name)
        parts = key.split("/")
        folders = {"/".join(parts[:i]) for i in range(1, len(parts))}
        if key in self._files or key in self._folders:
            raise BagError(
                f"cannot add {_show(name)!r} to the bag: another file or folder has the same name "
                "(letter case and accents aside)"
            )
        if folders & self._files:
            raise BagError(
                f"cannot add {_show(name)!r} to the bag: a file already has the name of its folder"
            )
        self._files.add(key)
        self._folders |= folders
        return name

    # Where the bytes go: a file under data/ here, a zip member in ZipBagWriter.

    def _open_member(self, name: str, size: int | None = None) -> IO[bytes]:
        target = self.payload.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, "xb")

    def _drop_member(self, name: str) -> None:
        self.payload.joinpath(*name.split("/")).unlink(missing_ok=True)

    def _last_crc(self) -> int | None:
        return None

    def _write_tag_file(self, name: str, data: bytes) -> None:
        (self.root / name).write_bytes(data)

    def _close(self) -> Path:
        return self.root

    def add_file(self, relative: str, source: Path) -> str:
        """Copy ``source`` to ``data/relative`` and return its SHA-256, hashed while copying."""
        return self.add_original(relative, source).digest

    def add_original(self, relative: str, source: Path) -> Copied:
        """Copy ``source`` to ``data/relative``, hashing while copying; the copy's facts and hash state."""
        name = self._claim(relative)
        try:
            digest, size, crc, mtime_ns = self._copy(Path(source), name)
        except BaseException:
            self._drop_member(name)
            self._files.discard(_collision_key(name))
            raise
        with self._lock:
            self._sha256[name] = digest.hexdigest()
            self._bytes += size
        self._report()
        return Copied(name, self._sha256[name], size, digest, crc, mtime_ns)

    def reserve(self, relative: str) -> Path:
        """Claim ``data/relative`` for a file another process writes; the path to write it at.

        The file joins the bag, hashed, with :meth:`adopt`.
        """
        name = self._claim(relative)
        with self._lock:
            path = self._reserved_path(name)
            self._reserved[name] = path
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def adopt(self, relative: str, base: Copied | None = None) -> str:
        """Take the file written at :meth:`reserve`'s path into the bag; returns its SHA-256.

        With ``base``, the file begins with ``base``'s bytes (an original and an incremental update
        appended to it): the SHA-256 goes on from ``base``'s state and only the rest is hashed.
        """
        name = unicodedata.normalize("NFC", relative)
        path = self._reserved.pop(name, None)
        if path is None:
            raise BagError(f"{_show(name)} was not reserved in the bag")
        try:
            digest, size = self._take(name, path, base)
        except OSError as exc:
            raise BagError(f"{_show(name)} cannot be read into the bag ({exc.strerror or exc})") from None
        self._sha256[name] = digest.hexdigest()
        self._bytes += size
        self._report()
        return self._sha256[name]

    def _reserved_path(self, name: str) -> Path:
        return self.payload.joinpath(*name.split("/"))

    def _take(self, name: str, path: Path, base: Copied | None) -> tuple[Any, int]:
        with _open_for_reading(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if base is None:
                digest = hashlib.sha256()
            else:
                if size < base.size:
                    raise BagError(f"{_show(name)} is shorter than the file it extends")
                digest = base.state.copy()
                handle.seek(base.size)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return digest, size

    def add_bytes(self, relative: str, data: bytes) -> str:
        """Write ``data`` to ``data/relative`` and return its SHA-256."""
        name = self._claim(relative)
        digest = hashlib.sha256(data).hexdigest()
        try:
            with self._open_member(name, len(data)) as handle:
                handle.write(data)
        except OSError as exc:
            self._drop_member(name)
            self._files.discard(_collision_key(name))
            raise BagError(f"cannot write {_show(name)} into the bag ({exc.strerror or exc})") from None
        self._sha256[name] = digest
        self._bytes += len(data)
        self._report()
        return digest

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self._bytes, len(self._sha256))

    def _copy(self, source: Path, name: str) -> tuple[Any, int, int | None, int]:
        try:
            src = _open_for_reading(source)
        except FileNotFoundError:
            raise BagError(f"{source} disappeared before it could be copied into the bag") from None
        except IsADirectoryError:
            raise BagError(f"{source} is a folder, not a file; only files go into a bag") from None
        except OSError as exc:
            raise BagError(f"{source} cannot be read ({exc.strerror or exc})") from None
        digest = hashlib.sha256()
        size = 0
        buffer = self._buffer
        view = memoryview(buffer)
        with src:
            before = os.fstat(src.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise BagError(f"{source} is not a regular file and cannot go into a bag")
            try:
                with self._open_member(name, before.st_size) as dst:
                    while count := src.readinto(buffer):
                        chunk = view[:count]
                        digest.update(chunk)
                        dst.write(chunk)
                        size += count
                        if self._progress is not None and size % (16 * CHUNK) == 0:
                            self._progress(self._bytes + size, len(self._sha256))
                crc = self._last_crc()
            except OSError as exc:
                raise BagError(f"copying {source} into the bag failed ({exc.strerror or exc})") from None
            after = os.fstat(src.fileno())
        changed = (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns)
        if changed or size != after.st_size:
            raise BagError(f"{source} changed while it was being copied into the bag; export again")
        return digest, size, crc, after.st_mtime_ns

    def finish(self, info: Mapping[str, str]) -> Path:
        """Write the tag files and return the bag's folder.

        ``info`` becomes bag-info.txt in the order given (Source-Organization, External-Description,
        Bag-Software-Agent…). Payload-Oxum is always computed here; Bagging-Date is today (UTC)
        unless given. A value with line breaks is folded onto indented continuation lines.
        """
        if self._finished:
            raise BagError("the bag is already finished")
        lines: list[str] = []
        for label, value in info.items():
            if not label or ":" in label or label != label.strip() or _CONTROL.search(label):
                raise BagError(f"{_show(label)!r} cannot be a bag-info.txt label")
            if label.lower() == "payload-oxum":
                continue
            folded = "\n  ".join(_NEWLINES.split(value.strip()))
            lines.append(f"{label}: {folded}")
        if not any(label.lower() == "bagging-date" for label in info):
            lines.append(f"Bagging-Date: {datetime.datetime.now(datetime.UTC).date().isoformat()}")
        lines.append(f"Payload-Oxum: {self._bytes}.{len(self._sha256)}")
        manifest = "".join(
            f"{digest}  {encode_path(f'{PAYLOAD_DIR}/{name}')}\n"
            for name, digest in sorted(self._sha256.items())
        )
        tag_files = {
            BAGIT_TXT: f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n".encode(),
            BAG_INFO: "".join(f"{line}\n" for line in lines).encode(),
            "manifest-sha256.txt": manifest.encode(),
        }
        tagmanifest = "".join(
            f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(tag_files.items())
        )
        tag_files["tagmanifest-sha256.txt"] = tagmanifest.encode()
        for name, data in tag_files.items():
            self._write_tag_file(name, data)
        self._finished = True
        return self._close()


def kernel_copy(src: IO[bytes], dst: IO[bytes], size: int) -> int:
    """Copy ``size`` bytes from the start of ``src`` to ``dst``, in the kernel where it can; bytes copied."""
    dst.flush()
    copied = 0
    try:
        while copied < size:
            sent = os.sendfile(dst.fileno(), src.fileno(), copied, min(size - copied, 1 << 30))
            if sent == 0:
                break
            copied += sent
    except (AttributeError, OSError):  # no sendfile here: an ordinary copy
        src.seek(copied)
        while copied < size and (chunk := src.read(min(CHUNK, size - copied))):
            dst.write(chunk)
            copied += len(chunk)
    return copied


# --- walking a folder -------------------------------------------------------------------------------


def _scan_folder(root: Path, limits: BagLimits | None) -> dict[str, int]:
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
                raise BagError(f"the bag contains a symbolic link, {_show(relative)}; links are refused")
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), relative + "/"))
                continue
            if not entry.is_file(follow_symlinks=False):
                raise BagError(f"the bag contains {_show(relative)}, which is not a regular file")
            size = entry.stat(follow_symlinks=False).st_size
            files[relative] = size
            total += size
            if limits is None:
                continue
            if len(files) > limits.max_files:
                raise BagError(f"the bag holds more than {limits.max_files:,} files, more than allowed")
            if size > limits.max_member_bytes:
                raise BagError(
                    f"{_show(relative)} is {size:,} bytes, more than the {limits.max_member_bytes:,} allowed"
                )
            if total > limits.max_total_bytes:
                raise BagError(f"the bag holds more than the {limits.max_total_bytes:,} bytes allowed")
    return files


def _arc_date(path: Path) -> tuple[int, int, int, int, int, int]:
    moment = datetime.datetime.fromtimestamp(path.stat().st_mtime)  # zip times are local, by convention
    if moment.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if moment.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def zip_bag(folder: Path, out: Path) -> Path:
    """Zip the bag ``folder`` to ``out``, under a single top-level folder named ``out.stem``.

    Already-compressed payload (PDF, JPEG, PNG, TIFF…) is stored, the rest deflated. Members come in
    a fixed order (bagit.txt, the other tag files, then the payload, each by name); the zip is
    written to ``out.partial`` and renamed only once complete.
    """
    folder = Path(folder)
    out = Path(out)
    if not (folder / BAGIT_TXT).is_file():
        raise BagError(f"{folder} is not a bag (it has no bagit.txt)")
    if out.exists():
        raise BagError(f"{out} already exists; choose a new name for the zip")
    top = out.stem
    if _name_problem(top) is not None or "/" in top:
        raise BagError(f"{out.name!r} cannot name a bag; choose a plainer file name")
    files = _scan_folder(folder, None)
    folders = {"/".join(name.split("/")[:i]) for name in files for i in range(1, name.count("/") + 1)}
    folders.add(PAYLOAD_DIR)  # even when the payload is empty
    entries = sorted(
        [(name, False) for name in files] + [(name, True) for name in folders],
        key=lambda entry: (entry[0] != BAGIT_TXT, entry[0].split("/")[0] == PAYLOAD_DIR, entry[0].split("/")),
    )
    partial = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            archive.writestr(_dir_info(top, folder), b"")
            for name, is_dir in entries:
                source = folder.joinpath(*name.split("/"))
                if is_dir:
                    archive.writestr(_dir_info(f"{top}/{name}", source), b"")
                    continue
                info = zipfile.ZipInfo(f"{top}/{name}", _arc_date(source))
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                info.file_size = files[name]
                stored = Path(name).suffix.lower() in STORED_SUFFIXES
                info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                with _open_for_reading(source) as src, archive.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BagError(f"writing the zip {out} failed ({exc.strerror or exc})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return out


def _dir_info(name: str, source: Path) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name + "/", _arc_date(source))
    info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | 0x10  # 0x10: the MS-DOS directory flag
    return info


# --- opening a bag from elsewhere -------------------------------------------------------------------


@contextmanager
def open_bag(path: Path, *, limits: BagLimits = BagLimits(), scratch: Path | None = None) -> Iterator[Path]:
    """The folder of a bag, ready to read: a bag folder as it is, a zip unpacked into a temporary folder.

    A folder is refused if a link or special file is anywhere inside, or it exceeds ``limits``. A zip
    has every member checked before anything is unpacked (absolute or climbing paths, drive letters,
    backslashes, links, duplicates, more than one top-level folder, count, declared sizes and
    compression ratios), then is unpacked counting the bytes actually produced, since a zip bomb
    lies about its sizes. The temporary folder is made in ``scratch`` (default: the system's) and
    removed afterwards (also when the block raises). A case passes a folder of its staging claim, so
    an unpacking cut short even by SIGKILL is swept when the case is next opened; without a case (for
    ``reviewer verify BUNDLE``) the folder is named ``reviewer-bag-PID-…`` in the system's temporary
    folder. Raises :class:`BagError` with a plain reason.
    """
    path = Path(path)
    if path.is_dir():
        _scan_folder(path, limits)
        yield path
        return
    if not path.is_file():
        raise BagError(f"{path} does not exist or is neither a folder nor a zip")
    with tempfile.TemporaryDirectory(prefix=f"reviewer-bag-{os.getpid()}-", dir=scratch) as temporary:
        yield _unzip(path, Path(temporary), limits)


def _unzip(path: Path, into: Path, limits: BagLimits) -> Path:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            top = _check_members(members, path.stat().st_size, limits)
            total = 0
            for info in members:
                target = into.joinpath(*info.filename.rstrip("/").split("/"))
                if not _inside(target, into):  # cannot happen after the checks; kept as a last guard
                    raise BagError(f"the zip member {_show(info.filename)} would land outside the bag")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                total += _extract(archive, info, target, limits, total)
    except BagError:
        raise
    except zipfile.BadZipFile as exc:
        raise BagError(f"{path.name} is not a zip or is damaged ({_show(str(exc))})") from None
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise BagError(f"{path.name} cannot be unpacked; it is damaged ({_show(str(exc))})") from None
    except OSError as exc:
        raise BagError(f"unpacking {path.name} failed ({exc.strerror or exc})") from None
    return into / top


def _inside(target: Path, folder: Path) -> bool:
    return os.path.commonpath([os.path.abspath(target), os.path.abspath(folder)]) == os.path.abspath(folder)


def _extract(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limits: BagLimits, total: int
) -> int:
    """Unpack one member, counting what really comes out; returns its size."""
    written = 0
    with archive.open(info) as src, open(target, "xb") as dst:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            if written > info.file_size or written > limits.max_member_bytes:
                raise BagError(
                    f"the zip member {_show(info.filename)} unpacks to more than it declares "
                    "(a zip bomb); refused"
                )
            if total + written > limits.max_total_bytes:
                raise BagError(f"the zip unpacks to more than the {limits.max_total_bytes:,} bytes allowed")
            dst.write(chunk)
    if written != info.file_size:
        raise BagError(
            f"the zip member {_show(info.filename)} holds {written:,} bytes, not the {info.file_size:,} "
            "it declares; the zip is damaged or forged"
        )
    return written


def _check_members(members: list[zipfile.ZipInfo], zip_size: int, limits: BagLimits) -> str:
    """Refuse a zip whose members are unsafe, before anything is unpacked; returns the top folder."""
    if not members:
        raise BagError("the zip is empty; a bundle holds one bag folder")
    files = [m for m in members if not m.is_dir()]
    if len(files) > limits.max_files or len(members) - len(files) > limits.max_files:
        raise BagError(f"the zip has {len(members):,} members, more than the {limits.max_files:,} allowed")
    tops: set[str] = set()
    seen: set[str] = set()
    folders: set[str] = set()
    total = 0
    for info in members:
        name = info.filename
        shown = _show(name)
        problem = _name_problem(name[:-1] if info.is_dir() else name)
        if problem is not None:
            raise BagError(f"the zip member {shown!r} {problem}; refused")
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise BagError(f"the zip member {shown!r} is a symbolic link; links are refused")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise BagError(f"the zip member {shown!r} is a special file (a device or pipe); refused")
        if info.flag_bits & 0x1:
            raise BagError(f"the zip member {shown!r} is encrypted; bundles are not")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BagError(f"the zip member {shown!r} uses a compression method reviewer does not unpack")
        parts = name.rstrip("/").split("/")
        tops.add(parts[0])
        if len(tops) > 1:
            listed = ", ".join(sorted(_show(t) for t in tops))
            raise BagError(
                f"the zip has more than one top-level entry ({listed}); a bundle has one bag folder"
            )
        if len(parts) == 1 and not info.is_dir():
            raise BagError(f"the zip holds the file {shown!r} at its top, not a bag folder")
        key = _collision_key(name.rstrip("/"))
        if key in seen:
            raise BagError(
                f"the zip has two members named {shown!r} (letter case and accents aside); refused"
            )
        seen.add(key)
        key_parts = key.split("/")
        folders.update("/".join(key_parts[:i]) for i in range(1, len(key_parts)))
        if info.is_dir():
            if info.file_size:
                raise BagError(f"the zip member {shown!r} is a folder with content; the zip is malformed")
            continue
        if info.file_size > limits.max_member_bytes:
            raise BagError(
                f"the zip member {shown!r} declares {info.file_size:,} bytes, "
                f"more than the {limits.max_member_bytes:,} allowed"
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise BagError(f"the zip declares more than the {limits.max_total_bytes:,} bytes allowed")
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * info.compress_size:
            raise BagError(
                f"the zip member {shown!r} is compressed more than {limits.max_ratio:g} to 1 "
                "(a zip bomb); refused"
            )
    clash = folders & {_collision_key(m.filename) for m in files}
    if clash:
        raise BagError(f"the zip has a file and a folder both named {_show(min(clash))!r}; refused")
    if total > RATIO_FLOOR and total > limits.max_ratio * max(zip_size, 1):
        raise BagError(
            f"the zip unpacks to more than {limits.max_ratio:g} times its size (a zip bomb); refused"
        )
    return next(iter(tops))


def read_bag_file(bag: Path, relative: str, *, limits: BagLimits = BagLimits()) -> bytes:
    """The bytes of a small file of an opened bag (a JSON file to parse), refused if it is too big."""
    problem = _name_problem(relative)
    if problem is not None:
        raise BagError(f"{_show(relative)!r} cannot be read from the bag: the name {problem}")
    path = Path(bag).joinpath(*relative.split("/"))
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise BagError(f"the bag has no {_show(relative)}") from None
    except OSError as exc:
        raise BagError(f"{_show(relative)} in the bag cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise BagError(f"{_show(relative)} in the bag is not a regular file")
        data = handle.read(limits.max_tag_file_bytes + 1)
    if len(data) > limits.max_tag_file_bytes:
        raise BagError(
            f"{_show(relative)} in the bag is larger than the {limits.max_tag_file_bytes:,} bytes allowed"
        )
    return data


# --- verifying --------------------------------------------------------------------------------------


def verify_bag(path: Path, *, limits: BagLimits = BagLimits(), scratch: Path | None = None) -> list[str]:
    """What is wrong with the bag at ``path`` (a folder or a zip), in plain words; [] when it is valid.

    Checks bagit.txt, bag-info.txt (and its Payload-Oxum), every line of every manifest and tag
    manifest, that no listed file is missing and no file is unlisted, and every hash (each file is
    read once). A zip is first opened with :func:`open_bag`, and whatever that refuses is the answer.
    """
    try:
        with open_bag(path, limits=limits, scratch=scratch) as folder:
            return _Verifier(folder, limits).run()
    except BagError as exc:
        return [str(exc)]


class _Verifier:
    def __init__(self, root: Path, limits: BagLimits) -> None:
        self.root = root
        self.limits = limits
        self.problems: list[str] = []
        self.files: dict[str, int] = {}
        self.by_key: dict[str, str] = {}

    def run(self) -> list[str]:
        self.files = _scan_folder(self.root, self.limits)
        self.by_key = {unicodedata.normalize("NFC", name): name for name in self.files}
        self._check_bagit_txt()
        info = self._read_bag_info()
        payload = {n: s for n, s in self.files.items() if n.startswith(PAYLOAD_DIR + "/")}
        if not (self.root / PAYLOAD_DIR).is_dir():
            self.problems.append("the data/ folder (the payload) is missing")
        if "fetch.txt" in self.files:
            self.problems.append("the bag relies on fetch.txt to download files, which reviewer never does")
        manifests, tagmanifests = self._read_manifests()
        if not manifests:
            self.problems.append("there is no payload manifest (manifest-sha256.txt)")
        if not tagmanifests:
            self.problems.append(
                "there is no tag manifest (tagmanifest-sha256.txt), "
                "so bagit.txt and bag-info.txt cannot be checked"
            )
        tags = {n for n in self.files if n not in payload and not _is_tagmanifest(n)}
        wanted: dict[str, dict[str, list[tuple[str, str]]]] = {}
        self._match(manifests, set(payload), wanted, "payload")
        self._match(tagmanifests, tags, wanted, "bag")
        self._check_oxum(info, payload)
        self._check_hashes(wanted)
        return self.problems

    def _read_text(self, name: str) -> str | None:
        size = self.files.get(name)
        if size is None:
            return None
        if size > self.limits.max_tag_file_bytes:
            self.problems.append(
                f"{name} is {size:,} bytes, "
                f"more than the {self.limits.max_tag_file_bytes:,} allowed; not read"
            )
            return None
        try:
            data = (self.root / name).read_bytes()
        except OSError as exc:
            self.problems.append(f"{name} cannot be read ({exc.strerror or exc})")
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            self.problems.append(f"{name} starts with a byte-order mark, which BagIt forbids")
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.problems.append(f"{name} is not valid UTF-8 text")
            return None

    def _check_bagit_txt(self) -> None:
        if BAGIT_TXT not in self.files:
            self.problems.append("bagit.txt is missing, so this is not a complete BagIt bag")
            return
        text = self._read_text(BAGIT_TXT)
        if text is None:
            return
        lines = _lines(text)
        version = lines[0].removeprefix("BagIt-Version: ") if lines else ""
        encoding = lines[1].removeprefix("Tag-File-Character-Encoding: ") if len(lines) > 1 else ""
        if len(lines) != 2 or version == lines[0] or encoding == lines[1]:
            self.problems.append(
                "bagit.txt is malformed: it must hold the two lines 'BagIt-Version: 1.0' and "
                "'Tag-File-Character-Encoding: UTF-8'"
            )
            return
        if version not in READABLE_VERSIONS:
            self.problems.append(
                f"bagit.txt declares BagIt version {_show(version)!r}; reviewer reads versions "
                + " and ".join(READABLE_VERSIONS)
            )
        if encoding.strip().lower() not in ("utf-8", "utf8"):
            self.problems.append(f"the tag files are in {_show(encoding)!r}; reviewer reads only UTF-8")

    def _read_bag_info(self) -> list[tuple[str, str]]:
        text = self._read_text(BAG_INFO)
        if text is None:
            return []
        info: list[tuple[str, str]] = []
        for number, line in enumerate(_lines(text), start=1):
            if line[:1] in (" ", "\t") and info:
                label, value = info[-1]
                info[-1] = (label, f"{value}\n{line.strip()}")
            elif ":" in line and line.split(":", 1)[0].strip() and line[:1] not in (" ", "\t"):
                label, value = line.split(":", 1)
                info.append((label.strip(), value.strip()))
            elif line.strip():
                self.problems.append(f"bag-info.txt line {number} is malformed (not 'Label: value')")
        return info

    def _check_oxum(self, info: list[tuple[str, str]], payload: dict[str, int]) -> None:
        oxums = [value for label, value in info if label.lower() == "payload-oxum"]
        if not oxums:
            return
        if len(oxums) > 1:
            self.problems.append("bag-info.txt gives Payload-Oxum more than once")
            return
        found = _OXUM.fullmatch(oxums[0])
        if found is None:
            self.problems.append(f"the Payload-Oxum in bag-info.txt, {_show(oxums[0])!r}, is malformed")
            return
        octets, streams = int(found.group(1)), int(found.group(2))
        actual = (sum(payload.values()), len(payload))
        if (octets, streams) != actual:
            self.problems.append(
                f"Payload-Oxum says {streams:,} files of {octets:,} bytes in all, "
                f"but the payload has {actual[1]:,} files of {actual[0]:,} bytes"
            )

    def _read_manifests(self) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
        manifests: dict[str, dict[str, str]] = {}
        tagmanifests: dict[str, dict[str, str]] = {}
        for name in sorted(n for n in self.files if "/" not in n):
            found = _MANIFEST_NAME.fullmatch(name)
            if found is None:
                continue
            algorithm = found.group(2)
            if algorithm not in ALGORITHMS:
                self.problems.append(
                    f"{name} uses the hash algorithm {algorithm!r}, which reviewer does not know"
                )
                continue
            text = self._read_text(name)
            if text is None:
                continue
            target = tagmanifests if found.group(1) else manifests
            target[name] = self._parse_manifest(name, text, algorithm, is_tag=bool(found.group(1)))
        return manifests, tagmanifests

    def _parse_manifest(self, manifest: str, text: str, algorithm: str, *, is_tag: bool) -> dict[str, str]:
        length = hashlib.new(algorithm, usedforsecurity=False).digest_size * 2
        entries: dict[str, str] = {}
        for number, line in enumerate(_lines(text), start=1):
            found = _MANIFEST_LINE.fullmatch(line)
            if found is None or len(found.group(1)) != length:
                self.problems.append(
                    f"{manifest} line {number} is malformed "
                    f"(not a {length}-digit hash, a space and a file name)"
                )
                continue
            name = unicodedata.normalize("NFC", decode_path(found.group(2)))
            problem = _name_problem(name)
            if problem is not None:
                self.problems.append(f"{manifest} line {number} names a file that {problem}; ignored")
                continue
            in_payload = name.startswith(PAYLOAD_DIR + "/")
            if is_tag and (in_payload or _is_tagmanifest(name)):
                self.problems.append(f"{manifest} line {number} lists {_show(name)}, which is not a tag file")
                continue
            if not is_tag and not in_payload:
                self.problems.append(f"{manifest} line {number} lists {_show(name)}, which is outside data/")
                continue
            if name in entries:
                self.problems.append(f"{manifest} lists {_show(name)} more than once")
                continue
            entries[name] = found.group(1).lower()
        return entries

    def _match(
        self,
        manifests: dict[str, dict[str, str]],
        present: set[str],
        wanted: dict[str, dict[str, list[tuple[str, str]]]],
        where: str,
    ) -> None:
        present_keys = {unicodedata.normalize("NFC", n) for n in present}
        for manifest, entries in manifests.items():
            algorithm = _algorithm_of(manifest)
            for name, expected in sorted(entries.items()):
                actual = self.by_key.get(name)
                if actual is None or name not in present_keys:
                    self.problems.append(f"{_show(name)} is listed in {manifest} but missing from the bag")
                    continue
                wanted.setdefault(actual, {}).setdefault(algorithm, []).append((manifest, expected))
            for name in sorted(present_keys - entries.keys()):
                self.problems.append(f"{_show(name)} is in the {where} but not listed in {manifest}")

    def _check_hashes(self, wanted: dict[str, dict[str, list[tuple[str, str]]]]) -> None:
        for name in sorted(wanted):
            digests = {a: hashlib.new(a, usedforsecurity=False) for a in wanted[name]}
            try:
                with _open_for_reading(self.root.joinpath(*name.split("/"))) as handle:
                    buffer = bytearray(CHUNK)
                    view = memoryview(buffer)
                    while count := handle.readinto(buffer):
                        for digest in digests.values():
                            digest.update(view[:count])
            except OSError as exc:
                self.problems.append(f"{_show(name)} cannot be read ({exc.strerror or exc})")
                continue
            for algorithm, expectations in wanted[name].items():
                actual = digests[algorithm].hexdigest()
                for manifest, expected in expectations:
                    if actual != expected:
                        self.problems.append(
                            f"{_show(name)} does not match its {algorithm.upper().replace('SHA', 'SHA-')} "
                            f"in {manifest}: it was changed or damaged"
                        )


def _is_tagmanifest(name: str) -> bool:
    found = _MANIFEST_NAME.fullmatch(name)
    return found is not None and found.group(1) is not None


def _algorithm_of(manifest: str) -> str:
    found = _MANIFEST_NAME.fullmatch(manifest)
    assert found is not None
    return found.group(2)


def _lines(text: str) -> list[str]:
    """The lines of a tag file, whatever its line ends (LF, CRLF or CR, as RFC 8493 allows)."""
    lines = _NEWLINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
