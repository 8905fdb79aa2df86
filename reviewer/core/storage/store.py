"""The case folder on disk.

CASE/
  reviewer.sqlite     the database of a local case (WAL mode: -wal and -shm files beside it while open)
  reviewer-case.json  instead, for a shared case: {"database": "postgresql://HOST[:PORT]/DB"} (no password)
  originals/ab/abcd…  every original, named by its SHA-256, read-only, never modified
  derived/ab/abcd…/   page thumbnails and other data rebuilt at will from the originals
  staging/            copies in flight, each operation in a folder with a journal of what it makes;
                      what a dead operation's journal names is swept at the next open
  quarantine/         files moved out of originals/ that the database did not explain (never removed)
  backups/            copies of the database taken before a schema upgrade
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

import filelock

from reviewer.core.domain.errors import CaseError, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator

CHUNK = 1 << 20
DATABASE_NAME = "reviewer.sqlite"
CASE_FILE_NAME = "reviewer-case.json"
SHARED_SCHEMES = ("postgresql", "postgres")
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
    def quarantine(self) -> Path:
        """Files moved out of the store because the database does not explain them; never removed."""
        return self.root / "quarantine"

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
        """The thumbnail of a page (1-based) of the original with this hash.

        A JPEG; a case imported before December 2026 has PNGs, used while they are there.
        """
        folder = self.derived_dir(sha256)
        jpeg = folder / f"thumb-{page:05d}.jpg"
        if jpeg.is_file():
            return jpeg
        png = folder / f"thumb-{page:05d}.png"
        return png if png.is_file() else jpeg

    def region_features(self, sha256: str, page: int) -> Path:
        """The kept region-search features of a page (1-based): rebuildable, so in derived data."""
        return self.derived_dir(sha256) / f"features-{page:05d}.npz"

    @property
    def case_file(self) -> Path:
        """A shared case's file naming its database on a server."""
        return self.root / CASE_FILE_NAME

    def is_case(self) -> bool:
        """Whether a case lives at this root: local (its SQLite file) or shared (its case file)."""
        return (self.database.is_file() or self.case_file.is_file()) and self.originals.is_dir()

    def shared_database_url(self) -> str | None:
        """The URL of a shared case's database (from its case file), None for a local case."""
        if self.database.is_file() or not self.case_file.is_file():
            return None
        try:
            content = json.loads(self.case_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CaseError(f"cannot read the case file {self.case_file} ({exc})") from None
        url = content.get("database") if isinstance(content, dict) else None
        if not isinstance(url, str):
            raise CaseError(f"the case file {self.case_file} names no database")
        check_database_url(url)
        return url

    def write_case_file(self, url: str) -> None:
        """Write a new shared case's file: the URL without a user name (each person connects as their
        own role: PGUSER, or libpq's default), and never with a password."""
        check_database_url(url)
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")[2]
        shared = parts._replace(netloc=netloc).geturl()
        partial = self.root / f".{CASE_FILE_NAME}.partial"
        partial.write_text(json.dumps({"database": shared}, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, self.case_file)

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


def is_case_folder(root: Path) -> bool:
    """Whether ``root`` holds a case, local or shared: the one test every command and window uses."""
    return CaseLayout(root).is_case()


def check_database_url(url: str) -> None:
    """Refuse, in one line, a database URL that is not ``postgresql://HOST[:PORT]/DB`` or holds a password."""
    parts = urlsplit(url)
    if parts.scheme not in SHARED_SCHEMES:
        raise UsageError(f"a shared case's database is a postgresql://HOST[:PORT]/DB URL, not {url!r}")
    if parts.password is not None:
        raise UsageError(
            "the database URL holds a password; leave it out (it would be written in the case folder): "
            "libpq reads it from PGPASSWORD or ~/.pgpass"
        )
    if not parts.hostname or not parts.path.strip("/"):
        raise UsageError(f"the database URL names no host or no database: {url!r}")


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


def unadmit_original(layout: CaseLayout, sha256: str, staged: Path) -> None:
    """Put an original admitted by a transaction that failed back where it was staged, to try again."""
    with contextlib.suppress(FileNotFoundError):
        os.replace(layout.original(sha256), staged)


STAGING_LOCK = ".staging.lock"  # at the case's root, so staging holds only claims
JOURNAL = "journal"
# A path a claim records outside its own folder must be named so; a journal naming anything else (a
# damaged or forged journal) never gets that path removed.
SCRATCH_PREFIX = ".reviewer-"


HOLDER_LOCK = "lock"  # in a claim's folder: held for as long as the claim is live
HOLD_PREFIX = ".hold-"  # a holder without a folder (a fixity check): staging/.hold-PID-RANDOM.lock

# The staging lock has two modes: many live claims share it, a sweep takes it alone without waiting.
# File locks on every system (filelock: flock on POSIX, LockFileEx on Windows) are exclusive only,
# so the shared mode is built of them: each holder keeps an exclusive lock of its own (its claim
# folder's ``lock``, or a ``.hold-…`` file), taken while it briefly holds the case's sweep lock
# (``.staging.lock``), so no holder starts during a sweep. A sweep holds the sweep lock and tries
# every holder's lock without waiting: it goes ahead only if none is held. The OS drops a lock when
# its process ends however it ends, so a dead holder's lock can be had and its claim swept.


def _lock(path: Path) -> filelock.BaseFileLock:
    # One per use, not per thread: two claims of one process are two holders.
    return filelock.FileLock(str(path), thread_local=False)


def _writable(path: Path) -> bool:
    """Whether a lock file can be made at ``path`` (a read-only case cannot hold or sweep claims)."""
    try:
        path.parent.mkdir(exist_ok=True)
        with open(path, "a+b"):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def _holding(layout: CaseLayout, lock_file: Path) -> Iterator[bool]:
    """Hold ``lock_file`` as one of the staging lock's sharers; False on a case that cannot be written.

    Waits while a sweep runs (it holds the sweep lock), then registers under the sweep lock."""
    sweep = _lock(layout.root / STAGING_LOCK)
    if not (_writable(layout.root / STAGING_LOCK) and _writable(lock_file)):
        yield False
        return
    own = _lock(lock_file)
    with sweep:
        own.acquire()
    try:
        yield True
    finally:
        own.release()


def _held(lock_file: Path) -> bool:
    """Whether another holder has ``lock_file`` now (tried without waiting)."""
    probe = _lock(lock_file)
    try:
        probe.acquire(timeout=0)
    except filelock.Timeout:
        return True
    except OSError:
        return False  # cannot be locked at all: nobody holds it
    probe.release()
    return False


@contextlib.contextmanager
def shared_staging(layout: CaseLayout) -> Iterator[bool]:
    """Keep sweeps away for the block (many holders at once). Yields False on a read-only case."""
    hold = layout.staging / f"{HOLD_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}.lock"
    try:
        with _holding(layout, hold) as held:
            yield held
    finally:
        with contextlib.suppress(OSError):
            hold.unlink()


@contextlib.contextmanager
def exclusive_staging(layout: CaseLayout) -> Iterator[bool]:
    """The staging folder to oneself: yields True when no claim is live, False (at once) otherwise."""
    sweep = _lock(layout.root / STAGING_LOCK)
    if not (_writable(layout.staging / HOLDER_LOCK) and _writable(layout.root / STAGING_LOCK)):
        yield False
        return
    with contextlib.suppress(OSError):
        (layout.staging / HOLDER_LOCK).unlink()  # made only to learn that staging can be written
    try:
        sweep.acquire(timeout=0)
    except filelock.Timeout:
        yield False
        return
    try:
        holders = [
            folder / HOLDER_LOCK for folder in layout.staging.iterdir() if (folder / JOURNAL).is_file()
        ]
        holds = [path for path in layout.staging.glob(f"{HOLD_PREFIX}*.lock") if path.is_file()]
        if any(_held(path) for path in holders + holds):
            yield False
            return
        for path in holds:  # left by holders that died: nobody can take them while we sweep
            with contextlib.suppress(OSError):
                path.unlink()
        yield True
    finally:
        sweep.release()


class Claim:
    """A live operation's claim on scratch space, with a journal of everything it creates.

    While the claim is live it shares the staging lock (its folder's own ``lock``), so no sweep
    runs. Its folder ``CASE/staging/KIND-PID-RANDOM/`` is its own; paths it makes elsewhere (an
    export's scratch folder beside the bundle) are recorded in the journal before they are made, and
    so are originals it admits to the store. When the owner dies, even by SIGKILL, the OS drops the
    lock, and the next open of the case sweeps exactly what the journal names (:func:`dead_claims`,
    :func:`clear_claim`).
    """

    def __init__(self, layout: CaseLayout, kind: str) -> None:
        self.layout = layout
        self.kind = kind
        self.folder = layout.staging / f"{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._lock: contextlib.ExitStack | None = None
        self._journal: BinaryIO | None = None
        self._recorded: list[Path] = []

    def __enter__(self) -> Claim:
        stack = contextlib.ExitStack()
        sweep = _lock(self.layout.root / STAGING_LOCK)
        if not (_writable(self.layout.root / STAGING_LOCK) and _writable(self.layout.staging / HOLDER_LOCK)):
            raise OSError(errno.EROFS, "the case's staging folder cannot be written")
        with contextlib.suppress(OSError):
            (self.layout.staging / HOLDER_LOCK).unlink()
        try:
            with sweep:  # no sweep while the folder appears without its lock held
                self.folder.mkdir()
                own = _lock(self.folder / HOLDER_LOCK)
                own.acquire()
                stack.callback(own.release)
                self._journal = open(self.folder / JOURNAL, "ab")
        except BaseException:
            stack.close()
            raise
        self._lock = stack
        return self

    def _write(self, *entries: dict[str, str]) -> None:
        if self._journal is None:
            raise RuntimeError("a claim is used inside 'with'")
        # ensure_ascii: a name that is not UTF-8 (a lone surrogate) survives as an escape
        self._journal.write(b"".join(json.dumps(entry).encode("ascii") + b"\n" for entry in entries))
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def record(self, path: Path) -> None:
        """Note a path outside the claim's folder before making it (its name must start '.reviewer-')."""
        if not path.name.startswith(SCRATCH_PREFIX):
            raise ValueError(f"scratch paths outside staging are named {SCRATCH_PREFIX}…, not {path.name}")
        self._write({"path": os.path.abspath(path)})
        self._recorded.append(path)

    def admitting(self, *sha256: str) -> None:
        """Note originals about to enter the store, before the database records them (one fsync)."""
        if sha256:
            self._write(*({"admit": sha} for sha in sha256))

    def __exit__(self, *exc: object) -> None:
        try:
            for path in self._recorded:
                _remove(path)
            if self._journal is not None:
                self._journal.close()
                self._journal = None
        finally:
            if self._lock is not None:
                self._lock.close()  # before the folder goes: Windows removes no file held open
                self._lock = None
            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True, slots=True)
class DeadClaim:
    """What an operation that died had claimed: its folder, the paths it recorded, originals it admitted."""

    folder: Path
    recorded: tuple[Path, ...]
    admitted: tuple[str, ...]

    @property
    def kind(self) -> str:
        """import, bundle, export… (from the folder's name)."""
        return self.folder.name.split("-", 1)[0]


def dead_claims(layout: CaseLayout) -> list[DeadClaim]:
    """The claims in staging; call only while holding :func:`exclusive_staging` (so all are dead)."""
    found: list[DeadClaim] = []
    if not layout.staging.is_dir():
        return found
    for folder in sorted(layout.staging.iterdir()):
        journal = folder / JOURNAL
        if folder.is_symlink() or not folder.is_dir() or not journal.is_file():
            continue  # not a claim: left alone, and reported by verify
        recorded: list[Path] = []
        admitted: list[str] = []
        for line in journal.read_bytes().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # the last line of a journal cut short by a crash
            if not isinstance(entry, dict):
                continue
            path, sha = entry.get("path"), entry.get("admit")
            if isinstance(path, str) and os.path.basename(path).startswith(SCRATCH_PREFIX):
                recorded.append(Path(path))
            elif isinstance(sha, str) and len(sha) == 64 and all(c in "0123456789abcdef" for c in sha):
                admitted.append(sha)
        found.append(DeadClaim(folder, tuple(recorded), tuple(admitted)))
    return found


def clear_claim(claim: DeadClaim) -> list[str]:
    """Remove what a dead claim made: the paths it recorded, then its own folder. Returns them."""
    removed = []
    for path in claim.recorded:
        if os.path.lexists(path):
            _remove(path)
            removed.append(str(path))
    shutil.rmtree(claim.folder, ignore_errors=True)
    removed.append(str(claim.folder))
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def live_admissions(layout: CaseLayout) -> set[str]:
    """The originals that claims now in staging are admitting (in flight, not yet recorded)."""
    return {sha for claim in dead_claims(layout) for sha in claim.admitted}


def quarantine(layout: CaseLayout, path: Path, batch: str) -> Path:
    """Move a file out of the originals store into ``CASE/quarantine/BATCH/`` (never removed)."""
    relative = path.relative_to(layout.root)
    target = layout.quarantine / batch / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "already in quarantine", str(target))
    os.rename(path, target)
    fsync_dir(target.parent)
    fsync_dir(path.parent)
    return target
