"""Every e-mail template, rendered in both languages, holds no text of the other language,
has the shared look (plain text + HTML with the utility's name) and correct Polish."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from chalicelib.config import settings
from chalicelib.domain import sms
from chalicelib.domain.ledger import OpenInvoice
from chalicelib.render import (
    auth_mail,
    invoice_mail,
    ledger_mail,
    preference_mail,
    privacy_mail,
    report_mail,
    selfservice_mail,
)
from chalicelib.render.mail import Mail

INVOICES = [OpenInvoice("FV/2026/09/000300", "2026-10-06", "2026-10-20", 12_000, 2_000)]
DOC = {
    "kind": "invoice",
    "number": "FV/2026/10/000001",
    "period_from": "2026-10-01",
    "period_to": "2026-10-31",
    "issue_date": "2026-11-03",
    "due_date": "2026-11-17",
    "contract_no": "C-1",
    "gross": 12345,
    "bank_account": "12 3456 7890",
    "estimated": True,
}
URL = "https://ebok.example.pl/unsubscribe/tok"
OUTAGE = sms.Notice(
    event="created",
    kind="failure",
    product="heat",
    city="Gdynia",
    streets=(sms.NoticeStreet("Morska", ("5",)),),
    starts_at=datetime(2026, 11, 18, 9, 0, tzinfo=UTC),
    expected_end_at=datetime(2026, 11, 18, 15, 0, tzinfo=UTC),
    ended_at=None,
)


def _outage_watch(lang: str) -> Mail:
    subject, text = sms.notice_subject(OUTAGE, lang), sms.notice_text(OUTAGE, lang, gsm=False)
    return preference_mail.outage_watch(lang, "Jan Nowak", "Morska 5, Gdynia", subject, text, URL)


TEMPLATES: dict[str, Callable[[str], Mail]] = {
    "access_codes": lambda lang: auth_mail.access_codes_mail(
        lang, "9001", "1234", "Jan Nowak", URL
    ),
    "reset_code": lambda lang: auth_mail.reset_code_mail(lang, "9001", "123456", 30),
    "password_changed": lambda lang: auth_mail.password_changed_mail(lang, "9001"),
    "registration_received": lambda lang: auth_mail.registration_received_mail(
        lang, "Jan Nowak", "R1"
    ),
    "registration_rejected": lambda lang: auth_mail.registration_rejected_mail(
        lang, "Jan Nowak", "R1", "X"
    ),
    "invoice": lambda lang: invoice_mail.invoice_mail(DOC, lang, URL),
    "correction": lambda lang: invoice_mail.invoice_mail({**DOC, "kind": "correction"}, lang, URL),
    "arrears_reminder": lambda lang: ledger_mail.arrears_reminder(
        lang, "Jan Nowak", "1", INVOICES, "PL 1"
    ),
    "payment_demand": lambda lang: ledger_mail.payment_demand(
        lang, "Jan Nowak", "1", INVOICES, "PL 1", date(2026, 10, 27), 7
    ),
    "overpayment": lambda lang: ledger_mail.overpayment_notice(lang, "Jan Nowak", "1", 500, URL),
    "due_reminder": lambda lang: preference_mail.due_reminder(
        lang, "Jan Nowak", "FV/1", "2026-11-20", 100, URL
    ),
    "high_bill": lambda lang: preference_mail.high_bill(
        lang, "Jan Nowak", "FV/1", 50000, "percent", "20%", URL
    ),
    "outage_watch": _outage_watch,
    "document_new": lambda lang: preference_mail.document_new(
        lang, "Jan Nowak", "Annex 1" if lang == "en" else "Aneks 1", URL
    ),
    "payment_booked": lambda lang: preference_mail.payment_booked(
        lang, "Jan Nowak", "100001", 15000, "2026-11-17", ("FV/1",), -5000, URL
    ),
    "payment_booked_due": lambda lang: preference_mail.payment_booked(
        lang, "Jan Nowak", "100001", 15000, "2026-11-17", (), 2000, URL
    ),
    "export_ready": lambda lang: privacy_mail.export_ready(lang, "Jan Nowak", URL, "2026-11-25"),
    "contract_expiry": lambda lang: selfservice_mail.contract_expiry_mail(
        lang, "Jan Nowak", "100001", "C-100001-H", "2026-12-31", 30, URL
    ),
    "message_waiting": lambda lang: selfservice_mail.message_waiting_mail(
        lang, "Jan Nowak", "T1", URL
    ),
    "report_ready": lambda lang: report_mail.report_ready_mail(
        lang, "heat_season", "2025/2026", "C-100001-H", "HS-1", URL
    ),
}
POLISH = re.compile(
    r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]|\b(Dzień|faktur\w*|płatnoś\w*|termin|wiadomoś\w*|prosimy|Twoje|"
    r"konto|klient\w*|zapłat\w*|kwota|jest|oraz|przez)\b",
    re.IGNORECASE,
)
ENGLISH = re.compile(
    r"\b(Hello|the|your|please|invoice|payment|message|amount|due|account|you|we|is|and)\b",
    re.IGNORECASE,
)


def _own_text(mail: Mail) -> str:
    s = settings()
    text = f"{mail.subject}\n{mail.text}\n{re.sub(r'<[^>]+>', ' ', mail.html)}"
    for fixed in (s.seller_name, s.seller_address, URL, "e-BOK", "Jan Nowak"):
        text = text.replace(fixed, " ")
    return text


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_english_has_no_polish(name: str) -> None:
    found = [m.group(0) for m in POLISH.finditer(_own_text(TEMPLATES[name]("en")))]
    assert not found, f"{name}: Polish in the English e-mail: {found}"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_polish_has_no_english(name: str) -> None:
    found = [m.group(0) for m in ENGLISH.finditer(_own_text(TEMPLATES[name]("pl")))]
    assert not found, f"{name}: English in the Polish e-mail: {found}"


@pytest.mark.parametrize("name", sorted(TEMPLATES))
@pytest.mark.parametrize("lang", ["pl", "en"])
def test_one_look_text_and_html_with_the_utility(name: str, lang: str) -> None:
    mail = TEMPLATES[name](lang)
    assert mail.text.strip() and mail.html.startswith("<!doctype html>")
    assert settings().seller_name in mail.html and settings().seller_name in mail.text
    assert f"lang='{lang}'" in mail.html


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_optional_mail_carries_one_click_unsubscribe_and_mandatory_does_not(name: str) -> None:
    mail = TEMPLATES[name]("pl")
    optional = name in {
        "invoice",
        "correction",
        "overpayment",
        "due_reminder",
        "high_bill",
        "outage_watch",
        "document_new",
        "payment_booked",
        "payment_booked_due",
        "contract_expiry",
        "message_waiting",
        "report_ready",
    }
    if optional:
        assert mail.headers["List-Unsubscribe"] == f"<{URL}>"
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert URL in mail.text
    else:
        assert "List-Unsubscribe" not in mail.headers


def test_polish_grammar_and_neutral_wording() -> None:
    text = invoice_mail.invoice_mail(DOC, "pl").text
    assert "przesyłamy fakturę nr" in text and "przesyłamy faktura" not in text
    text = invoice_mail.invoice_mail({**DOC, "kind": "correction"}, "pl").text
    assert "przesyłamy fakturę korygującą nr" in text
    every = " ".join(TEMPLATES[n]("pl").text for n in TEMPLATES)
    # no gendered past forms addressed to the reader (zakładałeś/zakładałaś, zrobiłeś ...)
    assert not re.search(r"\b\w+(łeś|łaś)\b", every)


def test_demand_states_when_the_reminder_was_sent() -> None:
    mail = ledger_mail.payment_demand("pl", "Jan", "1", INVOICES, "PL 1", date(2026, 10, 27), 7)
    assert "27.10.2026 wysłaliśmy przypomnienie" in mail.text and "7 dni" in mail.text
    assert "Tę wiadomość wysyłamy niezależnie od ustawień" in mail.text


def test_new_invoice_sms_in_one_language() -> None:
    pl = preference_mail.invoice_sms("pl", "FV/1", 12345, "2026-11-17").replace("e-BOK", " ")
    en = preference_mail.invoice_sms("en", "FV/1", 12345, "2026-11-17").replace("e-BOK", " ")
    assert "nowa faktura" in pl and "123,45 zł" in pl and not ENGLISH.search(pl)
    assert "new invoice" in en and "PLN 123.45" in en and not POLISH.search(en)
