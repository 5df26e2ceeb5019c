"""The registries that import and export as tables, by the name commands and the API use.

``core`` knows no registry: each registry app adds itself in its ``AppConfig.ready``
(``register("contacts", ContactSchema, Area.CONTACTS)``), so commands offer whatever is installed.
"""

REGISTRIES = {}


def register(key, schema_class, area):
    REGISTRIES[key] = (schema_class, area)


def get_schema(key):
    schema_class, _area = REGISTRIES[key]
    return schema_class()


def area_of(key):
    return REGISTRIES[key][1]
