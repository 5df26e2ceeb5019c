"""`check` says when the map's library is missing or unreadable, instead of failing on the first map."""

from lifeline.geo.apps import browser_libraries


def test_a_missing_library_is_an_error(settings, tmp_path):
    settings.STATICFILES_DIRS = [("vendor/leaflet", tmp_path / "missing")]
    assert [error.id for error in browser_libraries()] == ["lifeline.E101"]


def test_an_unreadable_library_is_an_error_not_a_crash(settings, tmp_path, monkeypatch):
    """A folder the service user may not enter (files installed by root with a private umask)."""
    from pathlib import Path

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    settings.STATICFILES_DIRS = [("vendor/leaflet", tmp_path)]
    monkeypatch.setattr(Path, "is_dir", refused)
    assert [error.id for error in browser_libraries()] == ["lifeline.E101"]


def test_an_installed_library_passes(settings, tmp_path):
    settings.STATICFILES_DIRS = [("vendor/leaflet", tmp_path)]
    assert browser_libraries() == []
