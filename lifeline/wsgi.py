"""The WSGI application: Django, with the check-in fast lane in front (``lifeline.crises.fastlane``,
unless ``CHECKIN_FAST_LANE`` is off), and without the server process's environment in each request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifeline.settings")

# What a request's environ may carry of its own: CGI names and the request's headers.
REQUEST_KEYS = {
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_PORT",
    "REMOTE_USER",
    "HTTPS",
    "RAW_URI",
    "REQUEST_URI",
}


def without_process_environment(app):
    """Some servers (granian among them) start each request's environ from the process's own
    environment, which holds the deployment's keys and database address; Django would then carry
    them in ``request.META`` and in error reports. Drop what came from the process, not the request."""
    inherited = {k for k in os.environ if k not in REQUEST_KEYS and not k.startswith("HTTP_")}

    def application(environ, start_response):
        for key in inherited.intersection(environ):
            if environ[key] == os.environ.get(key):
                del environ[key]
        return app(environ, start_response)

    return application


application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after Django is set up)

if settings.CHECKIN_FAST_LANE:
    from lifeline.crises.fastlane import FastLane

    application = FastLane(application)
application = without_process_environment(application)
