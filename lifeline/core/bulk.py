"""Fast inserts of many rows (new records, through tables, audit entries).

PostgreSQL gets ``COPY ... FROM STDIN``; SQLite one prepared INSERT sent with
``executemany``. Both skip the per-row statement compilation of
``bulk_create``; values are prepared by the fields themselves (encryption,
JSON, dates), so what is stored is exactly what the ORM would store. Callers
that need ids read them back by natural key.
"""

from django.db import connections, router


def insert_rows(model, rows, batch=5000):
    """Insert ``rows`` (dicts of attname → Python value) into ``model``'s table."""
    if not rows:
        return 0
    using = router.db_for_write(model)
    connection = connections[using]
    names = list(rows[0].keys())
    fields = [_field(model, name) for name in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    simple = [_is_simple(f) for f in fields]
    prepare = [None if plain else _memo(field, connection) for field, plain in zip(fields, simple)]

    def prepared(chunk):
        return (
            [row[name] if prep is None else prep(row[name]) for name, prep in zip(names, prepare)]
            for row in chunk
        )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk path, one stream for all rows.
            table = connection.ops.quote_name(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in prepared(rows):
                    copy.write_row(values)
        else:
            for start in range(0, len(rows), batch):
                cursor.executemany(sql, list(prepared(rows[start : start + batch])))
    return len(rows)


def _memo(field, connection):
    """Prepare a value for the database, reusing the last result for the very same object
    (an import stamps every row with one ``now``)."""
    last = [object(), None]

    def prepare(value):
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def _field(model, name):
    for field in model._meta.concrete_fields:
        if field.attname == name or field.name == name:
            return field
    raise LookupError(name)


SIMPLE_TYPES = {
    "ForeignKey",
    "BigAutoField",
    "AutoField",
    "BigIntegerField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "CharField",
    "TextField",
    "BooleanField",
}


def _is_simple(field):
    """Values the database drivers take as they are (no encryption, JSON or date adaptation)."""
    return field.get_internal_type() in SIMPLE_TYPES and not hasattr(field, "from_db_value")
