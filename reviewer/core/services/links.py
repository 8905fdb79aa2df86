"""Links between documents: asserted by a fact-checker, suggested where documents share a reference number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from reviewer.core.domain.clock import utc_now
from reviewer.core.domain.errors import UsageError
from reviewer.core.domain.values import LinkRelation, checked_text
from reviewer.core.services.queries import document_row, summaries
from reviewer.core.storage import custody
from reviewer.core.storage.orm import DocumentLink, Entity

if TYPE_CHECKING:
    from reviewer.core.domain.records import DocumentSummary
    from reviewer.core.services.case import Case


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A link as seen from one document: the other document, and how they relate."""

    id: int
    source_id: int
    target_id: int
    relation: LinkRelation
    note: str | None
    created_by: str
    created_at: str
    other: DocumentSummary
    outgoing: bool

    @property
    def label(self) -> str:
        """The relation read from this document's side."""
        return self.relation.label if self.outgoing else self.relation.inverse_label


@dataclass(frozen=True, slots=True)
class LinkSuggestion:
    """Another document that shares reference numbers with this one, and is not linked yet."""

    other: DocumentSummary
    shared: tuple[str, ...]


def link_documents(
    case: Case, source: int, target: int, relation: LinkRelation | str, note: str | None = None
) -> int:
    """Record that document ``source`` <relation> document ``target``; on both documents' custody logs.

    Returns the link id.
    """
    kind = relation if isinstance(relation, LinkRelation) else LinkRelation.parse(relation)
    with case.db.unit_of_work() as uow:
        session = uow.session
        a, b = document_row(session, source), document_row(session, target)
        if a.id == b.id:
            raise UsageError("a document cannot be linked to itself")
        link = session.scalars(
            select(DocumentLink).where(
                DocumentLink.source_id == a.id,
                DocumentLink.target_id == b.id,
                DocumentLink.relation == kind.value,
            )
        ).first()
        text = checked_text("the link's note", note or "").strip() or None
        if link is not None and not link.removed:
            raise UsageError(f"document {a.id} already {kind.label} document {b.id}")
        if link is None:
            link = DocumentLink(
                source_id=a.id,
                target_id=b.id,
                relation=kind.value,
                note=text,
                created_by=case.actor,
                created_at=utc_now(),
                removed=False,
            )
            session.add(link)
        else:
            link.removed, link.note = False, text
        session.flush()
        facts = {
            "link": link.id,
            "source": a.sha256,
            "target": b.sha256,
            "relation": kind.value,
            "note": text,
        }
        for document, other, label in ((a, b, kind.label), (b, a, kind.inverse_label)):
            custody.append(
                session,
                document_id=document.id,
                actor=case.actor,
                action="link_added",
                summary=f"linked: {label} document {other.id}",
                after=facts,
            )
        link_id = link.id
        uow.commit()
    return link_id


def unlink(case: Case, link_id: int) -> None:
    """Withdraw a link (kept, marked removed); on both documents' custody logs."""
    with case.db.unit_of_work() as uow:
        session = uow.session
        link = session.get(DocumentLink, link_id)
        if link is None or link.removed:
            raise UsageError(f"no link {link_id}")
        link.removed = True
        relation = LinkRelation(link.relation)
        facts = {
            "link": link.id,
            "source": link.source_id,
            "target": link.target_id,
            "relation": link.relation,
        }
        for document_id in (link.source_id, link.target_id):
            custody.append(
                session,
                document_id=document_id,
                actor=case.actor,
                action="link_removed",
                summary=f"link removed: {link.source_id} {relation.label} {link.target_id}",
                before=facts,
            )
        uow.commit()


def links_of(case: Case, document_id: int) -> list[LinkRecord]:
    """The links of a document, both ways."""
    with case.db.reading() as session:
        rows = session.scalars(
            select(DocumentLink)
            .where(
                DocumentLink.removed.is_(False),
                or_(DocumentLink.source_id == document_id, DocumentLink.target_id == document_id),
            )
            .order_by(DocumentLink.id)
        ).all()
    others = {
        s.id: s
        for s in summaries(case, [r.target_id if r.source_id == document_id else r.source_id for r in rows])
    }
    out = []
    for r in rows:
        outgoing = r.source_id == document_id
        other = r.target_id if outgoing else r.source_id
        if other in others:
            out.append(
                LinkRecord(
                    r.id,
                    r.source_id,
                    r.target_id,
                    LinkRelation(r.relation),
                    r.note,
                    r.created_by,
                    r.created_at,
                    others[other],
                    outgoing,
                )
            )
    return out


def all_links(case: Case) -> list[tuple[int, int, str, str | None]]:
    """Every live link of the case as ``(source, target, relation, note)``."""
    with case.db.reading() as session:
        return [
            (r.source_id, r.target_id, r.relation, r.note)
            for r in session.scalars(
                select(DocumentLink).where(DocumentLink.removed.is_(False)).order_by(DocumentLink.id)
            )
        ]


def suggested_links(case: Case, document_id: int) -> list[LinkSuggestion]:
    """Documents sharing a reference number with this one that are not linked to it yet."""
    mine = select(Entity.value).where(Entity.document_id == document_id, Entity.kind == "reference")
    with case.db.reading() as session:
        shared: dict[int, set[str]] = {}
        for other, value in session.execute(
            select(Entity.document_id, Entity.value)
            .where(Entity.kind == "reference", Entity.value.in_(mine), Entity.document_id != document_id)
            .distinct()
        ):
            shared.setdefault(other, set()).add(value)
        linked = set()
        for s, t in session.execute(
            select(DocumentLink.source_id, DocumentLink.target_id).where(
                DocumentLink.removed.is_(False),
                or_(DocumentLink.source_id == document_id, DocumentLink.target_id == document_id),
            )
        ):
            linked.add(t if s == document_id else s)
    wanted = [d for d in sorted(shared, key=lambda d: (-len(shared[d]), d)) if d not in linked]
    found = {s.id: s for s in summaries(case, wanted)}
    return [LinkSuggestion(found[d], tuple(sorted(shared[d]))) for d in wanted if d in found]
