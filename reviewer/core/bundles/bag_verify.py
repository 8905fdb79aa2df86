"""Verifying a bag: what does not add up, in plain words, one line each."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING

from reviewer.core.bundles.bag_names import (
    ALGORITHMS,
    BAG_INFO,
    BAGIT_TXT,
    CHUNK,
    DEFAULT_LIMITS,
    NEWLINES,
    PAYLOAD_DIR,
    READABLE_VERSIONS,
    BagError,
    BagLimits,
    decode_path,
    name_problem,
    open_for_reading,
    scan_folder,
    show,
)
from reviewer.core.bundles.bag_open import open_bag

if TYPE_CHECKING:
    from pathlib import Path

_MANIFEST_NAME = re.compile(r"(tag)?manifest-([a-z0-9]+)\.txt")
_MANIFEST_LINE = re.compile(r"([0-9A-Fa-f]+)[ \t]+(.+)")
_OXUM = re.compile(r"([0-9]+)\.([0-9]+)")


def verify_bag(path: Path, *, limits: BagLimits = DEFAULT_LIMITS, scratch: Path | None = None) -> list[str]:
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
        self.files = scan_folder(self.root, self.limits)
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
                f"bagit.txt declares BagIt version {show(version)!r}; reviewer reads versions "
                + " and ".join(READABLE_VERSIONS)
            )
        if encoding.strip().lower() not in ("utf-8", "utf8"):
            self.problems.append(f"the tag files are in {show(encoding)!r}; reviewer reads only UTF-8")

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
            self.problems.append(f"the Payload-Oxum in bag-info.txt, {show(oxums[0])!r}, is malformed")
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
            problem = name_problem(name)
            if problem is not None:
                self.problems.append(f"{manifest} line {number} names a file that {problem}; ignored")
                continue
            in_payload = name.startswith(PAYLOAD_DIR + "/")
            if is_tag and (in_payload or _is_tagmanifest(name)):
                self.problems.append(f"{manifest} line {number} lists {show(name)}, which is not a tag file")
                continue
            if not is_tag and not in_payload:
                self.problems.append(f"{manifest} line {number} lists {show(name)}, which is outside data/")
                continue
            if name in entries:
                self.problems.append(f"{manifest} lists {show(name)} more than once")
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
                    self.problems.append(f"{show(name)} is listed in {manifest} but missing from the bag")
                    continue
                wanted.setdefault(actual, {}).setdefault(algorithm, []).append((manifest, expected))
            for name in sorted(present_keys - entries.keys()):
                self.problems.append(f"{show(name)} is in the {where} but not listed in {manifest}")

    def _check_hashes(self, wanted: dict[str, dict[str, list[tuple[str, str]]]]) -> None:
        for name in sorted(wanted):
            digests = {a: hashlib.new(a, usedforsecurity=False) for a in wanted[name]}
            try:
                with open_for_reading(self.root.joinpath(*name.split("/"))) as handle:
                    buffer = bytearray(CHUNK)
                    view = memoryview(buffer)
                    while count := handle.readinto(buffer):
                        for digest in digests.values():
                            digest.update(view[:count])
            except OSError as exc:
                self.problems.append(f"{show(name)} cannot be read ({exc.strerror or exc})")
                continue
            for algorithm, expectations in wanted[name].items():
                actual = digests[algorithm].hexdigest()
                for manifest, expected in expectations:
                    if actual != expected:
                        self.problems.append(
                            f"{show(name)} does not match its {algorithm.upper().replace('SHA', 'SHA-')} "
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
    lines = NEWLINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
