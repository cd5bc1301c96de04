"""SMS text of outage notices: GSM 03.38 only, one SMS, what/where/until when.

Checked with the third-party ``gsm0338`` codec, not with the project's own alphabet."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
import pytest

from chalicelib.domain import sms

START = datetime(2026, 3, 12, 7, 0, tzinfo=UTC)
END = datetime(2026, 3, 12, 15, 30, tzinfo=UTC)
POLISH_STREETS = [
    "ul. Grabiszyńska", "ul. Legnicka", "al. Jana Pawła II", "ul. Źródlana", "pl. Świętego Macieja",
    "ul. Żeromskiego", "ul. Łączności", "ul. Ślężna", "ul. Księcia Witolda", "ul. Gęsia",
    "ul. Trzebnicka", "ul. Kościuszki", "ul. Ćwiczebna", "ul. Ńąęó „Test” – [x]", "Aleja Wiśniowa",
]  # fmt: skip


def _encoded_len(text: str) -> int:
    return len(text.encode("gsm03.38"))  # raises for a character outside GSM 03.38


def test_transliteration_map_is_explicit() -> None:
    assert sms.to_gsm("Zażółć gęślą jaźń ŁÓDŹ") == "Zazolc gesla jazn LODZ"
    assert sms.to_gsm("„cytat” – 5 €, [a] {b} ~ | ^ \\") == '"cytat" - 5 EUR, (a) (b) - /  /'
    assert sms.to_gsm("Müller Ñandú é") == "Müller Ñandu é"  # ü, Ñ, é are GSM; ú is not
    assert sms.to_gsm("Straße č ř 日") == "Straße c r ?"


@pytest.mark.parametrize("event", sms.EVENTS)
@pytest.mark.parametrize("kind", ["planned", "failure"])
@pytest.mark.parametrize("product", ["heat", "electricity"])
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_every_notice_is_one_gsm_sms(event: str, kind: str, product: str, lang: str) -> None:
    rnd = random.Random(f"{event}{kind}{product}{lang}")
    for _ in range(60):
        streets = tuple(
            sms.NoticeStreet(
                rnd.choice(POLISH_STREETS),
                tuple(str(rnd.randint(1, 250)) for _ in range(rnd.randint(0, 12))),
            )
            for _ in range(rnd.randint(1, 8))
        )
        city = rnd.choice(
            ["Wrocław", "Łódź", "Kędzierzyn-Koźle", "Świętochłowice", "Bielsko-Biała"]
        )
        notice = sms.Notice(
            event, kind, product, city, streets, START, END + timedelta(days=rnd.randint(0, 3)), END
        )
        text = sms.notice_text(notice, lang)
        assert _encoded_len(text) <= 160, text
        assert sms.to_gsm(city) in text  # where
        assert "16:30" in text  # until when (Warsaw time)
        assert sms.EMERGENCY[product] in text or event != "created"


def test_where_gets_shorter_only_when_needed() -> None:
    short = sms.Notice(
        "created",
        "planned",
        "heat",
        "Wrocław",
        (sms.NoticeStreet("ul. Legnicka", ("10", "12")),),
        START,
        END,
    )
    assert "ul. Legnicka 10,12" in sms.notice_text(short)
    many = tuple(
        sms.NoticeStreet(f"ul. Bardzo Długa Ulica Numer {i}", ("1", "2", "3")) for i in range(6)
    )
    long = sms.Notice("created", "planned", "heat", "Wrocław", many, START, END)
    text = sms.notice_text(long)
    assert _encoded_len(text) <= 160 and "innych" in text and "do 12.03 16:30" in text


def test_absurd_city_name_still_fits() -> None:
    notice = sms.Notice(
        "closed", "failure", "electricity", "Ł" * 400, (sms.NoticeStreet("ul. X"),), START, END, END
    )
    text = sms.notice_text(notice)
    assert _encoded_len(text) <= 160 and "12.03 16:30" in text


def test_email_keeps_polish_letters() -> None:
    notice = sms.Notice(
        "created", "planned", "heat", "Wrocław", (sms.NoticeStreet("ul. Grabiszyńska"),), START, END
    )
    assert "wyłączenie ciepła Wrocław, ul. Grabiszyńska" in sms.notice_text(notice, gsm=False)
    assert sms.notice_subject(notice) == "eBOK: Planowane wyłączenie ciepła – Wrocław"
    assert sms.notice_subject(notice, "en") == "eBOK: Heat planned outage – Wrocław"


def test_planned_outage_closed_before_it_starts_is_cancelled() -> None:
    streets = (sms.NoticeStreet("ul. Legnicka"),)
    early = START - timedelta(hours=20)
    notice = sms.Notice("closed", "planned", "heat", "Wrocław", streets, START, END, early)
    text = sms.notice_text(notice)
    assert text.startswith("Odwolano planowane wylaczenie ciepla Wroclaw, ul. Legnicka")
    assert "12.03 08:00" in text and _encoded_len(text) <= 160
    done = sms.Notice("closed", "planned", "heat", "Wrocław", streets, START, END, END)
    assert sms.notice_text(done).startswith("Zakonczono")
