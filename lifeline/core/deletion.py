"""Deleting a record that other records still need: refused with a clear message, nothing deleted.

Foreign keys declared ``PROTECT`` or ``RESTRICT`` (a referral names its partner
organisation; a case keeps its area) stop a delete. ``delete(obj)`` is the one
call that pages and the API use, so the refusal reads the same everywhere.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import capfirst
from django.utils.translation import ngettext


def delete(obj):
    """Delete ``obj`` (and what cascades from it), or raise ValidationError saying what still needs it."""
    try:
        with transaction.atomic():
            obj.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)
        kinds = sorted({str(capfirst(b._meta.verbose_name_plural)) for b in blockers})
        raise ValidationError(
            ngettext(
                "“%(name)s” cannot be deleted: %(count)s record still refers to it (%(kinds)s).",
                "“%(name)s” cannot be deleted: %(count)s records still refer to it (%(kinds)s).",
                len(blockers),
            )
            % {"name": str(obj), "count": len(blockers), "kinds": ", ".join(kinds)}
        ) from None
