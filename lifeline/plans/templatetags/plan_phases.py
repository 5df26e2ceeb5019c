"""``{% crisis_phases crisis %}``: the "Plan phases" box of a crisis page (``plans.phases.panel``)."""

from django import template

from lifeline.plans import phases

register = template.Library()


@register.inclusion_tag("plans/_crisis_phases.html", takes_context=True)
def crisis_phases(context, crisis):
    return {
        "crisis": crisis,
        "request": context.get("request"),
        **phases.panel(context["request"].user, crisis),
    }
