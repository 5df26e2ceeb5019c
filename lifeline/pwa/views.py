"""The nationals' app: a shell page, its manifest, its service worker and its icons.

The app itself is lifeline/pwa/static/pwa/app.js, talking to the JSON API under
/api/app/ with a device token. Its words come from the gettext catalogs through
``STRINGS``, rendered into the shell in the reader's language.
"""

import io
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from lifeline.core.languages import direction, is_rtl
from lifeline.core.models import Branding
from lifeline.nationals.auth import current_registration
from lifeline.pwa import services
from lifeline.pwa.strings import strings


@require_GET
@cache_control(no_cache=True, private=True)  # shaped by the reader (language, branding)
def shell(request):
    # Who is reading, from the device's cookie: their organisation's branding (core.branding).
    request.registration = current_registration(request)
    context = {
        "strings": strings(),
        "config": {
            "api": "/api/app",
            "lang": get_language(),
            "version": services.version(),
            "sw": "/app/sw.js",
        },
        "version": services.version(),
        "LANGUAGE_BIDI": is_rtl(get_language()),
        "current_language": get_language(),
    }
    return render(request, "pwa/shell.html", context)


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    branding = Branding.current()
    data = {
        "name": branding.product_name,
        "short_name": branding.product_name[:12],
        "description": _("Register, read travel advice, check in and ask for help in an emergency."),
        "lang": get_language(),
        "dir": direction(get_language()),
        "start_url": f"/app/?lang={get_language()}",
        "scope": "/app/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": branding.primary_colour or "#0b5394",
        "icons": [
            {"src": "/app/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/app/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    response = render(
        request,
        "pwa/sw.js",
        {
            "version": services.version(),
            "precache": json.dumps(
                [
                    "/app/",
                    static("pwa/app.js"),
                    static("pwa/app.css"),
                    "/app/manifest.webmanifest",
                    "/app/icon-192.png",
                ]
            ),
        },
        content_type="application/javascript",
    )
    response["Service-Worker-Allowed"] = "/app/"
    return response


@require_GET
@cache_control(max_age=86400)
def icon(request, size):
    """A plain icon in the deployment's colour, drawn here rather than shipped as a file."""
    from PIL import Image, ImageDraw

    branding = Branding.current()
    colour = branding.primary_colour or "#0b5394"
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    # A white cross-and-ring mark, inside the maskable safe zone (the middle 80%).
    c, r, w = size / 2, size * 0.26, max(2, size // 24)
    draw.ellipse((c - r, c - r, c + r, c + r), outline="white", width=w)
    draw.rectangle((c - w, c - r * 0.6, c + w, c + r * 0.6), fill="white")
    draw.rectangle((c - r * 0.6, c - w, c + r * 0.6, c + w), fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return HttpResponse(out.getvalue(), content_type="image/png")
