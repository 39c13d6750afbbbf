"""Security at the edges of the project: the desk's Content-Security-Policy, the client address
used by login throttling, the request size limit and safe headers on media files.

The policies themselves live in settings (CONTENT_SECURITY_POLICY, NEWSROOM_DESK_CSP_UPDATE,
AXES_*, NEWSROOM_MAX_REQUEST_BYTES); this module only applies them.
"""

import math
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from axes.handlers.database import AxesDatabaseHandler
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.static import serve
from js_asset.media import Media as NonceMedia

# What the site accepts as media: the types articles.media.images stores (and its renditions).
SAFE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


class NewsroomCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the desk's few additions (NEWSROOM_DESK_CSP_UPDATE) on
    /admin/ pages only; reader pages keep the strict policy.

    The desk's rich-text editor (django-prose-editor) loads its modules through an inline
    <script type="importmap">, which Chromium treats as a script: on desk pages the form
    media is given this request's nonce, and only that import map may run."""

    def process_template_response(self, request, response):
        context = getattr(response, "context_data", None) or {}
        media = context.get("media")
        if request.path_info.startswith(settings.NEWSROOM_DESK_PATH) and isinstance(
            media, NonceMedia
        ):
            context["media"] = media.with_nonce(str(request.csp_nonce))
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.NEWSROOM_DESK_PATH):
            parts.update = {**settings.NEWSROOM_DESK_CSP_UPDATE, **(parts.update or {})}
        return parts


def client_ip_address(request) -> str | None:
    """The reader's address for login throttling (django-axes). Behind our reverse proxy
    (NEWSROOM_BEHIND_PROXY) it is the last X-Forwarded-For entry, the one the proxy appended
    itself; entries before it were sent by the client and could be forged. Otherwise it is
    the socket's address, and X-Forwarded-For is ignored."""
    if settings.NEWSROOM_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


class RequestSizeLimitMiddleware:
    """Refuses a request whose body is larger than NEWSROOM_MAX_REQUEST_BYTES before anything
    reads it (Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.NEWSROOM_MAX_REQUEST_BYTES:
            # Refused before LocaleMiddleware runs: answer in the language the browser asks for.
            limit = round(settings.NEWSROOM_MAX_REQUEST_BYTES / (1024 * 1024), 1)
            with translation.override(translation.get_language_from_request(request)):
                message = _("The request is too large; the limit is %(limit)s MB.")
            return HttpResponse(
                message % {"limit": f"{limit:g}"},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def serve_media(request, path):
    """Media files for `make run` (SERVE_MEDIA), with the headers a web server must send too:
    nosniff, and for anything that is not an image a download that cannot run script."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type, _encoding = mimetypes.guess_type(PurePosixPath(path).name)
    response["X-Content-Type-Options"] = "nosniff"
    if content_type not in SAFE_MEDIA_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def login_lockout(request, original_response=None, credentials=None):
    """django-axes' answer once a user name is locked out from an address: an Arabic page with
    the limit and the waiting time, status 429 (Too Many Requests)."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    context = {
        # The desk's own header and title ("Newsroom desk"), as on its login page.
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    return render(request, "security/lockout.html", context, status=429)


def media_origin_is_allowed(app_configs=None, **kwargs):
    """System check: when media are served from another origin (a bucket, a CDN), the
    Content-Security-Policy must allow it, or every reader's browser refuses the images."""
    url = urlsplit(default_storage.url("newsroom-check.jpg"))
    if not url.netloc:
        return []  # served by this site: 'self'
    origin = f"{url.scheme}://{url.netloc}" if url.scheme else f"https://{url.netloc}"
    if origin in settings.CSP_MEDIA_ORIGINS:
        return []
    return [
        checks.Warning(
            f"Media are served from {origin}, which the Content-Security-Policy does not allow: "
            "readers' browsers will refuse every image.",
            hint=f"Set CSP_MEDIA_ORIGINS={origin}",
            id="newsroom.W001",
        )
    ]


class NewsroomAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with three limits instead of one: AXES_FAILURE_LIMIT for a
    user name from one address (as before), LOGIN_ADDRESS_FAILURE_LIMIT for one address over all
    names, LOGIN_ACCOUNT_FAILURE_LIMIT for one name over all addresses.

    Axes compares one failure count with one limit. The count reported here is each count scaled
    to AXES_FAILURE_LIMIT by its own ceiling, the largest of the three: reaching any ceiling is
    reaching the limit, and axes' lockout, its signal and our 429 page follow unchanged."""

    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limit = settings.AXES_FAILURE_LIMIT
        ceilings = [
            limit,
            settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
        ]
        return max(
            (
                math.floor(count * limit / ceiling)
                for count, ceiling in zip(counts, ceilings, strict=False)
            ),
            default=0,
        )
