"""The project's URLs plus two views that fail, for the error page tests."""

from django.urls import path

from lifeline.urls import handler400, handler403, handler404, handler500
from lifeline.urls import urlpatterns as project


def broken(request):
    raise RuntimeError("secret internals")


urlpatterns = [path("crash/", broken), path("api/crash/", broken), *project]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
