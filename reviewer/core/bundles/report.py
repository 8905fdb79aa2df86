"""report.html: one self-contained page a reader opens offline.

Images are inline (data: URIs), there is no script, a strict Content-Security-Policy forbids loading
anything, and every string that came from a document or a person (file names, PDF metadata, notes,
OCR text) goes through ``html.escape``: a leak can carry markup meant for whoever opens the report.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#202124;padding:0 1em}
h1{font-size:1.6em}h2{border-top:2px solid #dadce0;padding-top:1em;margin-top:2em}
.doc{display:grid;grid-template-columns:170px 1fr;gap:1.2em}
.thumb{width:160px;border:1px solid #dadce0}
table{border-collapse:collapse}td,th{padding:2px 8px;vertical-align:top;text-align:left}
.status{font-weight:bold;padding:1px 8px;border-radius:9px;color:#fff}
.unverified{background:#8a8f98}.in_review{background:#d08c00}.verified{background:#1e8e3e}
.disputed{background:#c5221f}.fabricated{background:#6f2dbd}
.crop{max-width:320px;max-height:180px;border:1px solid #1a73e8}
.redacted{background:#202124;color:#fff;padding:4px 8px;display:inline-block}
.log td{font-size:12px}small{color:#5f6368}
.problems{border-left:4px solid #d08c00;padding:2px 10px;background:#fef7e0}
"""


@dataclass(frozen=True, slots=True)
class ReportAnnotation:
    """An annotation as the report shows it."""

    page: int
    kind: str
    texts: Sequence[tuple[str, str]]
    tags: Sequence[str]
    crop_image: bytes | None  # PNG, or JPEG for a scan


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """A document as the report shows it."""

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


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _img(data: bytes | None, css: str, alt: str) -> str:
    if not data:
        return f'<div class="{css}"><small>{_e(alt)}</small></div>'
    encoded = base64.b64encode(data).decode("ascii")
    kind = "jpeg" if data[:3] == b"\xff\xd8\xff" else "png"  # crops of scans are JPEG
    return f'<img class="{css}" alt="{_e(alt)}" src="data:image/{kind};base64,{encoded}">'


def render_report(title: str, subtitle: str, documents: Sequence[ReportDocument]) -> str:
    """The whole report as one HTML string."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1><p>{_e(subtitle)}</p>",
    ]
    for doc in documents:
        out.append(f'<h2 id="doc-{doc.id}">{_e(doc.title)}</h2><div class="doc"><div>')
        out.append(_img(doc.thumbnail_image, "thumb", "no thumbnail"))
        out.append(
            f'</div><div><p><span class="status {_e(doc.status)}">{_e(doc.status.replace("_", " "))}</span>'
        )
        if doc.rationale:
            out.append(f" {_e(doc.rationale)}")
        out.append("</p><table>")
        out.append(f"<tr><th>SHA-256</th><td><code>{_e(doc.sha256)}</code></td></tr>")
        out += [f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>" for label, value in doc.facts]
        out.append("</table>")
        if doc.warnings or doc.missing:
            out.append('<div class="problems">')
            if doc.warnings:
                out.append("<h3>Damage</h3><ul>")
                out += [f"<li>{_e(line)}</li>" for line in doc.warnings]
                out.append("</ul>")
            if doc.missing:
                out.append("<h3>Missing from this bundle</h3><ul>")
                out += [f"<li>{_e(line)}</li>" for line in doc.missing]
                out.append("</ul>")
            out.append("</div>")
        if doc.redaction:
            out.append("<h3>Redacted for publication</h3><ul>")
            out += [f"<li>{_e(line)}</li>" for line in doc.redaction]
            out.append("</ul>")
        if doc.cleaning:
            out.append("<h3>Cleaned for publication</h3><ul>")
            out += [f"<li>{_e(line)}</li>" for line in doc.cleaning]
            out.append("</ul>")
        if doc.checklist:
            out.append("<h3>Checklist</h3><table>")
            out += [
                f"<tr><td>{_e(item)}</td><td>{_e(state)}</td><td>{_e(note)}</td></tr>"
                for item, state, note in doc.checklist
            ]
            out.append("</table>")
        if doc.sightings:
            out.append("<h3>Provenance</h3><ul>")
            out += [f"<li>{_e(line)}</li>" for line in doc.sightings]
            out.append("</ul>")
        if doc.links:
            out.append("<h3>Links</h3><ul>")
            out += [f"<li>{_e(line)}</li>" for line in doc.links]
            out.append("</ul>")
        if doc.annotations:
            out.append("<h3>Annotations</h3><table>")
            for note in doc.annotations:
                texts = "".join(f"<div><b>{_e(label)}:</b> {_e(value)}</div>" for label, value in note.texts)
                tags = f"<div><small>{_e(', '.join(note.tags))}</small></div>" if note.tags else ""
                if note.kind == "redaction" and note.crop_image is None:
                    picture = '<span class="redacted">redacted region</span>'
                else:
                    picture = _img(note.crop_image, "crop", "region")
                where = f"p. {note.page} · {_e(note.kind)}"
                out.append(f"<tr><td>{where}</td><td>{picture}</td><td>{texts}{tags}</td></tr>")
            out.append("</table>")
        out.append('<h3>Custody log</h3><table class="log">')
        out += [
            f"<tr><td>{_e(at)}</td><td>{_e(who)}</td><td>{_e(what)}</td></tr>"
            for at, who, what in doc.custody
        ]
        out.append("</table></div></div>")
    out.append("</body></html>")
    return "\n".join(out)
