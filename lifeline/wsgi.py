"""The WSGI application: Django, with the check-in fast lane in front (``lifeline.crises.fastlane``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")

application = get_wsgi_application()

from lifeline.crises.fastlane import FastLane  # noqa: E402  (after Django is set up)

application = FastLane(application)
