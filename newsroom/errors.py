"""Error pages in Arabic (or English under /en/), never a stack trace."""

import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

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
