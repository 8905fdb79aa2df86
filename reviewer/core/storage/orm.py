"""The case database as typed SQLAlchemy 2 models.

The schema itself is created by the Alembic migrations in ``migrations/``; a test checks that the two agree.
Nothing here deletes: evidence and its history are only ever added to (foreign keys restrict deletion).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with named constraints, so migrations can refer to them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON}  # noqa: RUF012


class CaseInfo(Base):
    """The single row describing the case itself."""

    __tablename__ = "case_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[str] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(200))
    created_with: Mapped[str] = mapped_column(String(50))


class Document(Base):
    """One distinct original, identified by the SHA-256 of its exact bytes."""

    __tablename__ = "document"
    # the title order, and what the status, type and date filters read, in one index (``list_names``);
    # the date order and the timeline's counts per date and status in another (migration 0014); what
    # the text filter scans in a third, in a local case only (migration 0015 says why)
    __table_args__ = (
        Index("ix_document_list_name", "list_name", "id", "status", "doc_type", "document_date"),
        Index("ix_document_date", "document_date", "status", "doc_type"),
        Index(
            "ix_document_list_text",
            *("list_text", "list_name", "status", "doc_type", "document_date", "imported_at", "page_count"),
        ).ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    file_format: Mapped[str] = mapped_column(String(100))
    page_count: Mapped[int] = mapped_column(Integer)
    encrypted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Kept so the original can be opened again for rendering and export; the case folder is as
    # sensitive as the leak itself, and this never leaves it.
    password: Mapped[str | None] = mapped_column(String(500))
    file_metadata: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    imported_at: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(200))

    title: Mapped[str | None] = mapped_column(Text)
    doc_type: Mapped[str | None] = mapped_column(String(40))
    document_date: Mapped[str | None] = mapped_column(String(10))
    reference_number: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    recipient: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(100))
    # Tesseract languages for this document's OCR, e.g. "bel+rus"; None follows the case's default.
    ocr_languages: Mapped[str | None] = mapped_column(String(100))

    status: Mapped[str] = mapped_column(String(20), default="unverified")
    status_note: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[str | None] = mapped_column(String(32))

    # Derived, for the document list (``storage.list_names``): the casefolded name it is listed and
    # sorted by, and the casefolded text its filter searches; made again from the columns above.
    list_name: Mapped[str | None] = mapped_column(Text)
    list_text: Mapped[str | None] = mapped_column(Text)

    pages: Mapped[list[Page]] = relationship(back_populates="document", order_by="Page.number")
    sightings: Mapped[list[Sighting]] = relationship(back_populates="document", order_by="Sighting.id")
    tags: Mapped[list[DocumentTag]] = relationship(
        back_populates="document", order_by="DocumentTag.tag", cascade="all, delete-orphan"
    )
    free_fields: Mapped[list[DocumentField]] = relationship(
        back_populates="document", order_by="DocumentField.name", cascade="all, delete-orphan"
    )
    annotations: Mapped[list[Annotation]] = relationship(
        back_populates="document", order_by="(Annotation.page, Annotation.created_at)"
    )
    checklist: Mapped[list[ChecklistEntry]] = relationship(
        back_populates="document", order_by="ChecklistEntry.item", cascade="all, delete-orphan"
    )


class ChecklistEntry(Base):
    """The finding on one verification checklist item of a document, with a note."""

    __tablename__ = "checklist_entry"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), primary_key=True)
    item: Mapped[str] = mapped_column(String(40), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="unchecked")
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[str] = mapped_column(String(32))

    document: Mapped[Document] = relationship(back_populates="checklist")


class DocumentField(Base):
    """A free field a fact-checker added to a document (``vessel``, ``contract value`` ...)."""

    __tablename__ = "document_field"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="free_fields")


class DocumentTag(Base):
    """A tag on a document."""

    __tablename__ = "document_tag"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)

    document: Mapped[Document] = relationship(back_populates="tags")


class Page(Base):
    """A page of a document: geometry of the unrotated page, its text layer and its OCR.

    ``words`` is the page's words with their boxes in unrotated page points, as compact JSON
    (``[[x0, y0, x1, y1, "word"], ...]``) from the text layer or from OCR, for highlighting search hits;
    None until the page has been read after import. ``ocr_status`` says what became of OCR:
    ``done``, ``not_needed`` (a usable text layer), ``skipped`` (needed, but OCR was off or Tesseract
    missing), ``failed`` (with ``ocr_error``), or None while unread.
    """

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str | None] = mapped_column(String(100))
    pixel_width: Mapped[int | None] = mapped_column(Integer)
    pixel_height: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    ocr_text: Mapped[str | None] = mapped_column(Text)
    ocr_language: Mapped[str | None] = mapped_column(String(100))
    ocr_at: Mapped[str | None] = mapped_column(String(32))
    ocr_status: Mapped[str | None] = mapped_column(String(12), index=True)
    ocr_error: Mapped[str | None] = mapped_column(Text)
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    # Loaded only when asked for: tens of kilobytes a page, needed only to highlight search hits.
    words: Mapped[str | None] = mapped_column(Text, deferred=True)
    # 64-bit perceptual hash (16 hex digits) of the page's thumbnail: near-identical pages across a case.
    phash: Mapped[str | None] = mapped_column(String(16))

    document: Mapped[Document] = relationship(back_populates="pages")


class ImportBatch(Base):
    """One run of an import: who ran it, with what, and what became of every file."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[str | None] = mapped_column(String(10))
    paths: Mapped[list[str]] = mapped_column(JSON)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    refused: Mapped[list[RefusedEntry]] = relationship(back_populates="batch", order_by="RefusedEntry.id")


