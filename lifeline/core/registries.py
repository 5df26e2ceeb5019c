"""The registries that import and export as tables, by the name commands and the API use."""

from django.utils.module_loading import import_string

from lifeline.core.models import Area

REGISTRIES = {
    "contacts": ("lifeline.directory.tabular.ContactSchema", Area.CONTACTS),
    "communities": ("lifeline.communities.tabular.CommunitySchema", Area.COMMUNITIES),
    "interpreters": ("lifeline.interpreters.tabular.InterpreterSchema", Area.INTERPRETERS),
}


def get_schema(key):
    path, _area = REGISTRIES[key]
    return import_string(path)()


def area_of(key):
    return REGISTRIES[key][1]
