"""Hijri dates in the Umm al-Qura calendar, the official calendar of Saudi Arabia, beside the
Gregorian dates pages show (NEWSROOM_HIJRI_DATES). Pure: a Gregorian calendar day in, a
Hijri day and its words out.

The conversion is the maintained `hijridate` package, which carries the Umm al-Qura tables
(King Abdulaziz City for Science and Technology) for 1 Muharram 1343 to 29 Dhu al-Hijjah 1500
(1 August 1924 to 16 November 2077); outside them there is no Umm al-Qura date and none is
shown. A Hijri day begins at sunset, but the Umm al-Qura calendar is a civil calendar that
pairs each civil day with one Hijri date, as Saudi newspapers print it: the newsroom's local
calendar day (TIME_ZONE) gives the Hijri date all day long.
"""

import datetime
from dataclasses import dataclass

from hijridate import Gregorian

# Month names as the Umm al-Qura calendar prints them, and their usual English spelling.
MONTHS_AR = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
MONTHS_EN = (
    "Muharram",
    "Safar",
    "Rabi’ al-Awwal",
    "Rabi’ al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Sha’ban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qa’dah",
    "Dhu al-Hijjah",
)
ERA = {"ar": "هـ", "en": "AH"}


@dataclass(frozen=True)
class HijriDate:
    year: int
    month: int  # 1 (Muharram) to 12 (Dhu al-Hijjah)
    day: int

    def month_name(self, language: str = "ar") -> str:
        names = MONTHS_EN if language == "en" else MONTHS_AR
        return names[self.month - 1]

    def text(self, language: str = "ar") -> str:
        """ "12 جمادى الآخرة 1448 هـ"; in English "12 Jumada al-Akhirah 1448 AH"."""
        era = ERA["en" if language == "en" else "ar"]
        return f"{self.day} {self.month_name(language)} {self.year} {era}"


def to_hijri(day: datetime.date) -> HijriDate | None:
    """The Umm al-Qura date of a Gregorian calendar day; None outside the calendar's tables."""
    if isinstance(day, datetime.datetime):
        raise TypeError("a calendar day: take the local date of a moment first")
    try:
        hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError:
        return None
    return HijriDate(hijri.year, hijri.month, hijri.day)


def hijri_text(day: datetime.date, language: str = "ar") -> str:
    """The Umm al-Qura date of a calendar day in words, or "" outside the tables."""
    hijri = to_hijri(day)
    return hijri.text(language) if hijri else ""
