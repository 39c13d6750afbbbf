"""Pages of the API. Listings page by cursor (newest first, stable while articles are added);
search pages by number over its bounded, ranked results. A page size beyond the cap, a
malformed page size or a forged cursor is a 400 with a message, never a quiet cap or a 500."""

import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import CursorPagination, NotFound
from rest_framework.response import Response

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SEARCH_PAGE_SIZE = 10
SEARCH_MAX_PAGE_SIZE = 50
BASE64 = re.compile(r"[A-Za-z0-9+/=_-]{1,1000}")


class InvalidCursor(APIException):
    status_code = 400
    default_detail = _("This cursor is not valid: use the next or previous link as given.")
    default_code = "invalid_cursor"


def page_size_from(request, default: int, maximum: int) -> int:
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError(
            {"page_size": [_("A whole number from 1 to %(max)d.") % {"max": maximum}]},
            code="invalid",
        )
    return int(raw)


class NewestFirstCursor(CursorPagination):
    """Articles newest first; other listings set `cursor_ordering` on the view."""

    ordering = ("-published_at", "-id")
    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        return page_size_from(request, self.page_size, self.max_page_size)

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and not BASE64.fullmatch(encoded):
            raise InvalidCursor()
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise InvalidCursor() from error

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as error:
            # A cursor whose position does not fit the ordering field (a forged date).
            raise InvalidCursor() from error


class SearchPages:
    """Numbered pages over `SearchResults` (at most engine.RANKED articles, best first)."""

    def __init__(self, request, results):
        self.request = request
        self.results = results
        self.page_size = page_size_from(request, SEARCH_PAGE_SIZE, SEARCH_MAX_PAGE_SIZE)
        raw = request.query_params.get("page") or "1"
        if not raw.isdigit() or not 1 <= int(raw) <= 10_000:
            raise ValidationError({"page": [_("A page number from 1.")]}, code="invalid")
        self.number = int(raw)

    def articles(self, queryset):
        start = (self.number - 1) * self.page_size
        return list(queryset[start : start + self.page_size + 1])

    def _link(self, number):
        params = self.request.query_params.copy()
        params["page"] = str(number)
        return (
            self.request.build_absolute_uri(self.request.path)
            + "?"
            + urlencode(list(params.lists()), doseq=True)
        )

    def response(self, rows, data):
        more = len(rows) > self.page_size
        return Response(
            {
                "count": self.results.total,
                "count_is_lower_bound": self.results.more,
                "next": self._link(self.number + 1) if more else None,
                "previous": self._link(self.number - 1) if self.number > 1 else None,
                "results": data[: self.page_size],
            }
        )

    @staticmethod
    def schema(item_schema):
        return {
            "type": "object",
            "required": ["count", "results"],
            "properties": {
                "count": {"type": "integer"},
                "count_is_lower_bound": {"type": "boolean"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": {"type": "array", "items": item_schema},
            },
        }
