"""Exporting an evidence bundle: a BagIt bag anyone can verify without trusting reviewer."""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pymupdf

from reviewer import __version__
from reviewer.core.bundles.annotated import cover_html, write_annotated
from reviewer.core.bundles.bagit import BagWriter, zip_bag
from reviewer.core.bundles.redact import RedactionRegion, redact_document
from reviewer.core.bundles.report import ReportAnnotation, ReportDocument, render_report
from reviewer.core.bundles.webannotation import WITHHELD, annotation_to_jsonld, collection
from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import IntegrityError, UsageError
from reviewer.core.domain.file_facts import file_facts
from reviewer.core.domain.records import as_plain
from reviewer.core.domain.values import AnnotationKind, ChecklistItem, VerificationStatus, parse_tag
from reviewer.core.services import queries
from reviewer.core.services.case import current_host
from reviewer.core.storage import custody
from reviewer.core.storage.store import sha256_of

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from reviewer.core.domain.records import DocumentDetail
    from reviewer.core.services.case import Case

BUNDLE_FORMAT = "reviewer-evidence-bundle"
BUNDLE_VERSION = 1
_UNSAFE = re.compile(r"[^\w.\- ()\[\]№+,]+", re.UNICODE)
PRIVATE_KEYS = ("path", "source", "host", "real_path")


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What to export and how."""

    docs: Sequence[str] = ()
    tag: str | None = None
    status: str | None = None
    redact: bool = False
    zip: bool = False
    organization: str | None = None


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: str
    documents: int
    redacted: tuple[int, ...]
    payload_bytes: int


def _safe_name(name: str) -> str:
    clean = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "document"
    return clean[:120]


def select_documents(case: Case, options: ExportOptions) -> list[int]:
    """The ids a set of export options picks (documents given, then tag and status filters)."""
    status = VerificationStatus.parse(options.status) if options.status else None
    tag = parse_tag(options.tag) if options.tag else None
    if options.docs:
        with case.db.reading() as session:
            ids = list(dict.fromkeys(queries.resolve(session, ref).id for ref in options.docs))
    else:
        ids = queries.find_documents(case, queries.DocumentFilter())
    rows = {s.id: s for s in queries.summaries(case, ids)}
    chosen = [
        i
        for i in ids
        if (status is None or rows[i].status is status) and (tag is None or tag in rows[i].tags)
    ]
    if not chosen:
        raise UsageError("no document matches; nothing to export")
    return chosen


def export_bundle(
    case: Case,
    out: Path,
    options: ExportOptions | None = None,
    *,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> ExportReport:
    """Write an evidence bundle of the chosen documents to ``out`` (a folder, or a zip with ``zip``).

    Every original is re-hashed first and the export refused if the case's copy no longer matches.
    The bundle is built beside ``out`` and moved into place at the end: an export that fails leaves
    nothing behind.
    """
    options = options or ExportOptions()
    out = Path(out).absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} already exists; choose a new name for the bundle")
    ids = select_documents(case, options)
    details = [queries.document_detail(case, str(i)) for i in ids]
    step = _progress(on_progress, len(details) * 2 + 2)
    for detail in details:
        step(f"checking {detail.summary.display_name}")
        # An original copied into the bag is checked by the digest of that copy (one read, below);
        # one that will be redacted is not copied, so it is re-hashed here.
        if options.redact and any(a.kind is AnnotationKind.REDACTION for a in detail.annotations):
            _check_fixity(detail, sha256_of(case.layout.original(detail.summary.sha256)))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".reviewer-export-", dir=out.parent) as scratch:
        work = Path(scratch)
        bag_root = work / (out.stem if options.zip else out.name)
        writer = BagWriter(bag_root)
        redacted: list[int] = []
        json_docs: list[dict[str, Any]] = []
        annotations: list[dict[str, Any]] = []
        report_docs: list[ReportDocument] = []
        for detail in details:
            step(f"writing {detail.summary.display_name}")
            entry, shown, summary_lines = _export_document(case, detail, writer, work, options.redact)
            if summary_lines:
                redacted.append(detail.summary.id)
            json_docs.append(entry)
            language = detail.fields.get("language")
            annotations += [
                annotation_to_jsonld(a, detail.summary.sha256, language=language, withhold=options.redact)
                for a in detail.annotations
            ]
            password = (
                _password(case, detail.summary.id)
                if shown == case.layout.original(detail.summary.sha256)
                else None
            )
            thumb = case.layout.thumbnail(detail.summary.sha256, 1)
            report_docs.append(
                _report_document(detail, shown, summary_lines, options.redact, password, thumb)
            )
        step("writing the report")
        exported_at = utc_now()
        label = f"Annotations of case {case.title!r}"
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
                    "exported_by": case.actor,
                    "reviewer": __version__,
                    "redacted_for_publication": options.redact,
                    "case": {"title": case.title},
                    "documents": json_docs,
                    "links": [],
                }
            ),
        )
        subtitle = (
            f"{len(details)} document(s), exported {exported_at[:19].replace('T', ' ')} UTC by {case.actor} "
            f"with reviewer {__version__}" + ("; redacted for publication" if options.redact else "")
        )
        writer.add_bytes(
            "report.html", render_report(f"Evidence bundle: {case.title}", subtitle, report_docs).encode()
        )
        bag = writer.finish(
            {
                "Source-Organization": options.organization or f"{case.actor} (reviewer)",
                "External-Description": f"Evidence bundle of case {case.title!r}: {len(details)} document(s)"
                + (", redacted for publication" if options.redact else ""),
                "Bag-Software-Agent": f"reviewer {__version__}",
            }
        )
        payload = sum(f.stat().st_size for f in (bag / "data").rglob("*") if f.is_file())
        step("finishing")
        if out.exists():
            out.rmdir()  # an empty folder, checked above
        if options.zip:
            zip_bag(bag, work / out.name).replace(out)
        else:
            bag.replace(out)
    _log_export(case, details, out, options, redacted)
    return ExportReport(str(out), len(details), tuple(redacted), payload)


def _check_fixity(detail: DocumentDetail, digest: str) -> None:
    if digest != detail.summary.sha256:
        raise IntegrityError(
            f"the case's copy of document {detail.summary.id} no longer matches its SHA-256; "
            "nothing was exported (run: reviewer verify CASE)"
        )


def _progress(callback: Callable[[str, int, int], None] | None, total: int) -> Callable[[str], None]:
    done = [0]

    def step(what: str) -> None:
        if callback is not None:
            callback(what, done[0], total)
        done[0] += 1

    return step


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def _export_document(
    case: Case, detail: DocumentDetail, writer: BagWriter, work: Path, redact: bool
) -> tuple[dict[str, Any], Path, list[str]]:
    """Add a document's original (or redacted copy) and annotated copy; return its case.json entry."""
    summary = detail.summary
    original = case.layout.original(summary.sha256)
    name = _safe_name(detail.sightings[0].original_name if detail.sightings else summary.sha256[:12])
    base = f"{summary.id:04d}_{name}"
    password = _password(case, summary.id)
    regions = [
        RedactionRegion(a.page, a.x0, a.y0, a.x1, a.y1)
        for a in detail.annotations
        if a.kind is AnnotationKind.REDACTION
    ]
    lines: list[str] = []
    shown = original
    entry: dict[str, Any] = {"id": summary.id, "sha256": summary.sha256, "size": summary.size}
    if redact and regions:
        shown = work / f"{base}.redacted.pdf"
        result = redact_document(original, shown, regions, password=password)
        copy_name = f"originals/{Path(base).stem}.redacted.pdf"
        entry.update(
            file=f"data/{copy_name}",
            file_sha256=writer.add_file(copy_name, shown),
            redacted=True,
            redaction={str(page): count for page, count in sorted(result.pages.items())},
        )
        for page, count in sorted(result.pages.items()):
            share = result.area_fraction.get(page, 0.0)
            lines.append(f"page {page}: {count} region(s) removed, {share:.1%} of the page")
    else:
        digest = writer.add_file(f"originals/{base}", original)
        _check_fixity(detail, digest)
        entry.update(file=f"data/originals/{base}", file_sha256=digest, redacted=False)
    annotated = work / f"{base}.annotated.pdf"
    write_annotated(
        shown,
        annotated,
        detail.annotations,
        _cover(detail, lines, redact),
        password=None if shown != original else password,
        withhold=redact,
    )
    entry["annotated"] = f"data/annotated/{Path(base).stem}.annotated.pdf"
    writer.add_file(f"annotated/{Path(base).stem}.annotated.pdf", annotated)
    annotated.unlink()
    entry.update(_document_record(detail, redact and bool(regions), publish=redact))
    return entry, shown, lines


