"""Alembic environment: reviewer runs migrations itself, on the connection it hands over."""

from __future__ import annotations

from alembic import context

from reviewer.core.storage.orm import Base, include_name

config = context.config


connection = config.attributes.get("connection")
if connection is None:  # `alembic` on the command line, for developers making a new revision
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:"
    with create_engine(url).connect() as own:
        context.configure(
            connection=own, target_metadata=Base.metadata, render_as_batch=True, include_name=include_name
        )
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True, include_name=include_name
    )
    with context.begin_transaction():
        context.run_migrations()
