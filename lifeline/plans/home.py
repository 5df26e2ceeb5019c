"""The owner's home: plan documents (SOPs, consular contingency plans) due for review."""

from lifeline.core.models import Action, Area
from lifeline.core.permissions import has_perm


def due_figures(home):
    from lifeline.plans.builders import due_for_review

    if not has_perm(home.user, Area.PLANS, Action.CHANGE):
        return {"plan_documents_due": None}
    return {"plan_documents_due": len(due_for_review(home.user))}
