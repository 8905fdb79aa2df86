"""Merging another fact-checker's evidence bundle into a case.

The bundle is verified first (a tampered bundle is refused), opened safely (no member may land outside
a temporary folder; zip bombs and oversized JSON are refused), and read completely before anything is
written. Documents are matched by SHA-256 and annotations by id; where the case already says something
different, the case keeps its own value and the conflict is reported. The merge is on the custody log.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from reviewer.core.bundles.bagit import BagError, BagLimits, open_bag, read_bag_file, verify_bag
from reviewer.core.domain.errors import IntegrityError, ReviewerError, UsageError
from reviewer.core.domain.records import RefusedFile
from reviewer.core.domain.values import ChecklistItem, Rect, VerificationStatus
from reviewer.core.services import documents, queries
from reviewer.core.services.importing import ImportOptions, import_paths
from reviewer.core.services.links import link_documents
from reviewer.core.storage import custody
from reviewer.core.storage.orm import CustodyEvent, Document, Sighting

if TYPE_CHECKING:
    from reviewer.core.services.case import Case

_SHA = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did."""

    bundle: str
    new_documents: tuple[int, ...] = ()
    matched_documents: tuple[int, ...] = ()
    annotations_added: int = 0
    entries_added: int = 0
    conflicts: tuple[str, ...] = ()
    failed: tuple[RefusedFile, ...] = field(default_factory=tuple)
    links_added: int = 0


class BundleError(ReviewerError):
    """A bundle reviewer will not merge; nothing was written."""


def _load_json(root: Path, relative: str, limits: BagLimits) -> Any:
    try:
        raw = read_bag_file(root, relative, limits=limits)
    except BagError as exc:
        raise BundleError(f"{relative}: {exc}") from None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BundleError(f"{relative} is not valid JSON ({exc})") from None


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise BundleError(f"case.json is malformed: {what}")


def _validated(data: Any, root: Path) -> list[dict[str, Any]]:
    """Every document entry, checked for shape and for files inside the bag, before anything is written."""
    _check(
        isinstance(data, dict) and data.get("format") == "reviewer-evidence-bundle", "not a reviewer bundle"
    )
    docs = data.get("documents")
    _check(isinstance(docs, list), "no document list")
    payload = (root / "data").resolve()
    for doc in docs:
        _check(isinstance(doc, dict), "a document entry is not an object")
        _check(isinstance(doc.get("sha256"), str) and bool(_SHA.match(doc["sha256"])), "a bad SHA-256")
        file = doc.get("file")
        _check(isinstance(file, str) and file.startswith("data/"), "a document without its file")
        target = (root / file).resolve()
        _check(target.is_relative_to(payload) and target.is_file(), f"{file!r} is not a file of the bundle")
        for key in ("fields", "free_fields", "checklist"):
            _check(isinstance(doc.get(key, {}), dict), f"{key} is not an object")
        for key in ("tags", "annotations", "custody", "sightings"):
            _check(isinstance(doc.get(key, []), list), f"{key} is not a list")
        for note in doc.get("annotations", []):
            _check(isinstance(note, dict) and isinstance(note.get("id"), str), "an annotation without an id")
            _check(
                all(isinstance(note.get(k), int | float) for k in ("x0", "y0", "x1", "y1", "page")),
                "an annotation without its region",
            )
    return list(docs)


def _validated_links(data: dict[str, Any]) -> list[dict[str, Any]]:
    links = data.get("links", [])
    _check(isinstance(links, list), "links is not a list")
    for link in links:
        _check(isinstance(link, dict), "a link is not an object")
        _check(
            all(isinstance(link.get(k), str) and _SHA.match(link[k]) for k in ("source", "target")),
            "a link without the SHA-256 of both its documents",
        )
        _check(isinstance(link.get("relation"), str), "a link without its relation")
        _check(isinstance(link.get("note"), str | None), "a link's note is not text")
    return list(links)


def verify_bundle(bundle: Path, *, limits: BagLimits | None = None) -> list[str]:
    """What is wrong with a bundle (folder or zip), in plain words; [] when every file is as listed."""
    if not Path(bundle).exists():
        raise UsageError(f"no bundle at {bundle}")
    try:
        return verify_bag(Path(bundle), limits=limits or BagLimits())
    except BagError as exc:
        return [str(exc)]


