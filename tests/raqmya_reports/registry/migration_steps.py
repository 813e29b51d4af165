"""Steps that move the test database's registry schema to an older migration and back to the newest one."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APP = "raqmya_reports"


def migrate(targets):
    """Migrate the test database to ``targets``, a list of ``(app, migration name)`` pairs."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest_migrations():
    """Return the app's leaf migrations, the targets that bring its schema back to the newest one."""
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == APP]


def table_columns(table, names):
    """Return the subset of ``names`` that are columns of ``table`` in the current schema."""
    columns = connection.introspection.get_table_description(connection.cursor(), table)
    return {column.name for column in columns} & set(names)
