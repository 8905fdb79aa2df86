"""report.html: one self-contained page a reader opens offline, or prints for an editor.

Images are inline (data: URIs), there is no script, a strict Content-Security-Policy forbids loading
anything, and every string that came from a document or a person (file names, PDF metadata, notes,
OCR text) goes through ``html.escape``: a leak can carry markup meant for whoever opens the report.

It opens with a summary table (one row per document, linked to its section by an in-page anchor),
then a section per document: verdict, facts, forensic warnings and notices, checklist, provenance,
annotations and the custody log. Everything a person reads is in words: labels from
``reviewer.core.domain.labels``, dates written out (``reviewer.core.bundles.report_text``). A print
stylesheet starts each document on a new page and keeps table rows whole.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reviewer.core.bundles.report_text import elide
from reviewer.core.domain import labels
from reviewer.core.domain.values import AnnotationKind, MetadataField, VerificationStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

#: widths of the summary's columns (#, document, type, date, reference, status, rationale, redactions)
_SUMMARY_COLUMNS = (4, 19, 10, 10, 12, 12, 24, 9)
_WIDTHS = "".join(f".summary col:nth-child({i}){{width:{w}%}}" for i, w in enumerate(_SUMMARY_COLUMNS, 1))
_BADGES = "".join(
    f".s-{status.value}{{background:{colour}}}" for status, colour in labels.STATUS_COLOURS.items()
)

STYLE = (
    """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:62em;color:#202124;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.3em}h3{font-size:1.05em;margin:1.2em 0 .3em}
