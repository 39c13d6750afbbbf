"""Who is counted, without a database: bots, prefetches, the reader's hourly hash."""

from datetime import UTC, datetime

import pytest

from articles.readership.counting import (
    address_hash,
    hour_of,
    is_bot,
    is_cross_site,
    is_prefetch,
    reader_hash,
    seconds_left_in_hour,
)
from tests.readership.conftest import BROWSER

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize("agent", [BROWSER, FIREFOX, SAFARI])
def test_people_s_browsers_are_not_bots(agent):
    assert not is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "   ",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36",
        "Twitterbot/1.0",
        "python-requests/2.31.0",
        "curl/8.5.0",
        "Wget/1.21",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "WhatsApp/2.23.20.0",
    ],
)
def test_bots_and_scripts_are_recognised(agent):
    assert is_bot(agent)


def test_prefetches_and_prerenders_are_recognised():
    assert is_prefetch({"Sec-Purpose": "prefetch"})
    assert is_prefetch({"Sec-Purpose": "prefetch;prerender"})
    assert is_prefetch({"Purpose": "prefetch"})
    assert is_prefetch({"X-Moz": "prefetch"})
    assert not is_prefetch({})


def test_other_sites_pages_are_recognised():
    assert is_cross_site({"Sec-Fetch-Site": "cross-site"})
    assert not is_cross_site({"Sec-Fetch-Site": "same-origin"})
    assert not is_cross_site({})


def test_the_reader_hash_is_the_same_within_the_hour_and_changes_with_the_salt():
    hour = hour_of(datetime(2026, 3, 1, 14, 37, tzinfo=UTC))
    salt, tomorrow = b"a" * 32, b"b" * 32
    first = reader_hash(salt, "203.0.113.9", FIREFOX, 7, hour)
    assert first == reader_hash(salt, "203.0.113.9", FIREFOX, 7, hour)
    assert first != reader_hash(salt, "203.0.113.9", FIREFOX, 8, hour)
    assert first != reader_hash(salt, "203.0.113.10", FIREFOX, 7, hour)
    assert first != reader_hash(salt, "203.0.113.9", SAFARI, 7, hour)
    assert first != reader_hash(salt, "203.0.113.9", FIREFOX, 7, hour_of(hour.replace(hour=15)))
    assert first != reader_hash(tomorrow, "203.0.113.9", FIREFOX, 7, hour)
    # neither the address nor the agent can be read back from what is kept
    for kept in (first, address_hash(salt, "203.0.113.9")):
        assert "203" not in kept and "Firefox" not in kept


def test_hours_are_utc_clock_hours():
    moment = datetime(2026, 3, 1, 14, 59, 30, tzinfo=UTC)
    assert hour_of(moment) == datetime(2026, 3, 1, 14, tzinfo=UTC)
    assert seconds_left_in_hour(moment) == 31
