from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lifeline.core.models import Organisation
from lifeline.core.registry_views import is_id


def activate_language(options):
    translation.activate(options.get("lang") or "en")


def organisation_from(value):
    """An organisation by id or exact (short) name; the only one if there is just one."""
    qs = Organisation.objects.all()
    if value:
        match = qs.filter(pk=int(value)) if is_id(value) else (qs.filter(short_name=value) | qs.filter(name=value))
        if match.count() != 1:
            raise CommandError(_("No single organisation matches “%(value)s”.") % {"value": value})
        return match.get()
    if qs.count() == 1:
        return qs.get()
    raise CommandError(_("Name the organisation with --org (id or short name)."))
