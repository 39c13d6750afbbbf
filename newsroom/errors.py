"""Error pages in Arabic (or English under /en/), never a stack trace."""

import sys

from django.contrib import admin
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from newsroom.database_unavailable import database_unavailable, is_database_unavailable


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def _error_page(request, status: int, title, message):
    """An error page in the site's look, or in the desk's under /admin/, in the request's
    language (Django's defaults are English and unstyled)."""
    context = {"title": title, "message": message}
    if request.path.startswith("/admin/"):
        # The desk's header and title, without the per-user context (nor its queries).
        context |= {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
        return render(request, "admin/error.html", context, status=status)
    return render(request, "error.html", context, status=status)


def bad_request(request, exception=None):
    return _error_page(
        request, 400, _("Bad request"), _("The request could not be understood. Please try again.")
    )


def permission_denied(request, exception=None):
    return _error_page(
        request, 403, _("Not allowed"), _("You do not have permission to open this page.")
    )


def csrf_failure(request, reason=""):
    return _error_page(
        request,
        403,
        _("The form has expired"),
        _(
            "The page was open too long, or your browser refused our cookie. Go back, reload "
            "the page and send the form again."
        ),
    )


def server_error(request):
    # Django calls this while handling the exception, wherever it was raised (view, template,
    # middleware): a database that is down or too slow is a 503, anything else a 500.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    # No context processors here: the database may be the reason we are failing.
    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise (for load balancers and compose)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
