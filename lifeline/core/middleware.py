from django.shortcuts import redirect
from django.urls import reverse

from lifeline.core.audit import acting_as
from lifeline.core.http import client_ip
from lifeline.core.permissions import needs_second_factor

# Paths a user who still owes a second factor may reach.
OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/account/logout/", "/account/2fa/", "/media/")


class SecondFactorMiddleware:
    """Staff who can see personal data must have verified a second factor this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_second_factor(user)
        ):
            return redirect(f"{reverse('otp-verify')}?next={request.get_full_path()}")
        return self.get_response(request)


class AuditContextMiddleware:
    """Every audit entry written during a request names its user and address; a save refused at the
    last moment because the record changed meanwhile (``core/versions``) is answered 409."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None), ip=client_ip(request), via="web"):
            return self.get_response(request)

    def process_exception(self, request, exception):
        from lifeline.core.errors import changed_meanwhile
        from lifeline.core.versions import ChangedMeanwhile

        if isinstance(exception, ChangedMeanwhile):
            return changed_meanwhile(request, exception)
        return None
