"""The demo case: synthetic documents with provenance, tags, statuses and annotations, built offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import platformdirs

from reviewer.core.domain.values import Rect
from reviewer.core.services import documents, entities, links
from reviewer.core.services.case import Case, create_case
from reviewer.core.services.importing import ImportOptions, import_paths

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reviewer.core.domain.records import ImportProgress


def default_demo_location() -> Path:
    """Where ``reviewer demo`` puts the demo case when not told: ``reviewer-demo`` in the person's
    documents folder, as the system names it (``~/Documents`` on macOS and Windows, XDG's on Linux)."""
    return platformdirs.user_documents_path() / "reviewer-demo"


def demo_files_location(root: Path) -> Path:
    """Where the demo's received files are kept: beside the case, as a real leak's folder would be."""
    return root.with_name(f"{root.name}-received-files")


def _unused(folder: Path) -> Path:
    """``folder``, or ``folder-2``, ``folder-3``… the first name nothing has yet."""
    candidate, number = folder, 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = folder.with_name(f"{folder.name}-{number}")
    return candidate


def build_demo_case(
    root: Path, *, actor: str | None = None, on_progress: Callable[[ImportProgress], None] | None = None
) -> Case:
    """Generate the demo documents and build a case of them at ``root`` (which must not exist yet).

    The generated files stay in ``demo_files_location(root)`` so the sightings point at files that exist.
    """
    from reviewer.resources import demo  # generated files only; imported when a demo is asked for

    case = create_case(root, title="Demo: the Veloria cables", actor=actor)
    try:
        folder = _unused(
            demo_files_location(root)
        )  # never written over: a folder of that name may hold anything
        for spec in demo.generate(folder):
            report = import_paths(
                case,
                [folder / spec.relative_path],
                ImportOptions(source=spec.source, received_on=spec.received, password=spec.password),
                on_progress=on_progress,
            )
            if report.failed:
                raise RuntimeError(f"demo file {spec.relative_path} was refused: {report.failed[0].error}")
            ref = (report.imported or report.duplicates)[0].id
            for sighting in spec.extra_sightings:
                import_paths(
                    case,
                    [folder / sighting.relative_path],
                    ImportOptions(source=sighting.source, received_on=sighting.received),
                )
            if spec.fields:
                documents.set_metadata(case, ref, dict(spec.fields))
            if spec.tags:
                documents.tag_documents(case, [ref], spec.tags)
            for note in spec.annotations:
                documents.add_annotation(
                    case,
                    ref,
                    page=note.page,
                    rect=Rect(*note.rect),
                    kind=note.kind,
                    note=note.note,
                    transcription=note.transcription,
                    translation=note.translation,
                    tags=note.tags,
                )
            for item, (state, text) in spec.checklist.items():
                documents.set_check(case, ref, item, state, text)
            if spec.status != "unverified":
                documents.set_status(case, ref, spec.status, spec.status_note)
        _connect_demo(case)
    except BaseException:
        case.close()
        raise
    return case


# What a fact-checker on this case would watch for, and how the documents answer each other. Pages are
# read (OCR) when the demo first opens in the window, so the entities fill in then.
_WATCH = (
    ("Velograd Machine-Tool Plant", "organisation", ("Велоградский станкостроительный завод",)),
    ("Qaraçay Logistika", "organisation", ("Qaracay Logistika", "Карачай Логистика")),
    ("Brannock & Vey", "organisation", ()),
    ("Port Aldmere", "other", ("порт Альдмер",)),
)
_LINKS = (
    (
        "12-05/1203",
        "12-05/1174",
        "replies_to",
        "the Ministry reports the cargo cleared under its earlier note",
    ),
    (
        "12-05/1318",
        "12-05/1174",
        "contradicts",
        "claims 'special products' where 1174 speaks of machine tools",
    ),
    ("INV-2019-0415", "ВТ-19/044", "attachment_of", "invoice raised under the supply contract"),
    ("ЭП-2019/0311", "ВТ-19/044", "references", "the export passport names the contract"),
)


def _connect_demo(case: Case) -> None:
    from reviewer.core.services.queries import list_documents

    for canonical, kind, aliases in _WATCH:
        entities.add_watch_term(case, canonical, kind, aliases)
    references = {ref for source, target, *_ in _LINKS for ref in (source, target)}
    by_reference: dict[str, int] = {}
    for summary in list_documents(case):
        for reference in references:
            if reference in (summary.title or ""):
                by_reference.setdefault(reference, summary.id)
    for source, target, relation, note in _LINKS:
        if source in by_reference and target in by_reference:
            links.link_documents(case, by_reference[source], by_reference[target], relation, note)
