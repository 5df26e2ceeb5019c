"""Database helpers for the few statements on a surge's hot path.

Django's PostgreSQL cursors bind parameters on the client: every statement is
quoted in Python, then parsed and planned again by the server. On the paths that
run thousands of times a second (a device's token, a check-in), ``hot_cursor``
gives a cursor that binds on the server and prepares the statement once per
connection, which saves both the Python quoting and the server's planning. Other
databases get Django's own cursor. Statements written for it use ``%s`` or
``%(name)s`` placeholders.

PostgreSQL plans a prepared statement afresh for each of its first runs, and
keeps doing so when it judges that cheaper than a generic plan; for the hot
path's short statements planning costs more than running them, so every
connection is told to keep the generic plan (``plan_cache_mode``). Only
prepared statements are affected: the rest of Django's queries are not prepared.

These statements go around Django's cursor wrapper: they do not appear in
``connection.queries`` or ``assertNumQueries``.
"""

from contextlib import contextmanager

from django.db import connection
from django.db.backends.signals import connection_created


@contextmanager
def hot_cursor():
    """A cursor whose ``execute(sql, params)`` is prepared on PostgreSQL (server-side binding)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.validate_no_broken_transaction()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield _Prepared(cursor)


class _Prepared:
    __slots__ = ("cursor",)

    def __init__(self, cursor):
        self.cursor = cursor

    def execute(self, sql, params=()):
        return self.cursor.execute(sql, params, prepare=True)

    def executemany(self, sql, rows):
        return self.cursor.executemany(sql, rows)

    def fetchone(self):
        return self.cursor.fetchone()

    def fetchall(self):
        return self.cursor.fetchall()

    @property
    def rowcount(self):
        return self.cursor.rowcount


def _allow_prepared(sender, connection, **kwargs):
    """Django turns psycopg's prepared statements off; allow those that ask (``prepare=True``) and
    keep their generic plans. Django's own cursors bind on the client and are never prepared."""
    if connection.vendor == "postgresql":
        connection.connection.prepare_threshold = 2**31 - 1  # never by count; only when asked
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


connection_created.connect(_allow_prepared, dispatch_uid="lifeline-prepared-statements")
