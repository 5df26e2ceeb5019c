import pytest

from lifeline.messaging.tests import channels


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.MESSAGING_CHANNEL_CLASSES = {
        name: f"lifeline.messaging.tests.channels.{name.capitalize()}" for name in ("push", "sms", "email")
    }
    settings.MESSAGING_FALLBACK_LANGUAGES = ["en"]
    settings.MESSAGING_BATCH_SIZE = 3
    channels.OUTBOX.clear()
    return channels.OUTBOX


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run what a call enqueues (Celery is eager without a broker) once its transaction commits."""

    def do(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return do


def people(n, **addresses):
    """A static audience of ``n`` people with the given address pattern per channel (``{i}`` is the index)."""
    return {
        "kind": "static",
        "recipients": [
            {
                "key": f"p:{i:04d}",
                "languages": ["ar"] if i % 2 else ["fil-PH", "en"],
                "addresses": {c: a.format(i=i) for c, a in addresses.items()},
            }
            for i in range(n)
        ],
    }
