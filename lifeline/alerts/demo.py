"""Demo alerts: a published flood warning for Amman (English, Arabic, Filipino), written from the
flood template and approved by a second person, and a real CAP message imported from the shared samples."""

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from lifeline.alerts import hazards
from lifeline.alerts.models import Alert, InfoBlock, Origin
from lifeline.alerts.services import approve, default_sender, import_cap, set_area, submit

FLOOD_IDENTIFIER = "demo-flood-amman-1"
# Central Amman, along the Ras al-Ain / downtown wadi (lat,lon, closed).
AMMAN_POLYGON = "31.935,35.905 31.935,35.945 31.962,35.945 31.962,35.905 31.935,35.905"
SAMPLE = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "data"
    / "cap"
    / "examples"
    / "cap12_sambro_philippines_tropical_cyclone_tl_en.xml"
)


def load(orgs, areas, countries, rng, write):
    users = get_user_model().objects
    author, approver = users.filter(username="officer").first(), users.filter(username="coordinator").first()
    organisation = orgs["jcd-amman"]
    if (
        not Alert.objects.filter(organisation=organisation, identifier=FLOOD_IDENTIFIER).exists()
        and author
        and approver
    ):
        alert = Alert.objects.create(
            organisation=organisation,
            sender=default_sender(organisation),
            identifier=FLOOD_IDENTIFIER,
            created_by=author,
            note="Demo alert",
        )
        expires = timezone.now().replace(microsecond=0) + datetime.timedelta(days=2)
        for block in hazards.HAZARDS["flood"].blocks(["en", "ar", "fil", "bn", "si", "ur"]):
            InfoBlock.objects.create(
                alert=alert, **{**block, "expires": expires, "sender_name": organisation.name}
            )
        set_area(
            alert, "Amman: downtown and the wadis", polygons=[AMMAN_POLYGON], admin_areas=[areas["JO11"]]
        )
        submit(alert, author)
        approve(alert, approver)
        write("Alerts: published the demo flood alert for Amman.\n")
    keeper = orgs["mfa-ph"]
    if SAMPLE.exists() and not Alert.objects.filter(organisation=keeper, origin=Origin.FILE).exists():
        result = import_cap(SAMPLE.read_bytes(), keeper, origin=Origin.FILE, url=SAMPLE.name)
        write(f"Alerts: {result.outcome} {result.identifier}.\n")
