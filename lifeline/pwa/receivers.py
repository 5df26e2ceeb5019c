"""Push subscriptions follow their person when two registrations are merged."""

from django.dispatch import receiver

from lifeline.nationals.services import moved_elsewhere


@receiver(moved_elsewhere)
def move_subscriptions(sender, keep, other, **kwargs):
    from lifeline.pwa.models import PushSubscription

    PushSubscription.objects.filter(registration=other).update(registration=keep)
