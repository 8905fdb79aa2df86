"""A bundle's tag data: annotations.jsonld, case.json and report.html (its data: services/report_data.py)."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from reviewer import __version__
from reviewer.core.bundles.report import ReportAnnotation, ReportDocument, render_report
from reviewer.core.bundles.webannotation import WITHHELD, collection
from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.labels import format_utc
from reviewer.core.domain.values import (
    AnnotationKind,
    LinkRelation,
)
from reviewer.core.services.links import all_links
from reviewer.core.services.report_data import (
    report_checklist,
    report_custody,
    report_facts,
    report_provenance,
    report_signals,
)
from reviewer.core.storage import custody

if TYPE_CHECKING:
    from collections.abc import Sequence

    from reviewer.core.bundles.bagit import BagWriter
    from reviewer.core.domain.records import DocumentDetail
    from reviewer.core.services.case import Case
    from reviewer.core.services.export_options import (
        ExportOptions,
    )
    from reviewer.core.services.publication_rules import (
        PublicationRules,
    )

BUNDLE_FORMAT = "reviewer-evidence-bundle"
BUNDLE_VERSION = 1


def link_lines(case: Case, details: list[DocumentDetail]) -> dict[int, tuple[str, ...]]:
    """For the report: each document's links to others in the bundle, read from its side."""
    names = {d.summary.id: d.summary.display_name for d in details}
    lines: dict[int, list[str]] = {}
    for source, target, relation, note in all_links(case):
        if source in names and target in names:
            kind = LinkRelation(relation)
            said = f": {note}" if note else ""
            lines.setdefault(source, []).append(f"{kind.label} document {target} ({names[target]}){said}")
            lines.setdefault(target, []).append(
                f"{kind.inverse_label} document {source} ({names[source]}){said}"
            )
    return {d: tuple(v) for d, v in lines.items()}


def _links(case: Case, details: list[DocumentDetail]) -> list[dict[str, Any]]:
    """Links between documents that are both in the bundle, each end named by its SHA-256."""
    sha = {d.summary.id: d.summary.sha256 for d in details}
    return [
        {"source": sha[s], "target": sha[t], "relation": relation, "note": note}
        for s, t, relation, note in all_links(case)
        if s in sha and t in sha
    ]


def write_tag_data(
    case: Case,
    writer: BagWriter,
    options: ExportOptions,
    details: list[DocumentDetail],
    entries: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
    report_docs: list[ReportDocument],
    left_out: Sequence[str] = (),
    rules: PublicationRules | None = None,
) -> None:
    """annotations.jsonld, case.json and report.html."""
    exported_at = utc_now()
    exporter = case.actor if rules is None else rules.account(case.actor)
    title = case.title if rules is None else rules.text(case.title)
    label = f"Annotations of case {title!r}"
    writer.add_bytes(
        "annotations.jsonld",
        _json(
            collection(
                annotations, label=label, collection_id=f"urn:uuid:{uuid.uuid4()}", generated=exported_at
            )
        ),
    )
    writer.add_bytes(
        "case.json",
        _json(
            {
                "format": BUNDLE_FORMAT,
                "version": BUNDLE_VERSION,
                "exported_at": exported_at,
                "exported_by": exporter,
                "reviewer": __version__,
                "redacted_for_publication": options.redact,
                "case": {"title": title, "custody_head": _custody_head(case)},
                "documents": entries,
                "links": _links(case, details),
                **({"left_out": list(left_out)} if left_out else {}),
            }
        ),
    )
    subtitle = (
        f"{len(details)} document(s), exported {format_utc(exported_at)} by {exporter} "
        f"with reviewer {__version__}" + ("; redacted for publication" if options.redact else "")
    ) + "".join(f"; {line}" for line in left_out)
    writer.add_bytes(
        "report.html", render_report(f"Evidence bundle: {title}", subtitle, report_docs).encode()
    )


def _custody_head(case: Case) -> dict[str, Any] | None:
    """The case's custody chain head as the bundle is written: `reviewer verify CASE --head` takes it."""
    with case.db.reading() as session:
        head = custody.head_of(session)
    return None if head is None else {"entry": head.entry_id, "sha256": head.entry_hash, "at": head.at}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def report_document(
    case: Case,
    detail: DocumentDetail,
    redaction: list[str],
    publish: bool,
    crops: list[bytes | None],
    thumbnail: bytes | None,
    carried_custody: list[dict[str, Any]] | None = None,
) -> ReportDocument:
    """A document's part of report.html, in words (services/report_data.py); ``carried_custody`` are
    its custody entries as case.json carries them, whose before and after the log lines show."""
    summary = detail.summary
    notes = []
    for a, crop in zip(detail.annotations, crops, strict=True):
        hidden = publish and a.kind is AnnotationKind.REDACTION
        texts = [
            (label, WITHHELD if hidden else value)
            for label, value in (
                ("Note", a.note),
                ("Transcription", a.transcription),
                ("Translation", a.translation),
            )
            if value
        ]
        notes.append(ReportAnnotation(a.page, a.kind.value, texts, a.tags, None if hidden else crop))
    locked = summary.locked  # a locked document's file was never read: no checks ran on it
    signals, plain_signals = (None, 0) if locked else report_signals(case, summary.id, publish=publish)
    return ReportDocument(
        id=summary.id,
        title=summary.display_name,
        sha256=summary.sha256,
        status=summary.status.value,
        rationale=detail.status_note,
        thumbnail_image=thumbnail,
        facts=report_facts(detail, publish=publish, redacted=bool(redaction)),
        checklist=report_checklist(detail),
        sightings=report_provenance(detail, publish=publish),
        annotations=notes,
        custody=report_custody(detail, carried_custody or ()),
        redaction=redaction,
        signals=signals,
        plain_signals=plain_signals,
    )
