"""`reverse()` for the URLs a page prints dozens of times (article cards, sections, authors).

Django's `reverse()` resolves the pattern on every call (about 50 µs); a listing or an article
page prints some forty URLs. `cached_reverse` asks `reverse()` once per URL name, argument kinds,
language and script prefix, with sentinel arguments, keeps the result as a template, and then
only fills it in, quoting the arguments as `reverse()` does. Same result, a fraction of the cost
(tests compare the two).
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils import translation

# What reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and "/~:@").
_SAFE = "!$&'()*+,;=" + "/~:@"
_INT = 918273645
_STR = "zqxsentinelzqx"


@lru_cache(maxsize=512)
def _template(name: str, kinds: tuple, language: str | None, script_prefix: str) -> str:
    samples = [_INT + i if kind is int else f"{_STR}{i}" for i, kind in enumerate(kinds)]
    with translation.override(language):
        path = reverse(name, args=samples)
    path = path.replace("{", "{{").replace("}", "}}")
    for i, sample in enumerate(samples):
        path = path.replace(str(sample), "{" + str(i) + "}", 1)
    return path


def cached_reverse(name: str, *args) -> str:
    kinds = tuple(int if isinstance(arg, int) else str for arg in args)
    template = _template(name, kinds, translation.get_language(), get_script_prefix())
    return template.format(
        *(str(arg) if isinstance(arg, int) else quote(str(arg), safe=_SAFE) for arg in args)
    )
