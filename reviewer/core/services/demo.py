"""The demo case: synthetic documents with provenance, tags, statuses and annotations, built offline."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.core.domain.values import Rect
from reviewer.core.services import documents
from reviewer.core.services.case import Case, create_case
from reviewer.core.services.importing import ImportOptions, import_paths

if TYPE_CHECKING:
    from collections.abc import Callable

    from reviewer.core.domain.records import ImportProgress


def default_demo_location() -> Path:
    """Where ``reviewer demo`` puts the demo case when not told."""
    return Path.home() / "reviewer-demo"


def demo_files_location(root: Path) -> Path:
    """Where the demo's received files are kept: beside the case, as a real leak's folder would be."""
    return root.with_name(f"{root.name}-received-files")


def build_demo_case(
    root: Path, *, actor: str | None = None, on_progress: Callable[[ImportProgress], None] | None = None
) -> Case:
    """Generate the demo documents and build a case of them at ``root`` (which must not exist yet).

    The generated files stay in ``demo_files_location(root)`` so the sightings point at files that exist.
    """
    from reviewer.resources import demo  # generated files only; imported when a demo is asked for

    case = create_case(root, title="Demo: the Veloria cables", actor=actor)
    try:
        folder = demo_files_location(root)
        shutil.rmtree(folder, ignore_errors=True)
        for spec in demo.generate(folder):
            report = import_paths(
                case,
                [folder / spec.relative_path],
                ImportOptions(source=spec.source, received_on=spec.received, password=spec.password),
                on_progress=on_progress,
            )
            if report.failed:
                raise RuntimeError(f"demo file {spec.relative_path} was refused: {report.failed[0].error}")
            ref = str((report.imported or report.duplicates)[0].id)
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
    except BaseException:
        case.close()
        raise
    return case
