"""The job queue of a shared case: procrastinate's tables and functions, in the case's own database.

Workers on any machine (``reviewer worker CASE``) take reading jobs from it (see
``reviewer.core.services.team_jobs``). The schema is procrastinate's own ``schema.sql`` of the
version the ``team`` extra pins (3.10), applied here rather than by procrastinate's ``schema apply``
so that it is made in the same transaction, by the same upgrade, with the same grants
(``postgres_db._after_upgrade`` grants the case's editor role on every table and sequence) as the
rest of the case; a later procrastinate that changes its schema comes with a migration of ours
applying its migration files. Nothing changes in a local (SQLite) case, which never imports
procrastinate.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 12:00:00
"""

from collections.abc import Sequence

from alembic import op

from reviewer.core.domain.errors import CaseError

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAM_HINT = "a shared case needs the job queue library: pip install 'reviewer[team]'"


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _on_postgres():
        return
    try:
        from procrastinate.schema import SchemaManager
    except ImportError:
        raise CaseError(TEAM_HINT) from None
    # on the driver's cursor, without parameters: the schema's PL/pgSQL bodies hold '%' and ':'; the
    # same connection, so the same transaction as the rest of the upgrade
    cursor = op.get_bind().connection.cursor()
    try:
        cursor.execute(SchemaManager.get_schema())
    finally:
        cursor.close()


def downgrade() -> None:
    if not _on_postgres():
        return
    op.execute(
        "DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, "
        "procrastinate_workers CASCADE"
    )
    op.execute(
        "DO $$ DECLARE f record; BEGIN FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
        "AND p.proname LIKE 'procrastinate%' LOOP EXECUTE 'DROP FUNCTION ' || f.sig || ' CASCADE'; "
        "END LOOP; END $$"
    )
    op.execute(
        "DROP TYPE IF EXISTS procrastinate_job_status, procrastinate_job_event_type, "
        "procrastinate_job_to_defer_v1 CASCADE"
    )
