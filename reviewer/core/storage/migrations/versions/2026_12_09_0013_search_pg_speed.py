"""Search on PostgreSQL: a page of results read from ``search_text`` alone, and a short GIN pending list.

``search_text`` gets ``document_id``, ``kind``, ``page`` and ``ref``, copies of its ``search_entry``
row's (written with it by ``reviewer.core.storage.search_pg.add``; an entry is never changed, only
added or removed with its index row). The first page of results is then read from ``search_text``
alone: at 100,000 pages the join to ``search_entry`` was about half of what a rare term's first
page cost the server (benchmarks/search_pg_speed.py). Filled here from ``search_entry`` for the rows
a shared case already holds, in the upgrade's transaction (the rows' old versions are left to
autovacuum, which takes them once the upgrade commits).

The GIN index's pending list (where inserts wait until a vacuum or a full list merges them) is
kept to 64 kB instead of the server's 4 MB: every search reads the whole list, and after an import
of 100,000 pages its 204 pages (2,546 rows) were ~0.6 ms of each search, most of a rare term's
first page, until autovacuum came. An import now merges its rows a little at a time.

Nothing changes in a local (SQLite) case, whose FTS5 index is not this table.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _on_postgres():
        return
    op.execute(
        "ALTER TABLE search_text ADD COLUMN document_id integer, ADD COLUMN kind varchar(10), "
        "ADD COLUMN page integer, ADD COLUMN ref varchar(64)"
    )
    op.execute(
        "UPDATE search_text AS s SET document_id = e.document_id, kind = e.kind, page = e.page, ref = e.ref "
        "FROM search_entry AS e WHERE e.id = s.id"
    )
    op.execute(
        "ALTER TABLE search_text ALTER COLUMN document_id SET NOT NULL, ALTER COLUMN kind SET NOT NULL"
    )
    op.execute("ALTER INDEX ix_search_text_body SET (gin_pending_list_limit = 64)")


def downgrade() -> None:
    if _on_postgres():
        op.execute("ALTER INDEX ix_search_text_body RESET (gin_pending_list_limit)")
        op.execute(
            "ALTER TABLE search_text DROP COLUMN document_id, DROP COLUMN kind, DROP COLUMN page, "
            "DROP COLUMN ref"
        )
