"""The journal of the search index beside a local case's database (issue 16).

A local case keeps, beside FTS5, a Tantivy index of the same tokens in ``derived/search-index`` (see
``reviewer.core.storage.search_tantivy``) for the first page of results of a common term in a big case.
The database stays the one truth: every row that enters or leaves ``search_text`` is written here, in
the same transaction, under an ever-growing ``seq``; the Tantivy index records the last ``seq`` it has
absorbed, so an index that a crash left behind is seen to be behind and is brought up to date from
the database. ``entry_id`` 0 stands for "everything anew" (a rebuild). Named ``search_text_…`` so
that, like FTS5's own tables, it is the migrations' own (``orm.include_name``). Nothing changes in a
shared (PostgreSQL) case.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _on_postgres():
        return
    # AUTOINCREMENT: a seq is never given twice, even after the rows absorbed are removed.
    op.execute(
        "CREATE TABLE search_text_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry_id INTEGER NOT NULL)"
    )


def downgrade() -> None:
    if _on_postgres():
        return
    op.execute("DROP TABLE search_text_journal")
