from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _drop_assessment(sender, instance, **kwargs):
    """A child's checklist goes (the evacuee or the household member went): its assessment goes with it."""
    from lifeline.plans.models import Assessment

    for assessment in Assessment.objects.filter(pk=instance.assessment_id):
        assessment.delete()


class EvacuationConfig(AppConfig):
    name = "lifeline.evacuation"
    verbose_name = _("Evacuation")

    def ready(self):
        from lifeline.evacuation import (
            audience,  # noqa: F401  (the "assembly_point" audience of the messaging engine)
            services,
        )
        from lifeline.evacuation.models import CHILD_SUBJECT, ChildChecklist
        from lifeline.plans import subjects

        # The children's checklist is an assessment of the plans engine about one child (see models.py).
        subjects.register(
            subjects.Subject(CHILD_SUBJECT, "evacuating-migrant-children", services.may_answer_child)
        )
        post_delete.connect(
            _drop_assessment, sender=ChildChecklist, dispatch_uid="evacuation_child_assessment"
        )
