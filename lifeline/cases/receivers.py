"""Cases follow their person when two registrations are merged."""

from django.dispatch import receiver

from lifeline.nationals.services import moved_elsewhere


@receiver(moved_elsewhere)
def move_cases(sender, keep, other, **kwargs):
    from lifeline.cases.models import Case

    Case.objects.filter(registration=other).update(registration=keep)
