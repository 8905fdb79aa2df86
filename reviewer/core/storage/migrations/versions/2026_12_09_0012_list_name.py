"""The document list's stored, folded text (issue 16).

``document.list_name``: ``str.casefold`` of the document's title, else of the file name it was first
seen as, cut to 500 characters, under an index ``(list_name, id, status, doc_type, document_date)``
for the list's title order (the status, type and date filters read the index alone).
``document.list_text``: the folded text the list's filter searches (that name whole, the reference
number, the issuer, the recipient and the SHA-256, joined by U+001F). Both are derived (see
``reviewer.core.storage.list_names``, which keeps them up to date); this fills them for the
documents a case already holds, on SQLite and on PostgreSQL alike, folded in Python as the list's
filter text is.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEPARATOR = "\x1f"
CHUNK = 5_000
NAME_LENGTH = 500  # PostgreSQL refuses an index entry over ~2,700 bytes; a title may be 10,000 characters


def _fold(value: object) -> str:
    return value.casefold() if isinstance(value, str) else ""


def upgrade() -> None:
    op.add_column("document", sa.Column("list_name", sa.Text(), nullable=True))
    op.add_column("document", sa.Column("list_text", sa.Text(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT d.id, d.title, (SELECT s.original_name FROM sighting s WHERE s.document_id = d.id "
            "ORDER BY s.id LIMIT 1), d.reference_number, d.issuer, d.recipient, d.sha256 "
            "FROM document d ORDER BY d.id"
        )
    ).all()
    change = sa.text("UPDATE document SET list_name = :name, list_text = :haystack WHERE id = :doc")
    for start in range(0, len(rows), CHUNK):
        params = []
        for doc_id, title, first, *fields in rows[start : start + CHUNK]:
            named = title if title is not None else first
            name = named.casefold() if isinstance(named, str) else None
            haystack = SEPARATOR.join([name or "", *(_fold(f) for f in fields)])
            params.append({"doc": doc_id, "name": name and name[:NAME_LENGTH], "haystack": haystack})
        conn.execute(change, params)
    op.create_index(
        "ix_document_list_name",
        "document",
        ["list_name", "id", "status", "doc_type", "document_date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_document_list_name", table_name="document")
    # in place (SQLite 3.35+ and PostgreSQL): a batch copy of ``document`` would trip the foreign keys
    op.execute("ALTER TABLE document DROP COLUMN list_text")
    op.execute("ALTER TABLE document DROP COLUMN list_name")
