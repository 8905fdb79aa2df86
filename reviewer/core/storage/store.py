"""The case folder on disk.

CASE/
  reviewer.sqlite     the database (WAL mode: -wal and -shm files beside it while open)
  originals/ab/abcd…  every original, named by its SHA-256, read-only, never modified
  derived/ab/abcd…/   page thumbnails and other data rebuilt at will from the originals
  staging/            copies in flight during an import; swept when no import owns them
  backups/            copies of the database taken before a schema upgrade
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import stat
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

CHUNK = 1 << 20
DATABASE_NAME = "reviewer.sqlite"
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


@dataclass(frozen=True, slots=True)
class CaseLayout:
    """Where each part of a case lives."""

    root: Path

    @property
    def database(self) -> Path:
        """The SQLite database."""
        return self.root / DATABASE_NAME

    @property
    def originals(self) -> Path:
        """The read-only store of originals."""
        return self.root / "originals"

    @property
    def derived(self) -> Path:
        """Rebuildable data: thumbnails, text."""
        return self.root / "derived"

    @property
    def staging(self) -> Path:
        """Copies in flight."""
        return self.root / "staging"

    @property
    def backups(self) -> Path:
        """Database copies taken before upgrades."""
        return self.root / "backups"

    def original(self, sha256: str) -> Path:
        """Where the original with this hash is kept."""
        return self.originals / sha256[:2] / sha256

    def derived_dir(self, sha256: str) -> Path:
        """Where derived data of the original with this hash is kept."""
        return self.derived / sha256[:2] / sha256

    def thumbnail(self, sha256: str, page: int) -> Path:
        """The thumbnail of a page (1-based) of the original with this hash."""
        return self.derived_dir(sha256) / f"thumb-{page:05d}.png"

    def region_features(self, sha256: str, page: int) -> Path:
        """The kept region-search features of a page (1-based): rebuildable, so in derived data."""
        return self.derived_dir(sha256) / f"features-{page:05d}.npz"

    def is_case(self) -> bool:
        """Whether a case lives at this root."""
        return self.database.is_file() and self.originals.is_dir()

    def create_folders(self) -> None:
        """Make the folders of a new case."""
        for folder in (self.originals, self.derived, self.staging, self.backups):
            folder.mkdir(parents=True, exist_ok=True)

    def iter_originals(self) -> Iterator[Path]:
        """Every file in the originals store."""
        for shard in sorted(self.originals.iterdir()):
            if shard.is_dir():
                yield from sorted(p for p in shard.iterdir())
            else:
                yield shard


def open_source(path: Path) -> BinaryIO:
    """Open a file for reading without touching its access time where the OS allows it."""
    flags = os.O_RDONLY | getattr(os, "O_NOATIME", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        if not flags & getattr(os, "O_NOATIME", 0):
            raise
        fd = os.open(path, flags & ~os.O_NOATIME)  # O_NOATIME needs ownership; reading matters more
    return os.fdopen(fd, "rb")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open_source(path) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename into ``path`` durable."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def admit_original(layout: CaseLayout, staged: Path, sha256: str) -> Path:
    """Move a fully written, hashed staging copy into the store, read-only. Idempotent."""
    target = layout.original(sha256)
    if target.exists():
        staged.unlink(missing_ok=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(staged, READ_ONLY)
    os.replace(staged, target)
    fsync_dir(target.parent)
    return target


def remove_original(layout: CaseLayout, sha256: str) -> None:
    """Take back an original that was admitted but never recorded (a failed transaction)."""
    layout.original(sha256).unlink(missing_ok=True)


class ImportLock:
    """Marks a staging folder as owned by a live import, so a sweep elsewhere leaves it alone.

    The lock is an ``flock`` on a file in the folder: the OS drops it when the owner dies, even by
    SIGKILL, which is exactly when the folder becomes debris to sweep.
    """

    def __init__(self, layout: CaseLayout) -> None:
        self.folder = layout.staging / f"import-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._handle: BinaryIO | None = None

    def __enter__(self) -> ImportLock:
        self.folder.mkdir(parents=True)
        self._handle = open(self.folder / "owner.lock", "wb")
        fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _staging_owned(folder: Path) -> bool:
    lock = folder / "owner.lock"
    if not lock.exists():
        return False
    with open(lock, "rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def sweep_staging(layout: CaseLayout) -> tuple[int, bool]:
    """Remove staging debris of imports that died. Returns (folders removed, an import is live)."""
    removed = 0
    live = False
    if not layout.staging.is_dir():
        return 0, False
    for entry in layout.staging.iterdir():
        if entry.is_dir() and _staging_owned(entry):
            live = True
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed += 1
    return removed, live
