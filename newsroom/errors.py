"""Error pages in Arabic (or English under /en/), never a stack trace."""

import sys

from django.db import connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from newsroom.database_unavailable import database_unavailable, is_database_unavailable


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Django calls this while handling the exception, wherever it was raised (view, template,
    # middleware): a database that is down or too slow is a 503, anything else a 500.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    # No context processors here: the database may be the reason we are failing.
    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))


@require_GET
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise (for load balancers and compose)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
