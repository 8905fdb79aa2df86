"""An index on the document's date, with its status and type (issue 16).

The timeline counts the documents of a filter per date and status (``queries.timeline_documents``)
and the list sorts by date: both walk this index instead of reading the table and sorting it (at
100,000 documents the timeline's counts 76 -> 33 ms, the list's date order 88 -> 44 ms, its date order
of one status 19 -> 9 ms). The status and type are in it so that those filters read the index alone; a
text or tag filter, which must read the rows anyway, keeps the scan (``queries._date_key``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_document_date", "document", ["document_date", "status", "doc_type"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_document_date", table_name="document")
