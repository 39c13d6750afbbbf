"""Errors as JSON, in the caller's language (?lang=, else Accept-Language, else Arabic):

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"page_size": ["…"]}}}

`fields` appears for invalid parameters only. DRF's own messages come with its Arabic
translation; ours are in locale/ar."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.views import exception_handler

from articles.api.languages import accepted_language


def error_body(status: int, code: str, message: str, fields=None) -> dict:
    error = {"status": status, "code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's handler500 (and its 503 page) takes it
    data = response.data
    if isinstance(exc, ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = error_body(
            response.status_code, "invalid", _("Some parameters are not valid."), fields
        )
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else data
        code = detail.code if isinstance(detail, ErrorDetail) else "error"
        response.data = error_body(response.status_code, code, str(detail))
    return response


def not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: a JSON 404, not the readers' HTML page."""
    language = request.GET.get("lang")
    if language not in dict(settings.LANGUAGES):
        language = accepted_language(request)
    with translation.override(language):
        message = _("There is no such API address; the reference is at /api/v1/docs/.")
    response = JsonResponse(
        error_body(404, "not_found", message), status=404, json_dumps_params={"ensure_ascii": False}
    )
    response.headers["Cache-Control"] = "no-store"
    return response
