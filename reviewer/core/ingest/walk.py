"""Turning the paths a person gave into the list of files to import, accounting for every entry."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class Walk:
    """Files found, in a stable order, and entries that are not files to import, with reasons."""

    files: list[Path] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


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
        except FileNotFoundError:
            kind = "a broken symbolic link" if path.is_symlink() else "no such file or folder"
            walk.refused.append((str(path), kind))
            continue
        except OSError as exc:
            walk.refused.append((str(path), f"cannot be read ({exc.strerror or exc})"))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_folder(path, walk, seen_files, excluded, ancestors=())
        else:
            _add_file(path, info, walk, seen_files)
    return walk


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _add_file(path: Path, info: os.stat_result, walk: Walk, seen: set[tuple[int, int]]) -> None:
    if not stat.S_ISREG(info.st_mode):
        walk.refused.append((str(path), "not a regular file (a device, pipe or socket); skipped"))
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
        walk.refused.append((str(folder), "the folder cannot be read"))
        return
    if identity == excluded:
        walk.refused.append((str(folder), "this is the case folder itself; skipped"))
        return
    if identity in ancestors:
        walk.refused.append((str(folder), "a symbolic link loop (the folder contains itself); skipped"))
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except PermissionError:
        walk.refused.append((str(folder), "permission denied: the folder cannot be read by this user"))
        return
    except OSError as exc:
        walk.refused.append((str(folder), f"the folder cannot be read ({exc.strerror or exc})"))
        return
    chain = (*ancestors, identity)
    for entry in entries:
        path = Path(entry.path)
        try:
            info = path.stat()
        except FileNotFoundError:
            walk.refused.append((str(path), "a broken symbolic link; skipped"))
            continue
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link that points at itself
                walk.refused.append((str(path), "a symbolic link loop; skipped"))
            else:
                walk.refused.append((str(path), f"cannot be read ({exc.strerror or exc})"))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk_folder(path, walk, seen, excluded, chain)
        else:
            _add_file(path, info, walk, seen)
