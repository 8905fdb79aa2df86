"""An index the list's text filter scans instead of the table (issue 16; local cases only).

The text filter is a substring (``LIKE '%…%'``) of the stored, folded ``list_text``, which no index
can look up: every document is read. Reading this index instead of the table (its rows are the
text, every key the list sorts by and the columns the other filters test: a tenth of a document
row) made the filter's query at 250,000 documents 93 -> 26 ms to count and 116-122 -> 38-72 ms for
its ids in any order (``benchmarks/list_speed.py``'s case, SQLite 3.40; ``queries.ids_query`` sorts
by an expression of the key, so that SQLite scans this index rather than walk another in order).

Not on PostgreSQL: a B-tree row there may not pass ~2,700 bytes, and a title may be longer (the
list shows one of ten thousand characters); a shared case's text filter keeps its scan.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["list_text", "list_name", "status", "doc_type", "document_date", "imported_at", "page_count"]


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _on_sqlite():
        op.create_index("ix_document_list_text", "document", COLUMNS, unique=False)


def downgrade() -> None:
    if _on_sqlite():
        op.drop_index("ix_document_list_text", table_name="document")
