"""Writing a BagIt bag: :class:`BagWriter` (a folder), :func:`zip_bag` (a finished folder zipped)."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import stat
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from reviewer.core.bundles.bag_names import (
    BAG_INFO,
    BAGIT_TXT,
    BAGIT_VERSION,
    CHUNK,
    CONTROL,
    NEWLINES,
    PAYLOAD_DIR,
    STORED_SUFFIXES,
    BagError,
    collision_key,
    encode_path,
    name_problem,
    open_for_reading,
    scan_folder,
    show,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


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
        problem = name_problem(name)
        if problem is not None:
            raise BagError(f"cannot add {show(relative)!r} to the bag: the name {problem}")
        key = collision_key(name)
        parts = key.split("/")
        folders = {"/".join(parts[:i]) for i in range(1, len(parts))}
        if key in self._files or key in self._folders:
            raise BagError(
                f"cannot add {show(name)!r} to the bag: another file or folder has the same name "
                "(letter case and accents aside)"
            )
        if folders & self._files:
            raise BagError(f"cannot add {show(name)!r} to the bag: a file already has the name of its folder")
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
            self._files.discard(collision_key(name))
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
            raise BagError(f"{show(name)} was not reserved in the bag")
        try:
            digest, size = self._take(name, path, base)
        except OSError as exc:
            raise BagError(f"{show(name)} cannot be read into the bag ({exc.strerror or exc})") from None
        self._sha256[name] = digest.hexdigest()
        self._bytes += size
        self._report()
        return self._sha256[name]

    def _reserved_path(self, name: str) -> Path:
        return self.payload.joinpath(*name.split("/"))

    def _take(self, name: str, path: Path, base: Copied | None) -> tuple[Any, int]:
        with open_for_reading(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if base is None:
                digest = hashlib.sha256()
            else:
                if size < base.size:
                    raise BagError(f"{show(name)} is shorter than the file it extends")
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
            self._files.discard(collision_key(name))
            raise BagError(f"cannot write {show(name)} into the bag ({exc.strerror or exc})") from None
        self._sha256[name] = digest
        self._bytes += len(data)
        self._report()
        return digest

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self._bytes, len(self._sha256))

    def _copy(self, source: Path, name: str) -> tuple[Any, int, int | None, int]:
        try:
            src = open_for_reading(source)
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
            if not label or ":" in label or label != label.strip() or CONTROL.search(label):
                raise BagError(f"{show(label)!r} cannot be a bag-info.txt label")
            if label.lower() == "payload-oxum":
                continue
            folded = "\n  ".join(NEWLINES.split(value.strip()))
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
    if name_problem(top) is not None or "/" in top:
        raise BagError(f"{out.name!r} cannot name a bag; choose a plainer file name")
    files = scan_folder(folder, None)
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
                with open_for_reading(source) as src, archive.open(info, "w") as dst:
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
