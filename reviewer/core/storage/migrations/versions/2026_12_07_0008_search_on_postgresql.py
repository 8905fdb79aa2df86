"""Search on PostgreSQL: the full-text index of a shared case, beside the FTS5 index of a local one.

On PostgreSQL ``search_text`` is a plain table under the ids of ``search_entry``: ``body``, a
``tsvector`` built by reviewer from the tokens SQLite's ``unicode61`` tokenizer cuts (so a shared case
finds what a local one finds; see ``reviewer.core.storage.search_pg``), with a GIN index, and
``folded``, the folded text of the rare row whose word positions do not fit a tsvector. Filled by the
services when a case opens, as 0004's FTS5 table is. Nothing changes in a local (SQLite) case.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _on_postgres():
        return
    op.execute(
        "CREATE TABLE search_text ("
        "id integer NOT NULL, body tsvector NOT NULL, folded text, "
        "CONSTRAINT pk_search_text PRIMARY KEY (id), "
        "CONSTRAINT fk_search_text_id_search_entry FOREIGN KEY (id) REFERENCES search_entry (id) "
        "ON DELETE CASCADE)"
    )
    op.execute("CREATE INDEX ix_search_text_body ON search_text USING gin (body)")
    # The rows a query hands to FTS5 (see the docstring), found without reading the others.
    op.execute("CREATE INDEX ix_search_text_folded ON search_text (id) WHERE folded IS NOT NULL")


def downgrade() -> None:
    if _on_postgres():
        op.execute("DROP TABLE search_text")
