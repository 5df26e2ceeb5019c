"""The ASGI application: Django, with the check-in fast lane in front (``lifeline.crises.fastlane``,
unless ``CHECKIN_FAST_LANE`` is off).

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")

application = get_asgi_application()

from django.conf import settings  # noqa: E402  (after Django is set up)

if settings.CHECKIN_FAST_LANE:
    from lifeline.crises.fastlane import AsgiFastLane

    application = AsgiFastLane(application)
