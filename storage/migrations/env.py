"""Alembic environment: migrates the connection handed over by ``storage.engine.migrate``."""

from alembic import context
from sqlalchemy import create_engine

from storage.models import Base
from storage.search_index import include_name

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # plain ``alembic`` command line with ``-x url=...`` or sqlalchemy.url
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    with create_engine(url).connect() as conn:
        _run(conn)
