"""The hot path's cursor: prepared once per connection on PostgreSQL, Django's cursor elsewhere."""

from django.db import connection

from lifeline.core.db import hot_cursor

SQL = "SELECT %(n)s + 1, %(n)s * 2"


def test_a_hot_statement_runs_and_on_postgresql_is_prepared_once_with_a_generic_plan(db):
    for n in range(4):
        with hot_cursor() as cursor:
            cursor.execute(SQL, {"n": n})
            assert tuple(cursor.fetchone()) == (n + 1, n * 2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                ["SELECT $1 + 1%"],
            )
            assert cursor.fetchall() == [(4, 0)]
