"""When the database is down or too slow, readers get a 503 page in their language, at once.

Django turns any exception a view, a template or a middleware raises into a response at the
layer that raised it and hands it to the project's 500 handler (`newsroom.errors.server_error`),
so that handler is the one place every failure reaches: a connection refused or timed out
(`connect_timeout`), a statement cancelled (`statement_timeout`, `lock_timeout`) or a dropped
connection raise `OperationalError` or `InterfaceError`, and the handler answers them with this
page instead of the 500 page. Django has already logged the error once ("Service Unavailable:
<path>", with its traceback) when it reaches us.

The page is rendered without the database: no context processors (the section menu would
query), and the language comes from the path (`/en/...` is English), since the middleware that
activates it may not have run. Cached pages are still served by the page cache, which sits
before anything that queries.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def language_of(path: str) -> str:
    return "en" if path == "/en" or path.startswith("/en/") else settings.LANGUAGE_CODE


def database_unavailable(request) -> HttpResponse:
    with translation.override(language_of(request.path_info)):
        content = loader.get_template("503.html").render({"request": request})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    # Neither browsers nor proxies may keep the outage page in place of the real one.
    add_never_cache_headers(response)
    return response
