"""The planner's home: key contacts, and those to re-verify."""

from lifeline.directory.models import KeyContact


def planner_figures(home):
    contacts = KeyContact.objects.for_user(home.user)
    return {"counts": {"contacts": contacts.count(), "contacts_stale": contacts.stale().count()}}
