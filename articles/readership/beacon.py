"""The beacon: how a page, however it was served, says it was read.

The article page carries a tiny script (static/js/read-beacon.js) that calls
`navigator.sendBeacon("/read/<id>/")` once the page is shown (not while it is prerendered),
and, for browsers without script, `<noscript><img src="/read/<id>/pixel.gif">`. The HTML is the
same for every reader, so a page from the page cache, nginx or a CDN is counted all the same.

`BeaconMiddleware` answers both before sessions, the page cache, locale, CSRF and URL
resolution run: a beacon costs one Redis round trip (or, without Redis, a memory look-up and
one buffer row) and no query. Every answer is the same (204, or the 1x1 GIF), so a client
learns nothing about whether it was counted; none sets a cookie or may be cached.
"""

import base64
import re

from django.http import HttpResponse, HttpResponseNotAllowed

from articles.readership.counting import count_read

PREFIX = "/read/"
_PATH = re.compile(r"^/read/(?P<id>[1-9][0-9]{0,17})/(?P<pixel>pixel\.gif)?$")
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def beacon_url(article_id: int) -> str:
    return f"{PREFIX}{int(article_id)}/"


def pixel_url(article_id: int) -> str:
    return f"{PREFIX}{int(article_id)}/pixel.gif"


def _never_stored(response):
    response.headers["Cache-Control"] = "no-store"
    return response


class BeaconMiddleware:
    """POST /read/<id>/ (sendBeacon) and GET /read/<id>/pixel.gif (no script). Place it
    before ReadYourWritesMiddleware (a buffered read is a write: it must not pin the reader to
    the primary), PageCacheMiddleware and SessionMiddleware; other paths pass straight through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith(PREFIX):
            return self.get_response(request)
        match = _PATH.match(path)
        if match is None:
            return self.get_response(request)  # the site's 404 page
        if match["pixel"]:
            if request.method not in ("GET", "HEAD"):
                return _never_stored(HttpResponseNotAllowed(["GET", "HEAD"]))
            if request.method == "GET":
                count_read(request, int(match["id"]))
            return _never_stored(HttpResponse(PIXEL, content_type="image/gif"))
        if request.method != "POST":
            return _never_stored(HttpResponseNotAllowed(["POST"]))
        count_read(request, int(match["id"]))
        return _never_stored(HttpResponse(status=204))
