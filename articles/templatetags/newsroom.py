from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def localise_digits(text: str) -> str:
    if settings.NEWSROOM_ARABIC_INDIC_DIGITS:
        return text.translate(ARABIC_INDIC)
    return text


@register.filter
def newsdate(value, with_time=True):
    """A date in the active language's words and the newsroom's time zone:
    "20 سبتمبر 2023، 14:05" in Arabic (Arabic-Indic digits by setting)."""
    if not value:
        return ""
    local = timezone.localtime(value)
    text = date_format(local, "DATETIME_FORMAT" if with_time else "DATE_FORMAT")
    return localise_digits(text)


@register.filter
def digits(value):
    return localise_digits(str(value))
