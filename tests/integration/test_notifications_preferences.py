"""Preference centre: the API (happy path, bad input, another customer, replay), every topic
respecting preference and channel, mandatory notices, the due-date reminder and the
high-bill alert once per invoice, one-click unsubscribe and suppressed addresses."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.adapters import ses
from chalicelib.config import settings
from chalicelib.domain import preferences as rules
from chalicelib.services import ledger, preferences
from chalicelib.store import preferences as store


def _sent() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].sent_messages)


@pytest.fixture
def jan(api, world, login_as):
    return world, login_as("customer", customers=[world.individual])


def test_view_and_change_preferences(api, jan) -> None:
    world, headers = jan
    url = f"/customers/{world.individual}/preferences"
    view = api.get(url, headers=headers).json
    assert view["language"] == "pl" and view["version"] == 0 and view["sms_available"] is False
    assert {t["topic"] for t in view["topics"]} == set(rules.TOPICS)
    from tests.integration.test_notifications_mobile import verify

    verify(api, world, headers)  # SMS only to a number confirmed with a code
    assert api.get(url, headers=headers).json["sms_available"] is True
    assert view["mandatory"] == ["arrears", "legal"]
    body = {
        "language": "en",
        "channels": {"invoice_new": ["email", "sms"], "outage": ["email"]},
        "reminder_days": 5,
        "high_bill_percent": 30,
        "version": 1,
    }
    changed = api.patch(url, body, headers=headers).json
    assert changed["language"] == "en" and changed["version"] == 2
    topic = next(t for t in changed["topics"] if t["topic"] == "invoice_new")
    assert topic["chosen"] == ["email", "sms"]
    assert preferences.language_of(world.individual) == "en"
    assert preferences.wants(world.individual, "invoice_new", "sms")
    # replay of the same change with the old version: 409, nothing changes
    again = api.patch(url, body, headers=headers)
    assert again.status == 409 and store.stored_version(world.individual) == 2


def test_bad_input_stores_nothing(api, jan) -> None:
    world, headers = jan
    url = f"/customers/{world.individual}/preferences"
    for body in (
        {"channels": {"outage": ["sms"]}},
        {"channels": {"arrears": []}},  # mandatory: not a topic one can switch off
        {"reminder_days": 99},
        {"language": "de"},
        {"outage_addresses": [{"city": "Łódź", "street": "x"}]},  # its own route now
    ):
        answer = api.patch(url, body, headers=headers)
        assert answer.status == 400, body
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert store.get_preferences(world.individual) is None


def test_sms_only_with_a_verified_mobile(api, world, login_as) -> None:
    from chalicelib.store import customers

    customer = customers.get_customer(world.institution)
    customer.phone = "+48713000001"  # a landline: no SMS
    customer.save()
    headers = login_as("customer", customers=[world.institution])
    url = f"/customers/{world.institution}/preferences"
    view = api.get(url, headers=headers).json
    assert view["sms_available"] is False
    assert all(t["channels"] == ["email"] for t in view["topics"])
    answer = api.patch(url, {"channels": {"invoice_new": ["sms"]}}, headers=headers)
    assert answer.status == 400 and store.get_preferences(world.institution) is None


def test_another_customers_preferences_are_404(api, jan) -> None:
    world, headers = jan
    url = f"/customers/{world.other_individual}/preferences"
    assert api.get(url, headers=headers).status == 404
    assert api.patch(url, {"language": "en"}, headers=headers).status == 404
    assert store.get_preferences(world.other_individual) is None


def test_mandatory_notices_ignore_preferences(jan) -> None:
    world, _ = jan
    off = rules.Choices(channels={t: () for t in rules.TOPICS})
    store.save_preferences(world.individual, off, "2026-11-18T09:00:00+00:00", 0)
    assert preferences.wants(world.individual, "arrears", "email")
    for topic in rules.TOPICS:
        assert not preferences.wants(world.individual, topic, "email")


def _open_invoice(world, no: str, due: str, gross: int = 10_000) -> None:
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no=no,
        gross_grosze=gross,
        issue_date="2026-11-04",
        due_date=due,
    )


def test_due_reminder_once_per_invoice_and_only_when_wanted(jan) -> None:
    world, _ = jan
    _open_invoice(world, "FV/2026/11/000001", "2026-11-20")
    _open_invoice(world, "FV/2026/11/000002", "2026-11-30")
    before = len(_sent())
    day = date(2026, 11, 18)
    for _ in range(3):
        preferences.due_reminders_for(world.individual, day)
    mails = _sent()[before:]
    assert len(mails) == 1 and "FV/2026/11/000001" in mails[0].raw_data
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in mails[0].raw_data
    # switched off: the second invoice's reminder never goes
    base = store.choices_of(world.individual)
    store.save_preferences(
        world.individual,
        rules.Choices(channels={**base.channels, "due_reminder": ()}),
        "2026-11-18T09:00:00+00:00",
        0,
    )
    assert preferences.due_reminders_for(world.individual, date(2026, 11, 28)) == 0
    assert len(_sent()) == before + 1


def test_one_click_unsubscribe_valid_forged_replayed(api, jan) -> None:
    world, _ = jan
    url = preferences.unsubscribe_url(world.individual, "invoice_new")
    path = url[url.index("/unsubscribe/") :]
    token = path.rsplit("/", 1)[1]
    page = api.get(path)
    assert page.status == 200 and "method='post'" in page.text
    assert preferences.wants(world.individual, "invoice_new", "email")  # GET changes nothing
    forged = rules.sign_token("not-the-secret", world.individual, "invoice_new", "x")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert (
        api.request(
            "POST", f"/unsubscribe/{forged}", raw="List-Unsubscribe=One-Click", headers=form
        ).status
        == 404
    )
    assert store.get_preferences(world.individual) is None
    ok = api.request("POST", path, raw="List-Unsubscribe=One-Click", headers=form)
    assert ok.status == 200 and ok.json["unsubscribed"] is True
    assert not preferences.wants(world.individual, "invoice_new", "email")
    version = store.stored_version(world.individual)
    # switched on again, then the same token replayed: nothing changes
    api_headers = {}
    del api_headers
    base = store.choices_of(world.individual)
    store.save_preferences(
        world.individual,
        rules.Choices(channels={**base.channels, "invoice_new": ("email",)}),
        "2026-11-18T09:00:00+00:00",
        version,
    )
    replay = api.request(
        "POST", f"/unsubscribe/{token}", raw="List-Unsubscribe=One-Click", headers=form
    )
    assert replay.status == 404
    assert preferences.wants(world.individual, "invoice_new", "email")
    assert settings().unsubscribe_secret  # local default only


def test_suppressed_address_is_skipped_and_recorded(jan) -> None:
    world, _ = jan
    store.suppress("Jan.Kowalski@example.pl", "bounce", "Permanent", "2026-11-18T09:00:00Z", "f1")
    before = len(_sent())
    assert ses.was_skipped(ses.send_email(["jan.kowalski@example.pl"], "Test", "text"))
    assert len(_sent()) == before
    skipped = store.skipped_sends("jan.kowalski@example.pl")
    assert [s.subject for s in skipped] == ["Test"]
    _open_invoice(world, "FV/2026/11/000003", "2026-11-20")
    assert preferences.due_reminders_for(world.individual, date(2026, 11, 18)) == 0
    assert len(_sent()) == before


def _invoice(world, invoice_id: str, period: str, gross: int) -> None:
    from chalicelib.store.customers import customer_pk
    from chalicelib.store.invoices import invoice_sk, new_invoice

    y, m = period.split("-")
    inv = new_invoice(
        {
            "invoice_id": invoice_id,
            "number": invoice_id.replace("-", "/"),
            "series": "FC",
            "seq": 1,
            "kind": "invoice",
            "customer_no": world.individual,
            "contract_no": "C-100001-H",
            "premises_id": "P-100001-1",
            "product": "heat",
            "tariff_group": "A1",
            "period": period,
            "period_from": f"{period}-01",
            "period_to": f"{period}-28",
            "issue_date": f"{period}-28",
            "due_date": f"{period}-28",
            "seller": {},
            "buyer": {},
            "supply_address": "x",
            "bank_account": "0" * 26,
            "lines": [],
            "rates": [],
            "net": gross,
            "vat": 0,
            "gross": gross,
            "meters": [],
            "pdf_key": "x.pdf",
            "channel": "email",
            "created_at": "2026-11-18T09:00:00+00:00",
        }
    )
    inv.PK, inv.SK = customer_pk(world.individual), invoice_sk(invoice_id)
    inv.save()


def test_high_bill_alert_fires_once_per_invoice_over_the_threshold(jan) -> None:
    world, _ = jan
    _invoice(world, "FC-2025-10-000001", "2025-10", 20_000)
    _invoice(world, "FC-2026-10-000002", "2026-10", 30_000)
    _invoice(world, "FC-2026-09-000003", "2026-09", 10_000)
    base = store.choices_of(world.individual)
    store.save_preferences(
        world.individual,
        rules.Choices(channels={**base.channels, "high_bill": ("email",)}, high_bill_percent=40),
        "2026-11-18T09:00:00+00:00",
        0,
    )
    before = len(_sent())
    for _ in range(3):
        preferences.high_bill_check(world.individual, "FC-2026-10-000002")
    assert preferences.high_bill_check(world.individual, "FC-2026-09-000003") == "unwanted"
    mails = _sent()[before:]
    assert len(mails) == 1 and "FC/2026/10/000002" in mails[0].raw_data
    assert [n.ref for n in store.notifications_of(world.individual)] == ["FC-2026-10-000002"]
    # switched off: nothing
    store.save_preferences(world.individual, rules.defaults(), "2026-11-18T09:00:00+00:00", 1)
    _invoice(world, "FC-2026-10-000004", "2026-10", 90_000)
    assert preferences.high_bill_check(world.individual, "FC-2026-10-000004") == "unwanted"
