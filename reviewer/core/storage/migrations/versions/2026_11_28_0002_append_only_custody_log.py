"""The custody log becomes append-only in the database itself: triggers refuse UPDATE and DELETE.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 01:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The custody log is append-only: the database itself refuses to change or remove an entry.
    op.execute(
        "CREATE TRIGGER custody_event_no_update BEFORE UPDATE ON custody_event "
        "BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER custody_event_no_delete BEFORE DELETE ON custody_event "
        "BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS custody_event_no_delete")
    op.execute("DROP TRIGGER IF EXISTS custody_event_no_update")
