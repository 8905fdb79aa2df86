"""Opening a bag from elsewhere: limits checked and hostile zips refused before anything is written."""

from __future__ import annotations

import os
import stat
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.bundles.bag_names import (
    CHUNK,
    DEFAULT_LIMITS,
    RATIO_FLOOR,
    BagError,
    BagLimits,
    collision_key,
    name_problem,
    scan_folder,
    show,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def open_bag(
    path: Path, *, limits: BagLimits = DEFAULT_LIMITS, scratch: Path | None = None
) -> Iterator[Path]:
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
        scan_folder(path, limits)
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
                    raise BagError(f"the zip member {show(info.filename)} would land outside the bag")
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                total += _extract(archive, info, target, limits, total)
    except BagError:
        raise
    except zipfile.BadZipFile as exc:
        raise BagError(f"{path.name} is not a zip or is damaged ({show(str(exc))})") from None
    except (zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise BagError(f"{path.name} cannot be unpacked; it is damaged ({show(str(exc))})") from None
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
                    f"the zip member {show(info.filename)} unpacks to more than it declares "
                    "(a zip bomb); refused"
                )
            if total + written > limits.max_total_bytes:
                raise BagError(f"the zip unpacks to more than the {limits.max_total_bytes:,} bytes allowed")
            dst.write(chunk)
    if written != info.file_size:
        raise BagError(
            f"the zip member {show(info.filename)} holds {written:,} bytes, not the {info.file_size:,} "
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
        shown = show(name)
        problem = name_problem(name[:-1] if info.is_dir() else name)
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
            listed = ", ".join(sorted(show(t) for t in tops))
            raise BagError(
                f"the zip has more than one top-level entry ({listed}); a bundle has one bag folder"
            )
        if len(parts) == 1 and not info.is_dir():
            raise BagError(f"the zip holds the file {shown!r} at its top, not a bag folder")
        key = collision_key(name.rstrip("/"))
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
    clash = folders & {collision_key(m.filename) for m in files}
    if clash:
        raise BagError(f"the zip has a file and a folder both named {show(min(clash))!r}; refused")
    if total > RATIO_FLOOR and total > limits.max_ratio * max(zip_size, 1):
        raise BagError(
            f"the zip unpacks to more than {limits.max_ratio:g} times its size (a zip bomb); refused"
        )
    return next(iter(tops))


def read_bag_file(bag: Path, relative: str, *, limits: BagLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a small file of an opened bag (a JSON file to parse), refused if it is too big."""
    problem = name_problem(relative)
    if problem is not None:
        raise BagError(f"{show(relative)!r} cannot be read from the bag: the name {problem}")
    path = Path(bag).joinpath(*relative.split("/"))
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise BagError(f"the bag has no {show(relative)}") from None
    except OSError as exc:
        raise BagError(f"{show(relative)} in the bag cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise BagError(f"{show(relative)} in the bag is not a regular file")
        data = handle.read(limits.max_tag_file_bytes + 1)
    if len(data) > limits.max_tag_file_bytes:
        raise BagError(
            f"{show(relative)} in the bag is larger than the {limits.max_tag_file_bytes:,} bytes allowed"
        )
    return data
