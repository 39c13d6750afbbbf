"""The caller's language: ?lang=ar|en, else the first of ours in Accept-Language, else Arabic.
(LocaleMiddleware gives paths outside the language prefixes the default language and reads
the language cookie; the API reads the header alone, so answers vary only by what they say
they vary by.)"""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def accepted_language(request) -> str:
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE
