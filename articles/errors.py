"""Error pages in Arabic (or English under /en/), never a stack trace."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the database may be the reason we are failing.
    return HttpResponseServerError(loader.get_template("500.html").render({"request": request}))
