"""Turning the paths a person gave into the list of files to import, accounting for every entry."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.core.domain.names import path_text


@dataclass(slots=True)
class Walk:
    """Files found, in a stable order, and entries that are not files to import, with reasons."""

    files: list[Path] = field(default_factory=list)
    # (path as recorded by ``names.path_text``, reason): ready for the database and for JSON
    refused: list[tuple[str, str]] = field(default_factory=list)

    def refuse(self, path: Path | str, reason: str) -> None:
        """Account for an entry that is not imported, whatever bytes its name is made of."""
        self.refused.append((path_text(path), reason))


def collect(paths: list[Path], *, exclude: Path | None = None) -> Walk:
    """Every regular file under ``paths`` (folders recursively, symlinks followed, loops reported).

    ``exclude`` (the case folder itself) is never walked into: importing a case into itself would
    import its own originals.
    """
    walk = Walk()
    seen_files: set[tuple[int, int]] = set()
    excluded = _identity(exclude) if exclude is not None else None
    for given in paths:
        path = Path(os.path.abspath(given))
        try:
            info = path.stat()
        except ValueError:  # Python refuses a NUL before the system sees it
            walk.refuse(path, _NUL)
            continue
        except FileNotFoundError:
            kind = "a broken symbolic link" if path.is_symlink() else "no such file or folder"
            walk.refuse(path, kind)
            continue
        except OSError as exc:
            walk.refuse(path, _unreadable(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_folder(path, walk, seen_files, excluded, ancestors=())
        else:
            _add_file(path, info, walk, seen_files)
    return walk


_NUL = "the name holds a NUL character, which no file name can; skipped"

# What the file system says when it will not take a name at all (too long, bytes it cannot store).
_NAME_REJECTED = {
    errno.ENAMETOOLONG: "the name is too long for this file system; skipped",
    errno.EILSEQ: "the file system rejects this name (bytes it cannot store); skipped",
    errno.EINVAL: "the file system rejects this name; skipped",
}


def _unreadable(exc: OSError) -> str:
    if exc.errno in _NAME_REJECTED:
        return _NAME_REJECTED[exc.errno]
    if exc.errno == errno.ELOOP:  # a link that points at itself
        return "a symbolic link loop; skipped"
    return f"cannot be read ({exc.strerror or exc})"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _add_file(path: Path, info: os.stat_result, walk: Walk, seen: set[tuple[int, int]]) -> None:
    if not stat.S_ISREG(info.st_mode):
        walk.refuse(path, "not a regular file (a device, pipe or socket); skipped")
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return  # the same file reached twice through links: one sighting is enough
    seen.add(key)
    walk.files.append(path)


def _walk_folder(
    folder: Path,
    walk: Walk,
    seen: set[tuple[int, int]],
    excluded: tuple[int, int] | None,
    ancestors: tuple[tuple[int, int], ...],
) -> None:
    identity = _identity(folder)
    if identity is None:
        walk.refuse(folder, "the folder cannot be read")
        return
    if identity == excluded:
        walk.refuse(folder, "this is the case folder itself; skipped")
        return
    if identity in ancestors:
        walk.refuse(folder, "a symbolic link loop (the folder contains itself); skipped")
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        walk.refuse(folder, "permission denied: the folder cannot be read by this user")
        return
    except OSError as exc:
        walk.refuse(folder, f"the folder cannot be read ({exc.strerror or exc})")
        return
    chain = (*ancestors, identity)
    for entry in entries:
        path = Path(entry.path)
        try:
            info = path.stat()
        except FileNotFoundError:
            walk.refuse(path, "a broken symbolic link; skipped")
            continue
        except OSError as exc:
            walk.refuse(path, _unreadable(exc))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_folder(path, walk, seen, excluded, chain)
        else:
            _add_file(path, info, walk, seen)