def import_bundle(case: Case, bundle: Path, *, limits: BagLimits | None = None) -> MergeReport:
    """Verify, open and merge an evidence bundle (folder or zip) into ``case``."""
    limits = limits or BagLimits()
    bundle = Path(bundle)
    if not bundle.exists():
        raise UsageError(f"no bundle at {bundle}")
    try:
        with open_bag(bundle, limits=limits) as root:
            problems = verify_bag(root, limits=limits)  # unpacked once, checked, then read
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise IntegrityError(
                    f"the bundle fails verification and was not imported: {problems[0]}{more}"
                )
            data = _load_json(root, "data/case.json", limits)
            entries = _validated(data, root)
            return _merge(case, bundle, root, entries, _validated_links(data))
    except BagError as exc:
        raise IntegrityError(f"the bundle was refused: {exc}") from None


def _merge(
    case: Case, bundle: Path, root: Path, entries: list[dict[str, Any]], links: list[dict[str, Any]]
) -> MergeReport:
    new: list[int] = []
    matched: list[int] = []
    conflicts: list[str] = []
    failed: list[RefusedFile] = []
    annotations_added = entries_added = 0
    source = f"evidence bundle {bundle.name}"
    for entry in entries:
        report = import_paths(case, [root / entry["file"]], ImportOptions(source=source))
        if report.failed:
            failed.extend(RefusedFile(entry["file"], f.error) for f in report.failed)
            continue
        if report.imported:
            doc_id = report.imported[0].id
            new.append(doc_id)
        else:
            doc_id = report.duplicates[0].id
            matched.append(doc_id)
        ref = str(doc_id)
        name = entry.get("display_name") or entry["file"]
        conflicts += _merge_fields(case, ref, name, entry)
        if entry.get("tags"):
            documents.tag_documents(case, [ref], [str(t) for t in entry["tags"]])
        conflicts += _merge_status(case, ref, name, entry)
        conflicts += _merge_checklist(case, ref, name, entry)
        added, clashes = _merge_annotations(case, ref, name, entry)
        annotations_added += added
        conflicts += clashes
        entries_added += _merge_history(case, doc_id, entry, source)
    links_added, clashes = _merge_links(case, links)
    conflicts += clashes
    with case.db.unit_of_work() as uow:
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="bundle_imported",
            summary=f"merged {source}: {len(new)} new, {len(matched)} matched, "
            f"{annotations_added} annotations and {links_added} links added, {len(conflicts)} conflicts",
            after={"bundle": str(bundle), "new": new, "matched": matched, "conflicts": conflicts},
        )
        uow.commit()
    return MergeReport(
        str(bundle),
        tuple(new),
        tuple(matched),
        annotations_added,
        entries_added,
        tuple(conflicts),
        tuple(failed),
        links_added,
    )


