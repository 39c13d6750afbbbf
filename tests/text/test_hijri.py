"""Hijri dates in the Umm al-Qura calendar (articles/text/hijri.py), checked against dates
published by Saudi sources and encyclopaedias, not against the converter's own output."""

import datetime

import pytest

from articles.text.hijri import HijriDate, hijri_text, to_hijri

# (Gregorian day, Umm al-Qura day) as published:
# - the Islamic new years 1440, 1445, 1446 and 1447, and the first days of Ramadan 1445 and
#   1446, as the Umm al-Qura calendar of KACST gives them and Saudi Arabia kept them
#   (Wikipedia, "Islamic calendar": "Since 7 July 2024 CE, the current Islamic year is 1446
#   AH ... 1446 AH runs from 7 July 2024 to approximately 26 June 2025");
# - four month ends, the day before the next month began: Ramadan 1444 of 29 days (Eid
#   al-Fitr on Friday 21 April 2023), Ramadan 1445 of 30 days (Eid on Wednesday 10 April
#   2024), Dhu al-Hijjah 1445 of 30 days (1 Dhu al-Hijjah on 7 June 2024, new year on 7 July)
#   and Dhu al-Hijjah 1446 of 29 days (1 Dhu al-Hijjah on 28 May 2025, new year on 26 June);
# - an official Saudi date stamp: "King Khalid International Airport, 10 Rajab 1428 AH
#   (24 July 2007 CE)" (Wikipedia, "Islamic calendar", figure caption).
UMM_AL_QURA = [
    (datetime.date(2018, 9, 11), HijriDate(1440, 1, 1)),
    (datetime.date(2023, 7, 19), HijriDate(1445, 1, 1)),
    (datetime.date(2024, 7, 7), HijriDate(1446, 1, 1)),
    (datetime.date(2025, 6, 26), HijriDate(1447, 1, 1)),
    (datetime.date(2024, 3, 11), HijriDate(1445, 9, 1)),
    (datetime.date(2025, 3, 1), HijriDate(1446, 9, 1)),
    (datetime.date(2023, 4, 20), HijriDate(1444, 9, 29)),
    (datetime.date(2024, 4, 9), HijriDate(1445, 9, 30)),
    (datetime.date(2024, 7, 6), HijriDate(1445, 12, 30)),
    (datetime.date(2025, 6, 25), HijriDate(1446, 12, 29)),
    (datetime.date(2007, 7, 24), HijriDate(1428, 7, 10)),
]


@pytest.mark.parametrize(("gregorian", "expected"), UMM_AL_QURA, ids=str)
def test_hijri_dates_match_the_umm_al_qura_calendar(gregorian, expected):
    assert to_hijri(gregorian) == expected


@pytest.mark.parametrize(
    ("last_day", "next_month"),
    [
        (datetime.date(2023, 4, 20), HijriDate(1444, 10, 1)),  # after 29 Ramadan
        (datetime.date(2024, 4, 9), HijriDate(1445, 10, 1)),  # after 30 Ramadan
        (datetime.date(2024, 7, 6), HijriDate(1446, 1, 1)),  # a new year after 30 Dhu al-Hijjah
        (datetime.date(2025, 6, 25), HijriDate(1447, 1, 1)),  # a new year after 29 Dhu al-Hijjah
    ],
)
def test_the_day_after_a_month_end_is_the_first_of_the_next_month(last_day, next_month):
    assert to_hijri(last_day + datetime.timedelta(days=1)) == next_month


def test_arabic_and_english_words():
    ramadan = datetime.date(2024, 3, 11)
    assert hijri_text(ramadan) == "1 رمضان 1445 هـ"
    assert hijri_text(ramadan, "en") == "1 Ramadan 1445 AH"
    assert hijri_text(datetime.date(2026, 12, 2)) == "22 جمادى الآخرة 1448 هـ"
    assert hijri_text(datetime.date(2026, 12, 2), "en") == "22 Jumada al-Akhirah 1448 AH"
    assert hijri_text(datetime.date(2024, 7, 6)) == "30 ذو الحجة 1445 هـ"
    assert [HijriDate(1446, m, 1).month_name() for m in (1, 3, 4, 8, 11)] == [
        "محرم",
        "ربيع الأول",
        "ربيع الآخر",
        "شعبان",
        "ذو القعدة",
    ]


def test_days_outside_the_umm_al_qura_tables_have_no_hijri_date():
    assert to_hijri(datetime.date(1924, 7, 31)) is None
    assert to_hijri(datetime.date(2077, 11, 17)) is None
    assert hijri_text(datetime.date(1900, 1, 1)) == ""
    assert to_hijri(datetime.date(1924, 8, 1)) == HijriDate(1343, 1, 1)


def test_a_moment_must_be_turned_into_a_local_day_first():
    with pytest.raises(TypeError):
        to_hijri(datetime.datetime(2024, 3, 11, 22, 0, tzinfo=datetime.UTC))
