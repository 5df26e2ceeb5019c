"""Both homes: the training events to come (training/apps.py registers the panel)."""

from django.utils import timezone

from lifeline.training.models import Event


def figures(home):
    upcoming = Event.objects.for_user(home.user).filter(ends__gte=timezone.now())
    return {"counts": {"training_upcoming": upcoming.count()}}
