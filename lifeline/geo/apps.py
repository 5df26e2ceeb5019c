import os

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "lifeline.geo"
    verbose_name = _("Geo")

    def ready(self):
        checks.register(browser_libraries, checks.Tags.staticfiles)


def _readable_dir(path):
    try:
        return path.is_dir() and os.access(path, os.R_OK | os.X_OK)
    except OSError:  # a folder above it the process may not enter
        return False


def browser_libraries(app_configs=None, **kwargs):
    """The map's library comes from npm at set-up (package.json): without it, the pages that
    draw areas cannot be served. Say so at `check` time rather than on the first alert written."""
    from django.conf import settings

    missing = [
        str(path)
        for entry in settings.STATICFILES_DIRS
        if isinstance(entry, tuple) and entry[0].startswith("vendor/")
        for path in [entry[1]]
        if not _readable_dir(path)
    ]
    if not missing:
        return []
    return [
        checks.Error(
            f"Browser libraries are not installed or not readable: {', '.join(missing)}.",
            hint="Run `npm ci --ignore-scripts` in the checkout (make setup does it; see docs/operators/install.md).",
            id="lifeline.E101",
        )
    ]
