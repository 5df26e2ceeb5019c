"""Demo data for capacity building: the IOM office's national training of trainers, a replica of it by
the Amman branch, and a one-day workshop for responders with its agenda, open for registration."""

import datetime

from django.utils import timezone

from lifeline.core.models import Language
from lifeline.training.models import Event, Session


def _at(days, hour):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def load(orgs, **_):
    iom, amman = orgs["iom-jo"], orgs["jcd-amman"]
    tot, _created = Event.objects.get_or_create(
        organisation=iom,
        title="National training of trainers: migrants in emergencies",
        defaults={
            "type": "tot",
            "stream": "both",
            "level": "national",
            "audiences": ["responders", "consular"],
            "venue": "Amman, Civil Defence academy",
            "starts": _at(-40, 9),
            "ends": _at(-38, 17),
            "capacity": 25,
            "registration_open": False,
        },
    )
    Event.objects.get_or_create(
        organisation=amman,
        title="Replica for Amman district responders",
        defaults={
            "type": "follow_up",
            "stream": "host",
            "level": "sub_national",
            "audiences": ["responders", "volunteers"],
            "venue": "Amman, Civil Defence branch",
            "starts": _at(-10, 9),
            "ends": _at(-9, 16),
            "capacity": 30,
            "registration_open": False,
            "replicates": tot,
        },
    )
    workshop, created = Event.objects.get_or_create(
        organisation=iom,
        title="Workshop: including migrants in emergency response",
        defaults={
            "type": "workshop",
            "stream": "host",
            "level": "national",
            "audiences": ["responders", "employers", "local_populations"],
            "venue": "Amman, Landmark hotel, hall B",
            "starts": _at(14, 9),
            "ends": _at(14, 17),
            "capacity": 20,
            "description": "Who migrants are in Jordan, how to reach them in their languages, and what "
            "changes in evacuation and shelter when they are counted.",
        },
    )
    if created:
        workshop.languages.set([Language.lookup("en"), Language.lookup("ar")])
        for title, start, end, who in (
            ("Migrants in Jordan: who, where, which languages", 9, 11, "IOM country office"),
            ("Warnings that reach everyone: channels and interpreters", 11, 13, "Civil Defence"),
            ("Evacuation and shelter exercise", 14, 17, "Civil Defence and Red Crescent"),
        ):
            Session.objects.create(
                event=workshop, title=title, starts=_at(14, start), ends=_at(14, end), facilitators=who
            )