.document{border-top:2px solid #dadce0;margin-top:2.5em;padding-top:.5em}
.document h2 .num{color:#5f6368;font-weight:normal}
.doc{display:grid;grid-template-columns:170px 1fr;gap:1.2em}
.thumb{width:160px;border:1px solid #dadce0}
table{border-collapse:collapse}td,th{padding:2px 8px;vertical-align:top;text-align:left}
.facts th{font-weight:normal;color:#5f6368;white-space:nowrap}
.summary{width:100%;font-size:13px;table-layout:fixed}.summary th{border-bottom:2px solid #dadce0}
.summary td{border-bottom:1px solid #eceff1}.summary td,.summary th{padding:3px 4px}
.summary .ref{overflow-wrap:break-word}.summary .n{text-align:right}
.summary a{color:#1a56b8;text-decoration:none}.summary a:hover{text-decoration:underline}
.status{font-weight:bold;padding:1px 8px;border-radius:9px;color:#fff;white-space:nowrap}
.rationale{white-space:pre-line}
.crop{max-width:320px;max-height:180px;border:1px solid #1a73e8}
.redacted{background:#202124;color:#fff;padding:4px 8px;display:inline-block}
.log td{font-size:12px;border-bottom:1px solid #eceff1}.log .when{white-space:nowrap}
.detail{color:#5f6368}small,.muted{color:#5f6368}
.problems{border-left:4px solid #d08c00;padding:2px 10px;background:#fef7e0}
.signals td{border-bottom:1px solid #eceff1}.signals .value{font-size:12px;color:#3c4043}
.sev{font-size:12px;font-weight:bold;padding:0 6px;border-radius:4px;white-space:nowrap}
.sev-warning{background:#fce8e6;color:#a50e0e}.sev-notice{background:#fef7e0;color:#8a5a00}
.sev-info{background:#e8f0fe;color:#174ea6}
.top{font-size:12px}
@media print{
 @page{size:A4;margin:16mm 14mm}
 body{font:10.5pt/1.4 "DejaVu Sans",Arial,sans-serif;max-width:none;margin:0;padding:0;color:#000}
 .document{break-before:page;border-top:none;margin-top:0;padding-top:0}
 h2,h3{break-after:avoid}
 tr,img,.problems,.doc>div:first-child{break-inside:avoid}
 thead{display:table-header-group}
 .summary{font-size:9pt}.summary a{color:#000}.summary .status{padding:1px 5px}
 .log td,.signals .value{font-size:8.5pt}
 .top{display:none}
 .status,.sev{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
    + _BADGES
    + _WIDTHS
)

#: the facts the summary table shows, by the labels the facts carry
_SUMMARY_FACTS = (
    labels.field_label(MetadataField.TYPE),
    labels.field_label(MetadataField.DOCUMENT_DATE),
    labels.field_label(MetadataField.REFERENCE_NUMBER),
)
RATIONALE_IN_SUMMARY = 90  # characters of a rationale the summary table shows


@dataclass(frozen=True, slots=True)
class ReportAnnotation:
    """An annotation as the report shows it."""

    page: int
    kind: str
    texts: Sequence[tuple[str, str]]
    tags: Sequence[str]
    crop_image: bytes | None  # PNG, or JPEG for a scan


@dataclass(frozen=True, slots=True)
class ReportSignal:
    """A forensic warning or notice as the report shows it (``severity`` as stored: warning, notice)."""

    severity: str
    title: str
    explanation: str
    value: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A document as the report shows it.

    ``status`` is the stored value (the report writes its label); ``facts`` are (label, value) in
    words, and the summary table takes the type, date and reference from them; ``custody`` is
    (time, person, what changed), the last of them a summary line and then one line per detail.
    """

    id: int
    title: str
    sha256: str
    status: str
    rationale: str | None
    thumbnail_image: bytes | None  # PNG or JPEG
    facts: Sequence[tuple[str, str]]
    checklist: Sequence[tuple[str, str, str]]
    sightings: Sequence[str]
    annotations: Sequence[ReportAnnotation]
    custody: Sequence[tuple[str, str, str]]
    redaction: Sequence[str] = field(default_factory=tuple)
    #: what cleaning a publication copy removed besides the redactions (metadata, page labels…)
    cleaning: Sequence[str] = field(default_factory=tuple)
    links: Sequence[str] = field(default_factory=tuple)
    #: what the file itself is short of (damage found at import), and parts of the bundle not made
    warnings: Sequence[str] = field(default_factory=tuple)
    missing: Sequence[str] = field(default_factory=tuple)
    #: forensic warnings and notices, warnings first; None when the checks never ran on the document
    signals: Sequence[ReportSignal] | None = field(default_factory=tuple)
    #: how many further signals are plain facts about the file (fonts, software, dates), not listed
    plain_signals: int = 0

    @property
    def redactions(self) -> int:
        """How many regions of the document are marked not to be published."""
        return sum(1 for a in self.annotations if a.kind == AnnotationKind.REDACTION.value)

    def fact(self, label: str) -> str:
        """The value of the fact called ``label``, or an empty string."""
        return next((value for name, value in self.facts if name == label), "")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _img(data: bytes | None, css: str, alt: str, none: str) -> str:
    if not data:
        return f'<div class="{css}"><small>{_e(none)}</small></div>'
    encoded = base64.b64encode(data).decode("ascii")
    kind = "jpeg" if data[:3] == b"\xff\xd8\xff" else "png"  # crops of scans are JPEG
    return f'<img class="{css}" alt="{_e(alt)}" src="data:image/{kind};base64,{encoded}">'


def _badge(status: str) -> str:
    known = status in {s.value for s in VerificationStatus}
    css = f"status s-{status}" if known else "status s-unverified"
    return f'<span class="{css}">{_e(labels.status_label(status))}</span>'


def _list(heading: str, lines: Sequence[str]) -> list[str]:
    if not lines:
        return []
    return [f"<h3>{_e(heading)}</h3><ul>", *(f"<li>{_e(line)}</li>" for line in lines), "</ul>"]


def _summary(documents: Sequence[ReportDocument]) -> list[str]:
    counts: dict[str, int] = {}
    for doc in documents:
        counts[doc.status] = counts.get(doc.status, 0) + 1
    order = [s.value for s in VerificationStatus]
    tally = ", ".join(
        f"{labels.status_label(s).lower()} {n}"
        for s, n in sorted(counts.items(), key=lambda i: order.index(i[0]) if i[0] in order else 99)
    )
    out = [
        '<section id="summary"><h2>Summary</h2>',
        f"<p>{_e(labels.count_label(len(documents), 'document'))}"
        + (f": {_e(tally)}" if tally else "")
        + "</p>",
        '<table class="summary"><colgroup>'
        + "<col>" * len(_SUMMARY_COLUMNS)
        + "</colgroup><thead><tr><th>#</th><th>Document</th><th>Type</th><th>Date</th><th>Reference</th>"
        + '<th>Status</th><th>Rationale</th><th class="n">Redac&shy;tions</th></tr></thead><tbody>',
    ]
    for doc in documents:
        kind, date, reference = (_e(doc.fact(label)) for label in _SUMMARY_FACTS)
        cells = f'<td>{kind}</td><td>{date}</td><td class="ref">{reference}</td>'
        rationale = elide(doc.rationale or "", RATIONALE_IN_SUMMARY)
        out.append(
            f'<tr><td class="n">{doc.id}</td><td><a href="#doc-{doc.id}">{_e(doc.title)}</a></td>{cells}'
            f"<td>{_badge(doc.status)}</td><td>{_e(rationale)}</td>"
            f'<td class="n">{doc.redactions or ""}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return out


def _signals(doc: ReportDocument) -> list[str]:
    out = ["<h3>Forensic signals</h3>"]
    if doc.signals is None:
        out.append('<p class="muted">The forensic checks have not been run on this document.</p>')
        return out
    plain = (
        f"{labels.count_label(doc.plain_signals, 'further signal')} "
        f"{'is a plain fact' if doc.plain_signals == 1 else 'are plain facts'} about the file "
        "(software, fonts, dates), not listed here."
        if doc.plain_signals
        else ""
    )
    if not doc.signals:
        out.append(f'<p class="muted">No warnings or notices. {_e(plain)}</p>')
        return out
    out.append('<table class="signals">')
    for signal in doc.signals:
        where = f" (page {signal.page})" if signal.page is not None else ""
        value = f'<div class="value">{_e(signal.value)}</div>' if signal.value else ""
        severity = labels.severity_label(signal.severity)
        out.append(
            f'<tr><td><span class="sev sev-{_e(signal.severity)}">{_e(severity)}</span></td>'
            f"<td><b>{_e(signal.title)}</b>{_e(where)}<div>{_e(signal.explanation)}</div>"
            f"{value}</td></tr>"
        )
    out.append("</table>")
    if plain:
        out.append(f'<p class="muted">{_e(plain)}</p>')
    return out


def _document(doc: ReportDocument) -> list[str]:
    out = [
        f'<section class="document" id="doc-{doc.id}">',
        f'<h2><span class="num">{doc.id}.</span> {_e(doc.title)}</h2><div class="doc"><div>',
        _img(doc.thumbnail_image, "thumb", "the first page", "no thumbnail"),
        f'</div><div><p>{_badge(doc.status)} <span class="rationale">{_e(doc.rationale or "")}</span></p>',
        '<table class="facts">',
        f"<tr><th>SHA-256</th><td><code>{_e(doc.sha256)}</code></td></tr>",
        *(f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>" for label, value in doc.facts),
        "</table>",
    ]
    if doc.warnings or doc.missing:
        out += ['<div class="problems">', *_list("Damage", doc.warnings)]
        out += [*_list("Missing from this bundle", doc.missing), "</div>"]
    out += _list("Redacted for publication", doc.redaction)
    out += _list("Cleaned for publication", doc.cleaning)
    out += _signals(doc)
    if doc.checklist:
        out.append("<h3>Checklist</h3><table>")
        out += [
            f"<tr><td>{_e(item)}</td><td>{_e(state)}</td><td>{_e(note)}</td></tr>"
            for item, state, note in doc.checklist
        ]
        out.append("</table>")
    out += _list("Provenance", doc.sightings)
    out += _list("Links", doc.links)
    if doc.annotations:
        out.append("<h3>Annotations</h3><table>")
        for note in doc.annotations:
            texts = "".join(f"<div><b>{_e(label)}:</b> {_e(value)}</div>" for label, value in note.texts)
            tags = f"<div><small>{_e(', '.join(note.tags))}</small></div>" if note.tags else ""
            if note.kind == AnnotationKind.REDACTION.value and note.crop_image is None:
                picture = '<span class="redacted">redacted region</span>'
            else:
                picture = _img(note.crop_image, "crop", "the region", "region")
            where = f"p. {note.page} · {_e(labels.annotation_kind_label(note.kind))}"
            out.append(f"<tr><td>{where}</td><td>{picture}</td><td>{texts}{tags}</td></tr>")
        out.append("</table>")
    out.append('<h3>Custody log</h3><table class="log">')
    for at, who, what in doc.custody:
        first, *details = what.split("\n")
        more = "".join(f'<div class="detail">{_e(line)}</div>' for line in details)
        out.append(f'<tr><td class="when">{_e(at)}</td><td>{_e(who)}</td><td>{_e(first)}{more}</td></tr>')
    out.append('</table><p class="top"><a href="#summary">↑ Summary</a></p></div></div></section>')
    return out


def render_report(title: str, subtitle: str, documents: Sequence[ReportDocument]) -> str:
    """The whole report as one HTML string."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1><p>{_e(subtitle)}</p>",
        *_summary(documents),
    ]
    for doc in documents:
        out += _document(doc)
    out.append("</body></html>")
    return "\n".join(out)
