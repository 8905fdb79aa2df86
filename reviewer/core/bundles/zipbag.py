"""A bag written straight into a zip, member by member, as its files are produced.

Writing the folder first and zipping it afterwards reads and writes every byte twice and, for a
moment, keeps the bundle twice on the disk. Here each payload file becomes a zip member while it is
copied and hashed, and the tag files follow once the manifests are known. The central directory is
then put in the same order :func:`~reviewer.core.bundles.bagit.zip_bag` uses (the top folder,
bagit.txt, the other tag files, the payload), so a reader listing the zip sees bagit.txt first.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import stat
import zipfile
import zlib
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from reviewer.core.bundles.bag_names import (
    BAGIT_TXT,
    CHUNK,
    PAYLOAD_DIR,
    STORED_SUFFIXES,
    BagError,
    name_problem,
    open_for_reading,
    show,
)
from reviewer.core.bundles.bag_writer import BagWriter, Copied

if TYPE_CHECKING:
    from collections.abc import Callable


class ZipBagWriter(BagWriter):
    """Writes a bag as the zip ``out``, under one top-level folder named ``out.stem``.

    Already-compressed payload (PDF, JPEG, PNG…) is stored, the rest deflated, as ``zip_bag`` does.
    :meth:`finish` fsyncs the zip; :meth:`abort` closes and removes a zip left unfinished.
    """

    def __init__(self, out: Path, *, progress: Callable[[int, int], None] | None = None) -> None:
        self._out = Path(out)
        super().__init__(self._out, progress=progress)

    def _prepare(self) -> None:
        self.top = self._out.stem
        if name_problem(self.top) is not None or "/" in self.top:
            raise BagError(f"{self._out.name!r} cannot name a bag; choose a plainer file name")
        if self._out.exists():
            raise BagError(f"{self._out} already exists; choose a new name for the zip")
        self.payload = self._out  # no folder: members go into the zip
        self._pending = self._out.with_name(f".{self._out.name}.pending")
        self._moment = _zip_now()
        self._dirs: set[str] = set()
        try:
            self._archive = zipfile.ZipFile(self._out, "x", allowZip64=True)
        except OSError as exc:
            raise BagError(f"cannot write the zip {self._out} ({exc.strerror or exc})") from None
        self._add_dir(self.top)
        self._add_dir(f"{self.top}/{PAYLOAD_DIR}")

    def _add_dir(self, name: str) -> None:
        if name in self._dirs:
            return
        info = zipfile.ZipInfo(name + "/", self._moment)
        info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | 0x10  # 0x10: the MS-DOS directory flag
        self._archive.writestr(info, b"")
        self._dirs.add(name)

    def _open_member(self, name: str, size: int | None = None) -> IO[bytes]:
        parts = name.split("/")
        for i in range(1, len(parts)):
            self._add_dir("/".join([self.top, PAYLOAD_DIR, *parts[:i]]))
        return self._open_zip_member(f"{self.top}/{PAYLOAD_DIR}/{name}", size)

    def _open_zip_member(self, member: str, size: int | None) -> IO[bytes]:
        info = zipfile.ZipInfo(member, self._moment)
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        stored = Path(member).suffix.lower() in STORED_SUFFIXES
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.file_size = size or 0
        # zipfile picks ZIP64 headers from the size announced here: unknown, it must assume big
        return self._archive.open(info, "w", force_zip64=size is None)

    def _drop_member(self, name: str) -> None:
        # A zip member cannot be taken back; a failed export throws the whole zip away (abort).
        return None

    def _last_crc(self) -> int | None:
        return self._archive.filelist[-1].CRC

    def _reserved_path(self, name: str) -> Path:
        # Written beside the zip first, then streamed into it by adopt().
        return self._pending / f"{len(self._reserved):05d}.part"

    def _take(self, name: str, path: Path, base: Copied | None) -> tuple[Any, int]:
        # A member's bytes are streamed in whole. With a base, only what follows it is hashed;
        # that the first bytes are the base's is checked through the CRC the zip computes anyway,
        # compared with the base's CRC carried on over the rest.
        digest = hashlib.sha256() if base is None else base.state.copy()
        crc = None if base is None else base.crc
        size = 0
        with open_for_reading(path) as src:
            total = os.fstat(src.fileno()).st_size
            with self._open_member(name, total) as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
                    if base is None:
                        digest.update(chunk)
                    else:
                        rest = memoryview(chunk)[max(0, base.size - size) :]
                        if rest:
                            digest.update(rest)
                            crc = zlib.crc32(rest, crc or 0)
                    size += len(chunk)
        if base is not None and (size < base.size or crc != self._last_crc()):
            raise BagError(f"{show(name)} does not begin with the file it extends; export again")
        path.unlink()
        return digest, size

    def _write_tag_file(self, name: str, data: bytes) -> None:
        with self._open_zip_member(f"{self.top}/{name}", len(data)) as handle:
            handle.write(data)

    def _close(self) -> Path:
        top = self.top + "/"

        def place(info: zipfile.ZipInfo) -> tuple[int, bool, list[str]]:
            inner = info.filename.removeprefix(top).rstrip("/")
            if not inner:
                return (0, False, [])
            parts = inner.split("/")
            return (1 if inner != BAGIT_TXT else 0, parts[0] == PAYLOAD_DIR, parts)

        self._archive.filelist.sort(key=place)
        shutil.rmtree(self._pending, ignore_errors=True)
        try:
            self._archive.close()
            with open(self._out, "rb+") as handle:
                os.fsync(handle.fileno())
        except OSError as exc:
            raise BagError(f"writing the zip {self._out} failed ({exc.strerror or exc})") from None
        return self._out

    def abort(self) -> None:
        """Close the zip and remove it: a bundle half written is no bundle."""
        try:
            self._archive.close()
        except (OSError, ValueError, zipfile.BadZipFile):
            pass  # it is being thrown away
        finally:
            self._out.unlink(missing_ok=True)
            shutil.rmtree(self._pending, ignore_errors=True)


def _zip_now() -> tuple[int, int, int, int, int, int]:
    moment = datetime.datetime.now()  # zip times are local, by convention
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
