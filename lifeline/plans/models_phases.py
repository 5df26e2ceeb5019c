"""A phase of a consular contingency plan activated during a crisis: which plan, which phase, by whom,
and the action items it made (their source is the crisis). One activation per phase and crisis."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited


class PhaseActivation(Audited, models.Model):
    crisis = models.ForeignKey("crises.Crisis", on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        "plans.PlanDocument", on_delete=models.PROTECT, related_name="activations", verbose_name=_("plan")
    )
    phase = models.CharField(_("phase"), max_length=20)
    tasks = models.ManyToManyField("plans.ActionItem", blank=True, related_name="+")
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated = models.DateTimeField(_("activated"), default=timezone.now)

    class Meta:
        ordering = ["activated", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "phase"], name="plans_phase_activation_once")
        ]

    def __str__(self):
        return f"{self.crisis} · {self.phase}"