def _merge_links(case: Case, links: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Links whose two documents are in the case now; one already there is kept as it is."""
    added, clashes = 0, []
    with case.db.reading() as session:
        ids = {sha: doc_id for sha, doc_id in session.execute(select(Document.sha256, Document.id))}
    for link in links:
        source, target = ids.get(link["source"]), ids.get(link["target"])
        if source is None or target is None:
            continue
        try:
            link_documents(case, str(source), str(target), link["relation"], link.get("note"))
        except UsageError as exc:
            if "already" not in str(exc):
                clashes.append(f"link {source} → {target} not merged: {exc}")
            continue
        added += 1
    return added, clashes


def _merge_fields(case: Case, ref: str, name: str, entry: dict[str, Any]) -> list[str]:
    detail = queries.document_detail(case, ref)
    have = {**detail.fields, **detail.free_fields}
    wanted = {
        str(k): str(v) for k, v in {**entry.get("fields", {}), **entry.get("free_fields", {})}.items() if v
    }
    updates: dict[str, str] = {}
    conflicts = []
    for key, value in wanted.items():
        if key not in have:
            updates[key] = value
        elif have[key] != value:
            conflicts.append(
                f"{name}: {key} is {have[key]!r} here but {value!r} in the bundle; kept {have[key]!r}"
            )
    if updates:
        try:
            documents.set_metadata(case, ref, updates)
        except UsageError as exc:
            conflicts.append(f"{name}: fields not merged ({exc})")
    return conflicts


def _merge_status(case: Case, ref: str, name: str, entry: dict[str, Any]) -> list[str]:
    try:
        theirs = VerificationStatus.parse(str(entry.get("status") or "unverified"))
    except UsageError:
        return [f"{name}: unknown status {entry.get('status')!r} in the bundle; ignored"]
    detail = queries.document_detail(case, ref)
    ours = detail.summary.status
    note = entry.get("status_note")
    if theirs is VerificationStatus.UNVERIFIED or (theirs is ours and detail.status_note == note):
        return []
    if ours is VerificationStatus.UNVERIFIED:
        documents.set_status(case, ref, theirs, str(note) if note else None)
        return []
    return [f"{name}: status is {ours.value} here but {theirs.value} in the bundle; kept {ours.value}"]


def _merge_checklist(case: Case, ref: str, name: str, entry: dict[str, Any]) -> list[str]:
    detail = queries.document_detail(case, ref)
    conflicts = []
    for item, check in entry.get("checklist", {}).items():
        if not isinstance(check, dict) or check.get("state") in (None, "unchecked"):
            continue
        try:
            key = ChecklistItem.parse(str(item)).value
        except UsageError:
            continue
        ours = detail.checklist[key]
        if ours.state == "unchecked":
            documents.set_check(case, ref, key, str(check["state"]), check.get("note"))
        elif (ours.state, ours.note) != (check.get("state"), check.get("note")):
            conflicts.append(
                f"{name}: checklist {key} is {ours.state} here but {check.get('state')} in the bundle"
            )
    return conflicts


def _merge_annotations(case: Case, ref: str, name: str, entry: dict[str, Any]) -> tuple[int, list[str]]:
    detail = queries.document_detail(case, ref)
    existing = {a.id: a for a in detail.annotations}
    added = 0
    conflicts = []
    for note in entry.get("annotations", []):
        ident = str(note["id"])
        rect = Rect(float(note["x0"]), float(note["y0"]), float(note["x1"]), float(note["y1"]))
        if ident in existing:
            ours = existing[ident]
            if (ours.page, ours.x0, ours.y0, ours.x1, ours.y1, ours.note) != (
                note["page"],
                rect.x0,
                rect.y0,
                rect.x1,
                rect.y1,
                note.get("note"),
            ):
                conflicts.append(
                    f"{name}: annotation {ident[:8]} differs from the bundle's; kept this case's"
                )
            continue
        try:
            documents.add_annotation(
                case,
                ref,
                page=int(note["page"]),
                rect=rect,
                kind=str(note.get("kind") or "note"),
                note=note.get("note"),
                transcription=note.get("transcription"),
                translation=note.get("translation"),
                tags=[str(t) for t in note.get("tags", [])],
                annotation_id=ident,
            )
            added += 1
        except ReviewerError as exc:
            conflicts.append(f"{name}: annotation {ident[:8]} not merged ({exc})")
    return added, conflicts


def _merge_history(case: Case, doc_id: int, entry: dict[str, Any], source: str) -> int:
    """The bundle's sightings and custody entries, appended to this case's chain, once."""
    added = 0
    with case.db.unit_of_work() as uow:
        session = uow.session
        document = session.get_one(Document, doc_id)
        have: set[tuple[Any, ...]] = {
            (s.original_path, s.size, s.modified_at, s.source, s.received_on, s.imported_at)
            for s in document.sightings
        }
        for s in entry.get("sightings", []):
            if not isinstance(s, dict):
                continue
            key = (
                str(s.get("original_path")),
                int(s.get("size") or 0),
                s.get("modified_at"),
                s.get("source"),
                s.get("received_on"),
                s.get("imported_at"),
            )
            if key in have:
                continue
            have.add(key)
            document.sightings.append(
                Sighting(
                    original_path=key[0],
                    original_name=str(s.get("original_name") or Path(key[0]).name),
                    size=key[1],
                    modified_at=key[2],
                    changed_at=s.get("changed_at"),
                    accessed_at=s.get("accessed_at"),
                    source=key[3],
                    received_on=key[4],
                    imported_by=str(s.get("imported_by") or "unknown"),
                    imported_at=str(key[5] or ""),
                    host=str(s.get("host") or "unknown"),
                )
            )
        seen: set[tuple[Any, ...]] = set(
            session.execute(
                select(CustodyEvent.at, CustodyEvent.actor, CustodyEvent.action, CustodyEvent.summary).where(
                    CustodyEvent.document_id == doc_id
                )
            ).all()
        )
        for event in entry.get("custody", []):
            if not isinstance(event, dict):
                continue
            at, actor, action, summary = (str(event.get(k)) for k in ("at", "actor", "action", "summary"))
            if (at, actor, action, summary) in seen:
                continue
            seen.add((at, actor, action, summary))
            custody.append(
                session,
                document_id=doc_id,
                actor=actor,
                action=action,
                summary=summary,
                before=event.get("before"),
                after=event.get("after"),
                at=at,
            )
            added += 1
        custody.append(
            session,
            document_id=doc_id,
            actor=case.actor,
            action="merged_from_bundle",
            summary=f"merged from {source}: {added} custody entries of the other case appended",
            after={"bundle": source},
        )
        uow.commit()
    return added
