"""Evacuation of a crisis: assembly points, transports, who goes where, and the children on it.

Everything here belongs to a crisis and is seen by exactly those who see the
crisis (``EvacuationQuerySet.for_user`` asks ``Crisis.objects.for_user``, the
one place that rule lives); changing it needs the right to change the crisis.
The owning organisation is the crisis's lead, copied when a record is made.

An evacuee is a registration: the household members of that registration
travel with it, so places are counted in people (registrant + members).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifeline.core.audit import Audited
from lifeline.core.models import Action, Area
from lifeline.core.permissions import OwnedModel, ScopedQuerySet, has_perm, people_organisation_ids, people_q


class EvacuationQuerySet(ScopedQuerySet):
    def for_user(self, user, action=Action.VIEW):
        """Records of the crises the user may change (CHANGE), or see (any other action).

        Records of people and of the places that list them (``people_paths``) are further
        limited to the people the user may reach (``core.permissions.people_organisation_ids``):
        seeing a shared crisis is not seeing another post's nationals, nor opening the
        assembly points and transports of its lead's evacuation. A place is open to those
        who reach its lead's people, or the people of one of its evacuees."""
        from lifeline.crises.models import Crisis

        if not has_perm(user, Area.CRISES, action):
            return self.none()
        crisis_action = Action.CHANGE if action == Action.CHANGE else Action.VIEW
        queryset = self.filter(crisis__in=Crisis.objects.for_user(user, crisis_action).values("id"))
        paths = self.model.people_paths
        if not paths or people_organisation_ids(user, Area.CRISES) is None:
            return queryset
        if len(paths) == 1:
            return queryset.filter(people_q(user, Area.CRISES, paths[0]))
        reached = models.Q()
        for path in paths:
            reached |= people_q(user, Area.CRISES, path)
        return queryset.filter(pk__in=self.model._base_manager.filter(reached).values("pk"))


class EvacuationModel(Audited, OwnedModel):
    permission_area = Area.CRISES
    # Paths to the organisation of the people a record is about (see ``EvacuationQuerySet.for_user``).
    people_paths = ()

    crisis = models.ForeignKey(
        "crises.Crisis", on_delete=models.CASCADE, related_name="+", verbose_name=_("crisis")
    )

    objects = EvacuationQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.crisis_id and not self.organisation_id:
            self.organisation_id = self.crisis.organisation_id
        super().save(*args, **kwargs)


class AssemblyPoint(EvacuationModel):
    # A point lists its lead's people (its organisation is the crisis's lead), and whoever was put on it.
    people_paths = ("organisation", "evacuees__registration__organisation")

    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    location = models.CharField(_("location (lat,lon)"), max_length=40, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    opens = models.DateTimeField(_("opens"), null=True, blank=True)
    closes = models.DateTimeField(_("closes"), null=True, blank=True)
    contact = models.CharField(_("contact on site"), max_length=200, blank=True)

    class Meta:
        ordering = ["crisis_id", "name", "id"]
        verbose_name = _("assembly point")
        verbose_name_plural = _("assembly points")

    def __str__(self):
        return self.name


class TransportKind(models.TextChoices):
    BUS = "bus", _("Bus")
    FLIGHT = "flight", _("Flight")
    SHIP = "ship", _("Ship")
    TRAIN = "train", _("Train")
    OTHER = "other", _("Other")


class Transport(EvacuationModel):
    people_paths = ("organisation", "evacuees__registration__organisation")

    kind = models.CharField(
        _("kind"), max_length=10, choices=TransportKind.choices, default=TransportKind.BUS
    )
    name = models.CharField(_("name or number"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    departs = models.DateTimeField(_("departs"), null=True, blank=True)
    assembly_point = models.ForeignKey(
        AssemblyPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transports",
        verbose_name=_("leaves from"),
    )
    destination = models.CharField(_("destination"), max_length=200)

    class Meta:
        ordering = ["crisis_id", "departs", "name", "id"]
        verbose_name = _("transport")
        verbose_name_plural = _("transports")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class EvacueeStatus(models.TextChoices):
    TO_CONTACT = "to_contact", _("To contact")
    CONFIRMED = "confirmed", _("Confirmed")
    AT_POINT = "at_point", _("At the assembly point")
    BOARDED = "boarded", _("Boarded")
    ARRIVED = "arrived", _("Arrived")
    DECLINED = "declined", _("Declined")
    NO_SHOW = "no_show", _("No show")


# Those who no longer need a place (they said no, or never came).
FREES_PLACE = (EvacueeStatus.DECLINED, EvacueeStatus.NO_SHOW)


class Evacuee(EvacuationModel):
    """A registration (with its household) on the evacuation of a crisis."""

    people_paths = ("registration__organisation",)

    registration = models.ForeignKey(
        "nationals.Registration", on_delete=models.CASCADE, related_name="+", verbose_name=_("registration")
    )
    assembly_point = models.ForeignKey(
        AssemblyPoint, on_delete=models.PROTECT, related_name="evacuees", verbose_name=_("assembly point")
    )
    transport = models.ForeignKey(
        Transport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evacuees",
        verbose_name=_("transport"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvacueeStatus.choices,
        default=EvacueeStatus.TO_CONTACT,
        db_index=True,
    )
    seat = models.CharField(_("seat"), max_length=40, blank=True)
    status_changed = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        ordering = ["registration__family_name", "registration__given_names", "id"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "registration"], name="evacuation_evacuee_unique")
        ]
        verbose_name = _("evacuee")
        verbose_name_plural = _("evacuees")

    def __str__(self):
        return f"#{self.registration_id}"

    def audit_repr(self):
        return f"#{self.pk} (registration #{self.registration_id})"


# The children's checklist is an assessment of the plans engine (the shipped "Evacuating migrant
# children" checklist) whose subject is one child on the evacuation: ``CHILD_SUBJECT``.
CHILD_SUBJECT = "evacuation.child"


class ChildChecklist(Audited, models.Model):
    """One child on the evacuation (a household member under 18, or the registered person if a minor) and the
    assessment of the "Evacuating migrant children" checklist about them, whose answers are the ticks."""

    evacuee = models.ForeignKey(Evacuee, on_delete=models.CASCADE, related_name="checklists")
    assessment = models.OneToOneField(
        "plans.Assessment", on_delete=models.PROTECT, related_name="child", verbose_name=_("checklist")
    )
    member = models.ForeignKey(
        "nationals.HouseholdMember", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evacuee_id", "member_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evacuee", "member"], name="evacuation_checklist_unique"),
            models.UniqueConstraint(
                fields=["evacuee"],
                condition=models.Q(member__isnull=True),
                name="evacuation_checklist_registrant",
            ),
        ]
        verbose_name = _("child's evacuation checklist")
        verbose_name_plural = _("children's evacuation checklists")

    def __str__(self):
        return f"#{self.pk}"

    def audit_repr(self):
        who = (
            f"member #{self.member_id}" if self.member_id else f"registration #{self.evacuee.registration_id}"
        )
        return f"#{self.pk} ({who})"
