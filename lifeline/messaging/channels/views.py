"""Webhooks the SMS gateway calls: delivery receipts and inbound texts.

They are CSRF-exempt because the gateway is not a browser; each checks the
signature, its timestamp and that the call is new first (``inbound.check_signature``),
and answers JSON ``{"detail": ...}`` on refusal. Nothing is written unless the whole
request is valid.
"""

import logging

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import inbound

log = logging.getLogger(__name__)
MAX_BODY = 256 * 1024


def _refusal(error):
    return JsonResponse({"detail": str(error)}, status=error.status)


def _guard(request):
    if len(request.body) > MAX_BODY:
        raise inbound.WebhookError(_("The request is too large."), status=413)
    inbound.check_signature(request)


@csrf_exempt
@require_POST
def sms_receipt(request):
    try:
        _guard(request)
        receipts = inbound.parse_receipt(request)
    except inbound.WebhookError as error:
        return _refusal(error)
    try:
        for provider_id, status, error in receipts:
            inbound.record("sms", provider_id, status, error)
    except ImportError:
        inbound.forget(request)
        return JsonResponse({"detail": _("Delivery receipts cannot be recorded yet.")}, status=503)
    except Exception:  # the gateway will send the receipt again; replays are harmless
        inbound.forget(request)
        log.exception("Recording an SMS receipt failed")
        return JsonResponse({"detail": _("The receipt could not be recorded; please retry.")}, status=503)
    return JsonResponse({"ok": True, "recorded": len(receipts)})


@csrf_exempt
@require_POST
def sms_inbound(request):
    try:
        _guard(request)
        phone, text = inbound.parse_inbound(request)
    except inbound.WebhookError as error:
        return _refusal(error)
    keyword, language, failures = inbound.receive_sms(phone, text)
    if failures:
        inbound.forget(request)
        return JsonResponse({"detail": _("The message could not be processed; please retry.")}, status=503)
    return JsonResponse({"ok": True, "keyword": keyword, "language": language})
