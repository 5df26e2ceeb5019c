"""Fast inserts of many plain rows (through tables, audit entries).

One INSERT statement prepared once and sent with ``executemany``: the same SQL
on SQLite and PostgreSQL, without the per-row statement compilation of
``bulk_create``. Only for rows whose ids nobody needs back.
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
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            params = [
                [row[name] if plain else field.get_db_prep_save(row[name], connection) for name, field, plain in zip(names, fields, simple)]
                for row in rows[start : start + batch]
            ]
            cursor.executemany(sql, params)
    return len(rows)


def _field(model, name):
    for field in model._meta.concrete_fields:
        if field.attname == name or field.name == name:
            return field
    raise LookupError(name)


SIMPLE_TYPES = {
    "ForeignKey", "BigAutoField", "AutoField", "BigIntegerField", "IntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "CharField", "TextField", "BooleanField",
}


def _is_simple(field):
    """Values the database drivers take as they are (no encryption, JSON or date adaptation)."""
    return field.get_internal_type() in SIMPLE_TYPES and not hasattr(field, "from_db_value")