class RefusedEntry(Base):
    """A file an import could not take, kept so that every file given is accounted for."""

    __tablename__ = "refused_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="RESTRICT"), index=True)
    path: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text)

    batch: Mapped[ImportBatch] = relationship(back_populates="refused")


class Sighting(Base):
    """One place and time these exact bytes were found, and by whom they were brought in."""

    __tablename__ = "sighting"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="RESTRICT"))
    original_path: Mapped[str] = mapped_column(Text)
    original_name: Mapped[str] = mapped_column(Text)
    real_path: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    modified_at: Mapped[str | None] = mapped_column(String(32))
    changed_at: Mapped[str | None] = mapped_column(String(32))
    accessed_at: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(Text)
    received_on: Mapped[str | None] = mapped_column(String(10))
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[str] = mapped_column(String(32))
    host: Mapped[str] = mapped_column(String(200))

    document: Mapped[Document] = relationship(back_populates="sightings")


class Annotation(Base):
    """A region of a page with a note, transcription, translation and tags; or a redaction."""

    __tablename__ = "annotation"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID: stable across exchanged cases
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    x0: Mapped[float] = mapped_column(Float)
    y0: Mapped[float] = mapped_column(Float)
    x1: Mapped[float] = mapped_column(Float)
    y1: Mapped[float] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(20), default="note")
    note: Mapped[str | None] = mapped_column(Text)
    transcription: Mapped[str | None] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # A text annotation (0007): the words it quotes, with some text before and after them, and their boxes
    # as JSON ``[[x0, y0, x1, y1], ...]``; x0..y1 above are the boxes' union. All None on a region.
    quote: Mapped[str | None] = mapped_column(Text)
    quote_prefix: Mapped[str | None] = mapped_column(Text)
    quote_suffix: Mapped[str | None] = mapped_column(Text)
    word_boxes: Mapped[str | None] = mapped_column(Text)

    document: Mapped[Document] = relationship(back_populates="annotations")
    tags: Mapped[list[AnnotationTag]] = relationship(
        back_populates="annotation", order_by="AnnotationTag.tag", cascade="all, delete-orphan"
    )


class AnnotationTag(Base):
    """A tag on an annotation."""

    __tablename__ = "annotation_tag"

    annotation_id: Mapped[str] = mapped_column(
        ForeignKey("annotation.id", ondelete="RESTRICT"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)

    annotation: Mapped[Annotation] = relationship(back_populates="tags")


class CustodyEvent(Base):
    """An append-only, hash-chained entry of the custody log.

    Triggers in the schema refuse every UPDATE and DELETE; ``entry_hash`` chains each entry to the one
    before it, so a log edited outside reviewer is detected by ``reviewer verify``.
    """

    __tablename__ = "custody_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="RESTRICT"), index=True
    )
    at: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    before_json: Mapped[str] = mapped_column(Text)
    after_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The recorded state the entry left behind (storage/anchor.py); None on entries older than 0006.
    state_hash: Mapped[str | None] = mapped_column(String(64))
    state_parts: Mapped[str | None] = mapped_column(Text)


class CaseSetting(Base):
    """A setting of the case (default OCR languages and mode ...), as JSON."""

    __tablename__ = "case_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class WatchTerm(Base):
    """A term of the case's watch-list: an organisation, person or piece of equipment to find everywhere."""

    __tablename__ = "watch_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))


class Entity(Base):
    """A date, reference number, amount or watched term found in a page's text.

    Derived data: rebuilt whenever the page's text or the watch-list changes.
    """

    __tablename__ = "entity"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_entity_kind_value", "kind", "value"),)


class DocumentLink(Base):
    """A relation between two documents that a fact-checker asserted (``references``, ``contradicts`` ...).

    Removing a link sets ``removed``; the row and its history stay.
    """

    __tablename__ = "document_link"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "relation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class SearchEntry(Base):
    """What one row of the full-text index is: a page's text layer or OCR, an annotation, or metadata.

    The words themselves are in the FTS5 table ``search_text`` (made by the migrations, rowid = ``id``),
    folded for searching; snippets are cut from the original text.
    """

    __tablename__ = "search_entry"
    __table_args__ = (Index("ix_search_entry_document_id_kind", "document_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10))
    page: Mapped[int | None] = mapped_column(Integer)
    ref: Mapped[str | None] = mapped_column(String(64))


class ForensicSignal(Base):
    """A forensic signal found in a document (``reviewer.core.forensics``): derived data that informs.

    Signals never decide a verdict; they are rebuilt from the original whenever the checks change.
    ``page`` is 1-based, or None for the whole file.
    """

    __tablename__ = "forensic_signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    page: Mapped[int | None] = mapped_column(Integer)


class ForensicsRun(Base):
    """When a document's signals and page hashes were computed, and by which version of the checks.

    A document without a row (imported before forensics existed) gets them on demand.
    """

    __tablename__ = "forensics_run"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="RESTRICT"), primary_key=True)
    checks: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[str] = mapped_column(String(32))


class RegionHash(Base):
    """The perceptual hash of an annotated region, for the rectangle it was computed on."""

    __tablename__ = "region_hash"

    annotation_id: Mapped[str] = mapped_column(
        ForeignKey("annotation.id", ondelete="RESTRICT"), primary_key=True
    )
    phash: Mapped[str] = mapped_column(String(16))
    rect: Mapped[str] = mapped_column(String(100))
    computed_at: Mapped[str] = mapped_column(String(32))


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """For Alembic's comparisons: the FTS5 index and its shadow tables are the migrations' own."""
    return not (type_ == "table" and name is not None and name.startswith("search_text"))
