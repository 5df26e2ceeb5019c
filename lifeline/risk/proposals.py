"""Relay from GDACS to the posts: for each current event from the configured alert level up
(``settings.RISK_GDACS_PROPOSE_FROM``), the nationals registered inside it (the same targeting as
for imported CAP alerts, ``crises.relay.nationals_in``), counted per post and first language, and
one proposal to each post: a check-in (from ``settings.RISK_GDACS_CHECKIN_FROM`` up) or an advice
review. A new episode revises the post's proposal; it never adds a second one."""

import json

from django.conf import settings
from shapely.geometry import box, shape

from lifeline.crises.relay import nationals_in
from lifeline.risk.models import LEVEL_RANK, GdacsProposal, ProposalKind


def event_shape(event):
    """The event's shape (lon/lat): its polygon when GDACS gave one, else its bounding box."""
    if event.geometry:
        return shape(json.loads(event.geometry))
    if len(event.bbox or []) == 4:
        minx, miny, maxx, maxy = event.bbox
        if minx < maxx and miny < maxy:
            return box(minx, miny, maxx, maxy)
    return None


def _rank(level):
    return LEVEL_RANK.get(str(level).capitalize(), 99)


def relay(event):
    """Propose to (or revise for) every post with nationals inside the event; returns the proposals
    created or revised."""
    if not event.is_current or event.rank < _rank(settings.RISK_GDACS_PROPOSE_FROM):
        return []
    geometry = event_shape(event)
    if geometry is None:
        return []
    kind = (
        ProposalKind.CHECKIN if event.rank >= _rank(settings.RISK_GDACS_CHECKIN_FROM) else ProposalKind.ADVICE
    )
    changed = []
    for post_id, (people, languages) in nationals_in(geometry).items():
        values = {
            "kind": kind,
            "headline": event.name[:300] or str(event),
            "alert_level": event.alert_level,
            "episode_id": event.episode_id,
            "people": people,
            "languages": dict(languages.most_common()),
        }
        proposal = GdacsProposal.objects.filter(event=event, organisation_id=post_id).first()
        if proposal is None:
            changed.append(GdacsProposal.objects.create(event=event, organisation_id=post_id, **values))
            continue
        if all(getattr(proposal, k) == v for k, v in values.items()):
            continue
        for k, v in values.items():
            setattr(proposal, k, v)
        proposal.revision += 1
        proposal.dismissed = False  # news about the event: shown again
        proposal.save()
        changed.append(proposal)
    return changed