def _password(case: Case, document_id: int) -> str | None:
    from reviewer.core.storage.orm import Document

    with case.db.reading() as session:
        document = session.get(Document, document_id)
        return document.password if document else None


def _scrub(value: Any) -> Any:
    """Leave out where files were found, from whom, on which machine: publication protects sources."""
    if isinstance(value, dict):
        return {k: (WITHHELD if k in PRIVATE_KEYS and v else _scrub(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _document_record(detail: DocumentDetail, redacted: bool, *, publish: bool) -> dict[str, Any]:
    plain = as_plain(detail)
    summary = plain["summary"]
    record: dict[str, Any] = {
        "title": summary["title"],
        "display_name": summary["display_name"],
        "media_type": summary["media_type"],
        "file_format": detail.file_format,
        "pages": plain["pages"],
        "fields": detail.fields,
        "free_fields": detail.free_fields,
        "tags": list(summary["tags"]),
        "status": summary["status"],
        "status_note": detail.status_note,
        "checklist": plain["checklist"],
        "sightings": plain["sightings"],
        "annotations": plain["annotations"],
        "custody": plain["custody"],
        "file_metadata": {} if redacted else plain["file_metadata"],
    }
    if publish:
        for sighting in record["sightings"]:
            sighting["original_path"] = sighting["original_name"]
            sighting["source"] = WITHHELD if sighting["source"] else None
            sighting["host"] = WITHHELD
        record["custody"] = _scrub(record["custody"])
        for annotation in record["annotations"]:
            if annotation["kind"] == AnnotationKind.REDACTION.value:
                for key in ("note", "transcription", "translation"):
                    if annotation[key]:
                        annotation[key] = WITHHELD
        redaction_ids = {
            a["id"] for a in record["annotations"] if a["kind"] == AnnotationKind.REDACTION.value
        }
        for event in record["custody"]:
            for side in ("before", "after"):
                facts = event.get(side)
                if isinstance(facts, dict) and facts.get("id") in redaction_ids:
                    event[side] = {
                        k: (WITHHELD if k in ("note", "transcription", "translation") and v else v)
                        for k, v in facts.items()
                    }
    return record


def _fields(detail: DocumentDetail) -> list[tuple[str, str]]:
    return [(k.replace("_", " ").capitalize(), v) for k, v in {**detail.fields, **detail.free_fields}.items()]


def _checked(detail: DocumentDetail) -> list[tuple[str, str, str]]:
    """(item, finding, note) of every checklist item that was looked at."""
    return [
        (ChecklistItem(item).label, check.state.replace("_", " "), check.note or "")
        for item, check in detail.checklist.items()
        if check.state != "unchecked"
    ]


def _provenance(detail: DocumentDetail, publish: bool) -> list[str]:
    """One line per sighting; for publication, no folder and no source."""
    return [
        (s.original_name if publish else s.original_path)
        + (f", from {WITHHELD if publish else s.source}" if s.source else "")
        + (f", received {s.received_on}" if s.received_on else "")
        + f"; imported by {s.imported_by} {s.imported_at[:19]}"
        for s in detail.sightings
    ]


def _cover(detail: DocumentDetail, redaction: list[str], publish: bool) -> str:
    summary = detail.summary
    facts = [("SHA-256 of the original", summary.sha256), ("Status", summary.status.value)]
    if detail.status_note:
        facts.append(("Rationale", detail.status_note))
    facts += _fields(detail)
    if not redaction:
        facts += file_facts(detail.file_metadata)
    checklist = [
        f"{item}: {state}" + (f" ({note})" if note else "") for item, state, note in _checked(detail)
    ]
    log = [f"{e.at[:19]} {e.actor}: {e.summary}" for e in detail.custody]
    sections = [
        ("Redacted for publication", redaction),
        ("Checklist", checklist),
        ("Provenance", _provenance(detail, publish)),
        ("Custody log", log),
    ]
    return cover_html(summary.display_name, facts, sections)


class _Pictures:
    """Renders the thumbnail and crops of one document, opening it once."""

    def __init__(self, source: Path, password: str | None) -> None:
        self._source, self._password = source, password
        self._doc: pymupdf.Document | None = None

    def __enter__(self) -> _Pictures:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._doc is not None:
            self._doc.close()

    def render(
        self, page: int, *, clip: tuple[float, float, float, float] | None, width: int
    ) -> bytes | None:
        """A PNG of a page, or of a region of it (unrotated page points), ``width`` pixels wide."""
        try:
            if self._doc is None:
                self._doc = pymupdf.open(str(self._source))
                if self._doc.needs_pass:
                    self._doc.authenticate(self._password or "")
            target = self._doc.load_page(page - 1)
            area = pymupdf.Rect(*clip) * target.rotation_matrix if clip else target.rect
            scale = width / max(area.width, 1.0)
            pixmap = target.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=area, alpha=False)
            return bytes(pixmap.tobytes("png"))
        except (RuntimeError, ValueError):
            return None


def _report_document(
    detail: DocumentDetail,
    shown: Path,
    redaction: list[str],
    publish: bool,
    password: str | None,
    imported_thumbnail: Path | None = None,
) -> ReportDocument:
    summary = detail.summary
    with _Pictures(shown, password) as pictures:
        notes = []
        for a in detail.annotations:
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
            crop = None if hidden else pictures.render(a.page, clip=(a.x0, a.y0, a.x1, a.y1), width=320)
            notes.append(ReportAnnotation(a.page, a.kind.value, texts, a.tags, crop))
        facts = _fields(detail)
        facts.append(("File", f"{summary.media_type}, {summary.size:,} bytes, {summary.page_count} page(s)"))
        if not redaction:
            facts += file_facts(detail.file_metadata)
        sightings = _provenance(detail, publish)
        custody_rows = [(e.at[:19].replace("T", " "), e.actor, e.summary) for e in detail.custody]
        stored = imported_thumbnail if not redaction else None  # a redacted copy needs its own
        thumbnail = (
            stored.read_bytes()
            if stored is not None and stored.is_file()
            else (pictures.render(1, clip=None, width=160))
        )
        checklist = _checked(detail)
    return ReportDocument(
        id=summary.id,
        title=summary.display_name,
        sha256=summary.sha256,
        status=summary.status.value,
        rationale=detail.status_note,
        thumbnail_png=thumbnail,
        facts=facts,
        checklist=checklist,
        sightings=sightings,
        annotations=notes,
        custody=custody_rows,
        redaction=redaction,
    )


def _log_export(
    case: Case, details: list[DocumentDetail], out: Path, options: ExportOptions, redacted: list[int]
) -> None:
    with case.db.unit_of_work() as uow:
        for detail in details:
            was_redacted = detail.summary.id in redacted
            custody.append(
                uow.session,
                document_id=detail.summary.id,
                actor=case.actor,
                action="exported",
                summary=f"exported to {out.name}" + (" as a redacted copy" if was_redacted else ""),
                after={"bundle": str(out), "redacted": was_redacted, "host": current_host()},
            )
        custody.append(
            uow.session,
            document_id=None,
            actor=case.actor,
            action="bundle_exported",
            summary=f"evidence bundle {out.name}: {len(details)} document(s)"
            + (f", {len(redacted)} redacted" if redacted else ""),
            after={
                "bundle": str(out),
                "documents": [d.summary.sha256 for d in details],
                "zip": options.zip,
                "redacted": options.redact,
            },
        )
        uow.commit()
