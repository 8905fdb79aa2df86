"""What only the whole bag shows about where its files came from: how it calls itself (redacted or
not), originals it should not carry, what bag-info.txt says of the people behind it, and file names
that look like the names the files were received under.

The file names heuristic is modest on purpose, and documented here so nobody mistakes it for more.
A publication copy should be named neutrally: a sequence number and a few plain words
(:data:`NEUTRAL_WORDS`), as in ``0001.redacted.pdf``. A name is reported with the reasons it is not
neutral: a date in it, a camera's, scanner's or app's naming (``IMG_``, ``DSC``, ``scan``,
``WhatsApp``…), a long number, a word that is also a name found in the bag's metadata (an author,
an account, a user name in a path), or any other word (which may come from the received name).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reviewer.core.bundles.bagit import BAG_INFO, BagError, read_bag_file
from reviewer.core.forensics.traces import hint

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

CASE_JSON = "data/case.json"
#: what a bag's own files are called (BagIt's tag files, reviewer's bundle files)
STRUCTURE = re.compile(
    r"bagit\.txt|bag-info\.txt|fetch\.txt|(tag)?manifest-\w+\.txt|data/(case\.json|report\.html|annotations\.jsonld)"
)
ORIGINALS = "data/originals/"
#: words a neutral name may hold besides numbers
NEUTRAL_WORDS = frozenset((
    "document", "doc", "docs", "page", "pages", "copy", "redacted", "annotated", "original", "originals",
    "report", "case", "annotations", "bundle", "attachment", "attachments", "file", "files", "image",
    "images", "part", "appendix", "annex", "exhibit", "data", "publication", "public", "clean", "cleaned",
    "version", "final", "pdf", "jpg", "jpeg", "png", "tif", "tiff",
))  # fmt: skip
_DATE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[1-9]|[12]\d|3[01])[-_.](?:0[1-9]|1[0-2])[-_.](?:19|20)?\d{2})(?!\d)"
)
_DEVICE = re.compile(
    r"^(?:img|dsc|dscn|dscf|dcim|pxl|mvimg|vid|scan|scanned|scanner|скан|сканирование|whatsapp|screenshot|"
    r"screen|снимок|фото|photo|telegram|signal|viber|camscanner|microsoft|cam|image\d+)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+")
#: an extension, and the ones reviewer adds before it
_SUFFIXES = re.compile(r"(?:\.(?:annotated|redacted))*(?:\.[A-Za-z0-9]{1,5})?$")
_BAG_INFO_PEOPLE = (
    "source-organization",
    "contact-name",
    "contact-email",
    "contact-phone",
    "organization-address",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in the bag that could identify a source: the file (relative to the bag), its kind, what."""

    file: str
    kind: str
    detail: str

    def line(self) -> str:
        """``<file>: <what> (<value or a hint of it>)``."""
        return f"{self.file}: {self.detail}"


@dataclass(frozen=True, slots=True)
class BagFacts:
    """How the bag calls itself: redacted for publication (and where it says so), and which files
    case.json says are redacted copies."""

    redacted: bool
    says: str | None
    redacted_files: frozenset[str]
    reviewer_bundle: bool


def payload_names(root: Path) -> list[str]:
    """Every regular file in the bag folder, as '/'-separated names relative to it, sorted."""
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.is_symlink()
    )


def is_structure(name: str) -> bool:
    """Whether ``name`` is one of the bag's own files (its name needs no checking)."""
    return STRUCTURE.fullmatch(name) is not None


def read_facts(root: Path, names: Iterable[str]) -> tuple[BagFacts, list[Finding]]:
    """What bag-info.txt and case.json say of the bag, and the findings in bag-info.txt."""
    present = set(names)
    findings: list[Finding] = []
    says: str | None = None
    if BAG_INFO in present:
        text = _read_text(root, BAG_INFO)
        for line in text.splitlines():
            label, _, value = line.partition(":")
            if "redact" in value.casefold():
                says = f"{BAG_INFO} says {hint(value.strip())!r}"
            if label.strip().casefold() in _BAG_INFO_PEOPLE and value.strip():
                findings.append(Finding(BAG_INFO, "author", f"{label.strip()} ({hint(value.strip())})"))
    redacted_files: set[str] = set()
    reviewer_bundle = False
    if CASE_JSON in present:
        data = _case_json(root)
        if isinstance(data, dict):
            reviewer_bundle = data.get("format") == "reviewer-evidence-bundle"
            if data.get("redacted_for_publication") is True:
                says = says or f"{CASE_JSON} says redacted_for_publication"
            for entry in data.get("documents") or []:
                if (
                    isinstance(entry, dict)
                    and entry.get("redacted") is True
                    and isinstance(entry.get("file"), str)
                ):
                    redacted_files.add(entry["file"])
    facts = BagFacts(says is not None, says, frozenset(redacted_files), reviewer_bundle)
    if reviewer_bundle and not facts.redacted:
        findings.append(
            Finding(
                CASE_JSON,
                "bag",
                "this bundle was not made for publication (it was exported without --redact)",
            )
        )
    return facts, findings


def original_findings(names: Iterable[str], facts: BagFacts) -> list[Finding]:
    """Originals in a bag that calls itself redacted for publication."""
    if not facts.redacted:
        return []
    return [
        Finding(
            name,
            "original",
            f"an original in a bag made for publication ({facts.says}): an original keeps every trace "
            "of where it came from, byte for byte",
        )
        for name in names
        if name.startswith(ORIGINALS) and name not in facts.redacted_files
    ]


def name_reasons(name: str, known: Iterable[str]) -> list[str]:
    """Why a file's name looks like a received name (empty when it is neutral); see the module's notes."""
    stem = _SUFFIXES.sub("", name.rsplit("/", 1)[-1])
    reasons: list[str] = []
    date = _DATE.search(stem)
    if date:
        reasons.append(f"a date {date.group()!r}")
    known_words = {w.casefold() for n in known for w in _WORD.findall(n) if len(w) >= 3 and not w.isdigit()}
    for word in _WORD.findall(stem):
        folded = word.casefold()
        if word.isdigit():
            if len(word) >= 7 and not (date and word in date.group()):
                reasons.append(f"a long number {word!r}")
            continue
        if date and word in date.group():
            continue
        if _DEVICE.match(word):
            reasons.append(f"a camera's, scanner's or app's naming {word!r}")
        elif folded in known_words:
            reasons.append(f"{word!r}, a name found elsewhere in the bag")
        elif folded not in NEUTRAL_WORDS:
            reasons.append(f"the word {word!r}, which may come from the received name")
    return reasons


def name_findings(names: Iterable[str], known: Iterable[str]) -> list[Finding]:
    """Payload files whose names are not neutral."""
    known = list(known)
    found = []
    for name in names:
        if is_structure(name) or not name.startswith("data/"):
            continue
        reasons = name_reasons(name, known)
        if reasons:
            found.append(
                Finding(name, "file-name", f"file name looks like a received name ({'; '.join(reasons)})")
            )
    return found


def _read_text(root: Path, name: str) -> str:
    try:
        return read_bag_file(root, name).decode("utf-8", "replace")
    except BagError:
        return ""


def _case_json(root: Path) -> Any:
    try:
        return json.loads(read_bag_file(root, CASE_JSON))
    except (BagError, ValueError, RecursionError):
        return None
