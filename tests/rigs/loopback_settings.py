"""Settings for a worker that sends SMS to the loopback gateway (crash test, benchmark).

``DJANGO_SETTINGS_MODULE=tests.rigs.loopback_settings``; everything else
is the deployment's settings. ``MESSAGING_QUEUE`` names the queue the worker
consumes, ``BROKER_VISIBILITY_TIMEOUT`` how soon a message a dead worker held is
handed out again.
"""

import os

from lifeline.settings import *  # noqa: F403

MESSAGING_CHANNEL_CLASSES = {"sms": "tests.rigs.loopback.GatewayChannel"}
MESSAGING_QUEUE = os.environ.get("MESSAGING_QUEUE", "celery")
MESSAGING_BATCH_SIZE = int(os.environ.get("MESSAGING_BATCH_SIZE", "500"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", "3600"))
}
MESSAGING_AUDIENCE_MODULES = ["tests.rigs.loopback_audience"]
MESSAGING_SEND_CHUNK = int(os.environ.get("MESSAGING_SEND_CHUNK", "500"))
