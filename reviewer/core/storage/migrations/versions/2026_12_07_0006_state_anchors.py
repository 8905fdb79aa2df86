"""State anchors: each custody entry commits to the recorded state it leaves behind.

``custody_event.state_hash`` is the SHA-256 of a canonical serialisation of the recorded state of
the entry's document (or of the case, for an entry without a document) right after the change; it
is part of the entry's chained digest, so ``verify`` can tell a change made outside reviewer. Older
entries keep NULL and verify under the old digest.

A plain ``ALTER TABLE ... ADD COLUMN`` (no table rebuild), so the append-only triggers of 0002 stay.
Every document of an existing case is then anchored once, with a ``state_anchored`` entry on its log,
so ``verify`` covers what was recorded before this version too (the case's own state is anchored by
the ``schema_upgraded`` entry written right after the upgrade).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.orm import Session

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN never rewrites existing rows, so the UPDATE trigger is not fired and stays in place.
    op.execute("ALTER TABLE custody_event ADD COLUMN state_hash VARCHAR(64)")
    op.execute("ALTER TABLE custody_event ADD COLUMN state_parts TEXT")
    _anchor_documents()


def _anchor_documents() -> None:
    from reviewer.core.storage import custody  # the anchoring rules are the app's, shared with verify

    connection = op.get_bind()
    ids = [row[0] for row in connection.exec_driver_sql("SELECT id FROM document ORDER BY id")]
    if not ids:
        return
    with Session(bind=connection) as session:  # joins the upgrade's transaction; commits with it
        for document_id in ids:
            custody.append(
                session,
                document_id=document_id,
                actor="reviewer",
                action="state_anchored",
                summary="state anchored on upgrade: the log now records this document's state",
            )
        session.flush()


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; the triggers do not reference these columns.
    op.execute("ALTER TABLE custody_event DROP COLUMN state_parts")
    op.execute("ALTER TABLE custody_event DROP COLUMN state_hash")
