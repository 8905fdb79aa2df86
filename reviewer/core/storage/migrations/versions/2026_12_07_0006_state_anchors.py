"""State anchors: each custody entry commits to the recorded state it leaves behind.

``custody_event.state_hash`` is the SHA-256 of a canonical serialisation of the recorded state of
the entry's document (or of the case, for an entry without a document) right after the change; it
is part of the entry's chained digest, so ``verify`` can tell a change made outside reviewer. Older
entries keep NULL and verify under the old digest.

A plain ``ALTER TABLE ... ADD COLUMN`` (no table rebuild), so the append-only triggers of 0002 stay.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN never rewrites existing rows, so the UPDATE trigger is not fired and stays in place.
    op.execute("ALTER TABLE custody_event ADD COLUMN state_hash VARCHAR(64)")
    op.execute("ALTER TABLE custody_event ADD COLUMN state_parts TEXT")


def downgrade() -> None:
    # SQLite >= 3.35 drops a column in place; the triggers do not reference these columns.
    op.execute("ALTER TABLE custody_event DROP COLUMN state_parts")
    op.execute("ALTER TABLE custody_event DROP COLUMN state_hash")
