"""Merging another fact-checker's evidence bundle into a case: whole, or not at all.

The bundle is verified first (a tampered bundle is refused), opened safely (a zip is unpacked inside
the case's staging folder, under a claim the next open sweeps if this process dies; no member may land
outside it; zip bombs and oversized JSON are refused), and every value of case.json the merge uses is
checked before anything is written. New documents are read in the worker pool like any import, their
originals admitted to the store, and then everything (documents, pages, sightings, fields, tags,
status, checklist, annotations, links and custody entries) is written in one transaction. If anything
fails, the transaction is rolled back and the originals this merge admitted are taken back.

Documents are matched by SHA-256 and annotations by id; where the case already says something
different, the case keeps its own value and the conflict is reported. The merge is on the custody log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from reviewer.core.bundles.bagit import BagError, BagLimits, open_bag, read_bag_file, verify_bag
from reviewer.core.bundles.case_json import (
    BundleContents,
    BundleDocument,
    BundleError,
    check_annotations_jsonld,
    read_case_json,
)
from reviewer.core.domain.errors import IntegrityError, UsageError
from reviewer.core.domain.locked import is_locked
from reviewer.core.domain.values import Rect
from reviewer.core.services.importing import analyse_files, place_thumbnails, record_analysed
from reviewer.core.services.merging import MergeWriter, bundle_sighting
from reviewer.core.storage.orm import Document, Page
from reviewer.core.storage.store import Claim, admit_original, remove_original, sha256_of

if TYPE_CHECKING:
    from reviewer.core.domain.records import RefusedFile
    from reviewer.core.ingest.tasks import FileAnalysis
    from reviewer.core.services.case import Case

__all__ = ["BundleError", "MergeReport", "import_bundle", "verify_bundle"]


@dataclass(frozen=True, slots=True)
class MergeReport:
    """What a merge did. ``entries_added`` counts every custody entry the merge appended."""

    bundle: str
    new_documents: tuple[int, ...] = ()
    matched_documents: tuple[int, ...] = ()
    annotations_added: int = 0
    entries_added: int = 0
    conflicts: tuple[str, ...] = ()
    failed: tuple[RefusedFile, ...] = field(default_factory=tuple)
    links_added: int = 0


def verify_bundle(bundle: Path, *, limits: BagLimits | None = None) -> list[str]:
    """What is wrong with a bundle (folder or zip), in plain words; [] when every file is as listed."""
    if not Path(bundle).exists():
        raise UsageError(f"no bundle at {bundle}")
    try:
        return verify_bag(Path(bundle), limits=limits or BagLimits())
    except BagError as exc:
        return [str(exc)]


def _read(root: Path, relative: str, limits: BagLimits) -> bytes:
    try:
        return read_bag_file(root, relative, limits=limits)
    except BagError as exc:
        raise BundleError(f"{relative}: {exc}") from None


def import_bundle(case: Case, bundle: Path, *, limits: BagLimits | None = None) -> MergeReport:
    """Verify, open, check and merge an evidence bundle (folder or zip) into ``case``, in one transaction.

    Raises :class:`IntegrityError` for a bundle that fails verification and :class:`BundleError` for
    one whose contents reviewer will not merge; either way the case is left exactly as it was.
    """
    limits = limits or BagLimits()
    bundle = Path(bundle)
    if not bundle.exists():
        raise UsageError(f"no bundle at {bundle}")
    with Claim(case.layout, "bundle") as claim:
        try:
            with open_bag(bundle, limits=limits, scratch=claim.folder) as root:
                problems = verify_bag(root, limits=limits)  # unpacked once, checked, then read
                if problems:
                    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                    raise IntegrityError(
                        f"the bundle fails verification and was not imported: {problems[0]}{more}"
                    )
                contents = read_case_json(_read(root, "data/case.json", limits), root)
                if (root / "data" / "annotations.jsonld").exists():
                    check_annotations_jsonld(_read(root, "data/annotations.jsonld", limits))
                return _merge(case, claim, bundle, root, contents)
        except BagError as exc:
            raise IntegrityError(f"the bundle was refused: {exc}") from None


@dataclass(frozen=True, slots=True)
class _Planned:
    """One document of the bundle, read and checked: already in the case (``known``) or new (``analysis``)."""

    entry: BundleDocument
    known: int | None
    analysis: FileAnalysis | None
    size: int
    locked: bool = False  # locked here (as it arrives, or already): its annotations cannot be placed


def _merge(case: Case, claim: Claim, bundle: Path, root: Path, contents: BundleContents) -> MergeReport:
    planned = _plan(case, claim, root, contents)
    _check_regions(case, planned)
    admitted: list[str] = []
    try:
        with case.db.unit_of_work() as uow:
            session = uow.session
            writer = MergeWriter(session, case, bundle.name)
            new: list[int] = []
            matched: list[int] = []
            for item in planned:
                sighting = bundle_sighting(bundle.name, item.entry, item.size, case.actor)
                if item.analysis is not None:
                    sha = item.analysis.sha256
                    if not case.layout.original(sha).exists():
                        claim.admitting(sha)  # so a crash before the commit leaves it explained
                        admitted.append(sha)
                    if item.analysis.staged is not None:
                        admit_original(case.layout, Path(item.analysis.staged), sha)
                    doc_id = record_analysed(session, case, item.analysis, sighting)
                    writer.entries_added += 1  # its "imported" entry
                    new.append(doc_id)
                    sighting_to_add = None  # recorded with the document
                else:
                    doc_id = item.known or 0
                    matched.append(doc_id)
                    sighting_to_add = sighting
                writer.document(
                    session.get_one(Document, doc_id), item.entry, sighting_to_add, locked=item.locked
                )
            ids = {sha: doc_id for sha, doc_id in session.execute(select(Document.sha256, Document.id))}
            for link in contents.links:
                writer.link(ids, link)
            if writer.entries_added:
                writer.log(
                    None,
                    "bundle_imported",
                    f"merged evidence bundle {bundle.name}: {len(new)} new, {len(matched)} matched, "
                    f"{writer.annotations_added} annotations and {writer.links_added} links added, "
                    f"{len(writer.conflicts)} conflicts",
                    after={
                        "bundle": bundle.name,
                        "new": new,
                        "matched": matched,
                        "conflicts": writer.conflicts,
                    },
                )
            uow.commit()
    except BaseException:
        for sha in admitted:
            remove_original(case.layout, sha)  # only what this merge put there; the rest was there before
        raise
    for item in planned:
        if item.analysis is not None:
            place_thumbnails(case, item.analysis)
    return MergeReport(
        str(bundle),
        tuple(new),
        tuple(matched),
        writer.annotations_added,
        writer.entries_added,
        tuple(writer.conflicts),
        (),
        writer.links_added,
    )


def _plan(case: Case, claim: Claim, root: Path, contents: BundleContents) -> list[_Planned]:
    """Which documents are here already (their bytes checked) and, read in the workers, the new ones."""
    with case.db.reading() as session:
        known = {sha: doc_id for sha, doc_id in session.execute(select(Document.sha256, Document.id))}
        locked_here = {
            doc_id
            for doc_id, encrypted, password, pages in session.execute(
                select(Document.id, Document.encrypted, Document.password, Document.page_count)
            )
            if is_locked(encrypted, password, pages)
        }
    planned: dict[int, _Planned] = {}
    fresh: list[tuple[int, BundleDocument]] = []
    for order, entry in enumerate(contents.documents):
        path = root / entry.file
        if entry.file_sha256 in known:
            digest = sha256_of(path)
            if digest != entry.file_sha256:
                raise BundleError(f"{entry.name}: the file's bytes are not those case.json names")
            doc_id = known[entry.file_sha256]
            planned[order] = _Planned(entry, doc_id, None, path.stat().st_size, doc_id in locked_here)
        else:
            fresh.append((order, entry))
    results = analyse_files([root / e.file for _, e in fresh], claim.folder, case) if fresh else []
    for (order, entry), result in zip(fresh, results, strict=True):
        if isinstance(result, str):
            raise BundleError(f"{entry.name} in the bundle cannot be read: {result}")
        if result.sha256 != entry.file_sha256:
            raise BundleError(f"{entry.name}: the file's bytes are not those case.json names")
        # an encrypted original arrives locked: the password never travels in a bundle
        planned[order] = _Planned(entry, None, result, result.size, bool(result.metadata.get("locked")))
    return [planned[order] for order in sorted(planned)]


def _check_regions(case: Case, planned: list[_Planned]) -> None:
    """Every annotation of the bundle must lie on a page of its document."""
    with case.db.reading() as session:
        for item in planned:
            if not item.entry.annotations or item.locked:
                continue  # a locked document's annotations are not merged (MergeWriter says so)
            if item.analysis is not None:
                sizes = {p.number: (p.width, p.height) for p in item.analysis.pages}
            else:
                rows = session.execute(
                    select(Page.number, Page.width, Page.height).where(Page.document_id == item.known)
                )
                sizes = {number: (width, height) for number, width, height in rows}
            for note in item.entry.annotations:
                where = f"case.json is malformed: document {item.entry.name[:80]!r}, annotation {note.id[:8]}"
                if note.page not in sizes:
                    raise BundleError(f"{where}: the document has {len(sizes)} page(s), not {note.page}")
                try:
                    Rect(note.x0, note.y0, note.x1, note.y1).checked_against(*sizes[note.page])
                    for box in note.boxes:  # inside the region, itself on the page: checked all the same
                        box.checked_against(*sizes[note.page])
                except UsageError as exc:
                    raise BundleError(f"{where}: {exc}") from None
