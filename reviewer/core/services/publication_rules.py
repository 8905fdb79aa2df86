"""The publication rules: what a bundle made with ``--redact`` withholds, and how names become neutral.

A publication bundle protects sources. It carries no original and no name as received, and nothing
that says where a file was found, from whom, on which machine, by which user, or where the case and
earlier bundles are kept. The rules are read from the case itself: every path, file and folder name,
source, host and user name the database records (sightings, import batches, custody entries,
annotations, checklist findings) is collected once, and every text that goes into the bundle is
passed through :meth:`PublicationRules.text`, which puts ``[withheld for publication]`` in place of
each of them and ``reviewer 1``, ``reviewer 2``… in place of each person.

Forensic values the file carried (PDF author and software, XMP, EXIF camera and serial, GPS) are
withheld from the report and case.json as a whole; the person may still quote one in a rationale or
a note, which is their own text and is published as written (after the names above are withheld).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from reviewer.core.bundles.webannotation import WITHHELD
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.storage.orm import (
    Annotation,
    CaseInfo,
    ChecklistEntry,
    CustodyEvent,
    Document,
    ImportBatch,
    RefusedEntry,
    Sighting,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from reviewer.core.bundles.report import ReportDocument
    from reviewer.core.domain.records import AnnotationRecord
    from reviewer.core.services.case import Case

#: Keys of custody facts and records whose values say where or from whom: withheld whatever they hold.
PRIVATE_KEYS = frozenset(
    {
        "path",
        "paths",
        "original_path",
        "original_name",
        "real_path",
        "source",
        "host",
        "bundle",
        "database",
        "kept_as",
        "refused",
        "imported_by",
        "updated_by",
        "created_by",
        "modified_at",
        "changed_at",
        "accessed_at",
        "actor",
    }
)
_PEOPLE_KEYS = frozenset({"imported_by", "updated_by", "created_by", "actor"})
_TIME_KEYS = frozenset({"modified_at", "changed_at", "accessed_at"})
#: Folder names every system has: they say nothing of a person, and withholding them would garble text.
_COMMON_FOLDERS = frozenset(
    {
        "",
        "/",
        "home",
        "users",
        "user",
        "tmp",
        "temp",
        "var",
        "mnt",
        "media",
        "run",
        "opt",
        "srv",
        "root",
        "data",
        "documents",
        "downloads",
        "desktop",
        "private",
        "volumes",
        "inbox",
        "case",
        "cases",
        "work",
        "export",
        "exports",
        "bundle",
        "bundles",
    }
)
#: A shorter folder or file name is not withheld (a two-letter word would cut through ordinary text);
#: hosts, sources and people are withheld whatever their length (a machine may be called "vm").
MIN_PRIVATE_LENGTH = 3
MIN_NAME_LENGTH = 2
#: What a publication bundle's report may show of a file's own metadata: facts about its state that
#: neither locate nor identify anyone. Everything else (PDF author, software and dates, XMP, camera,
#: serial, GPS) is withheld and only named.
PUBLIC_FACTS = frozenset({"Encryption", "Structure", "Problem"})


@dataclass(frozen=True, slots=True)
class PublicationRules:
    """What to withhold from one publication bundle, read from its case by :func:`rules_for`."""

    private: tuple[str, ...] = ()
    """Every path, name, source, host and user name recorded in the case (longest first)."""
    actors: dict[str, str] = field(default_factory=dict)
    """Each person's name (an OS user name) -> a neutral label, "reviewer 1", "reviewer 2"…"""
    _pattern: re.Pattern[str] | None = None

    def actor(self, name: str | None) -> str:
        """The neutral label of a person; a name the case never recorded is withheld."""
        if not name:
            return ""
        return self.actors.get(name) or self.actors.get(name.casefold()) or WITHHELD

    def account(self, name: str | None) -> str:
        """A person in structured data (case.json): said withheld, with the neutral label kept."""
        label = self.actor(name)
        return f"{WITHHELD[:-1]}: {label}]" if label and label != WITHHELD else label

    def text(self, value: str | None) -> str:
        """``value`` with every private name withheld and every person's name made neutral."""
        if not value or self._pattern is None:
            return value or ""
        return self._pattern.sub(self._replacement, value)

    def _replacement(self, match: re.Match[str]) -> str:
        found = match.group(0)
        return self.actors.get(found) or self.actors.get(found.casefold()) or WITHHELD

    def value(self, value: Any) -> Any:
        """JSON-ready data with private keys withheld and every string passed through :meth:`text`."""
        if isinstance(value, dict):
            return {
                str(k): (self._withheld_key(k, v) if k in PRIVATE_KEYS else self.value(v))
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def _withheld_key(self, key: str, value: Any) -> Any:
        if value in (None, "", [], {}):
            return value
        if key in _PEOPLE_KEYS and isinstance(value, str):
            return self.account(value)
        if key in _TIME_KEYS:
            return None  # when the file was touched on the disk it came from
        return WITHHELD

    def record(self, record: dict[str, Any], document_id: int, title: str | None) -> dict[str, Any]:
        """A document's case.json record as published: neutral name, no page labels, nothing private."""
        published: dict[str, Any] = self.value(record)
        # No name of its own: the bundle's file name (document-0003.pdf) is its name; a title the
        # person gave stays under "title".
        published.pop("display_name", None)
        for page in published.get("pages") or ():
            if isinstance(page, dict) and page.get("label"):
                page["label"] = None  # a label's prefix can hold a name
        for sighting in published.get("sightings") or ():
            if isinstance(sighting, dict):
                sighting["original_name"] = WITHHELD
        return published

    def annotation(self, record: AnnotationRecord) -> AnnotationRecord:
        """An annotation as a publication copy carries it: its author neutral, its texts cleaned."""
        return replace(
            record,
            created_by=self.actor(record.created_by),
            note=self.text(record.note) if record.note else record.note,
            transcription=self.text(record.transcription) if record.transcription else record.transcription,
            translation=self.text(record.translation) if record.translation else record.translation,
        )

    def annotation_jsonld(self, item: dict[str, Any]) -> dict[str, Any]:
        """A Web Annotation as published: its creator neutral, its texts cleaned, its target kept."""
        item.pop("creator", None)  # optional in the model; a publication names no one
        for body in item.get("body") or ():
            if isinstance(body, dict) and isinstance(body.get("value"), str):
                body["value"] = self.text(body["value"])
        return item

    def report(self, doc: ReportDocument, title: str | None) -> ReportDocument:
        """A document's part of report.html as published: every line cleaned, people neutral."""
        return replace(
            doc,
            title=public_title(doc.id, title, self),
            rationale=self.text(doc.rationale) if doc.rationale else doc.rationale,
            facts=[(label, self.text(value)) for label, value in doc.facts],
            checklist=[(item, state, self.text(note)) for item, state, note in doc.checklist],
            sightings=[self.text(line) for line in doc.sightings],
            annotations=[
                replace(a, texts=[(label, self.text(value)) for label, value in a.texts])
                for a in doc.annotations
            ],
            custody=[(at, self.actor(who), self.text(what)) for at, who, what in doc.custody],
            redaction=[self.text(line) for line in doc.redaction],
            cleaning=[self.text(line) for line in doc.cleaning],
            links=[self.text(line) for line in doc.links],
            warnings=[self.text(line) for line in doc.warnings],
            missing=[self.text(line) for line in doc.missing],
        )


def neutral_name(document_id: int, suffix: str = ".pdf") -> str:
    """The name a document's cleaned copy has in a publication bundle: ``document-0003.pdf``."""
    return f"document-{document_id:04d}{suffix}"


def public_title(document_id: int, title: str | None, rules: PublicationRules) -> str:
    """How a publication bundle names a document: the title the person gave it, else its number."""
    return rules.text(title) if title else f"document {document_id}"


def public_facts(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    """The file facts a publication report shows, and one line naming the ones withheld."""
    facts = file_facts(metadata)
    shown = [(label, value) for label, value in facts if label in PUBLIC_FACTS]
    withheld = list(dict.fromkeys(label for label, _ in facts if label not in PUBLIC_FACTS))
    if withheld:
        shown.append(("File metadata", f"{WITHHELD}: " + ", ".join(withheld)))
    return shown


def rules_for(case: Case) -> PublicationRules:
    """The rules for a publication bundle of ``case``: every private string it records."""
    with case.db.reading() as session:
        people = _people(session, case.actor)
        found = set(_private_strings(session))
        exact = set(_hosts_and_sources(session))
    found.add(str(case.root))
    found.add(case.root.name)  # the case's own folder name (kept aside below if it is a common word)
    for name in people:
        found.discard(name)
    actors = {name: f"reviewer {number}" for number, name in enumerate(people, start=1)}
    actors |= {name.casefold(): label for name, label in list(actors.items())}
    # Longest first, so a whole path is withheld before the folder names inside it.
    private = tuple(
        sorted(
            {
                *(s for s in found if len(s) >= MIN_PRIVATE_LENGTH and s.casefold() not in _COMMON_FOLDERS),
                *(s for s in exact if len(s) >= MIN_NAME_LENGTH and s not in people),
            },
            key=lambda s: (-len(s), s),
        )
    )
    every = sorted({*private, *(n for n in people if len(n) >= MIN_NAME_LENGTH)}, key=lambda s: (-len(s), s))
    # Whole words only: a user "ann" is withheld, "annex" is not.
    alternatives = "|".join(re.escape(s) for s in every)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if every else None
    return PublicationRules(private, actors, pattern)


def _people(session: Session, current: str) -> list[str]:
    """Every person the case names, in the order they first appear (the case's creator first)."""
    seen: dict[str, None] = {}
    queries = (
        select(CaseInfo.created_by),
        select(CustodyEvent.actor).order_by(CustodyEvent.id),
        select(Document.imported_by),
        select(Sighting.imported_by),
        select(ImportBatch.actor),
        select(Annotation.created_by),
        select(ChecklistEntry.updated_by),
    )
    for query in queries:
        for (name,) in session.execute(query):
            if name:
                seen.setdefault(name, None)
    seen.setdefault(current, None)
    return list(seen)


def _private_strings(session: Session) -> Iterable[str]:
    for path, name, real, source, host in session.execute(
        select(
            Sighting.original_path, Sighting.original_name, Sighting.real_path, Sighting.source, Sighting.host
        )
    ):
        yield from (s for s in (path, name, real, source, host) if s)
        for where in (path, real):
            if where:
                yield from _folder_names(where)
    for host, source, paths in session.execute(
        select(ImportBatch.host, ImportBatch.source, ImportBatch.paths)
    ):
        yield from (s for s in (host, source) if s)
        for where in paths or ():
            if isinstance(where, str):
                yield where
                yield from _folder_names(where)
    for (path,) in session.execute(select(RefusedEntry.path)):
        yield path
        yield from _folder_names(path)
    for before, after in session.execute(select(CustodyEvent.before_json, CustodyEvent.after_json)):
        for facts in (before, after):
            yield from _private_facts(_loads(facts))


def _hosts_and_sources(session: Session) -> Iterable[str]:
    for host, source in session.execute(select(Sighting.host, Sighting.source)):
        yield from (s for s in (host, source) if s)
    for host, source in session.execute(select(ImportBatch.host, ImportBatch.source)):
        yield from (s for s in (host, source) if s)


def _private_facts(value: Any, key: str | None = None) -> Iterable[str]:
    """Strings held under a private key anywhere in custody facts (old sources, bundle paths…)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _private_facts(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _private_facts(v, key)
    elif isinstance(value, str) and key in PRIVATE_KEYS and key not in _TIME_KEYS | _PEOPLE_KEYS:
        yield value
        if key in ("path", "paths", "original_path", "real_path", "bundle", "database", "kept_as", "refused"):
            yield from _folder_names(value)


def _folder_names(path: str) -> set[str]:
    """The file and folder names of ``path`` (POSIX or Windows), the common ones left aside."""
    kind: type[PurePath] = PureWindowsPath if "\\" in path and "/" not in path else PurePosixPath
    parts = kind(path).parts
    names = {p.strip("\\/") for p in parts}
    return {n for n in names if n.casefold() not in _COMMON_FOLDERS}


def _loads(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
