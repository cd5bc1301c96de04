"""Every sender consults the preference centre (issue 15): for each topic, switched off →
nothing sent and the skip recorded; switched on → sent, in the customer's language, with the
one-click unsubscribe headers. Mandatory notices (arrears) go whatever the preferences say.
The "new invoice" SMS and the high-bill alert follow an issued invoice once per invoice."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.domain import preferences as rules
from chalicelib.store import preferences as store
from tests.integration.invoicing_helpers import (
    drain,
    load_tariffs,
    parsed,
    readings_for_world,
    sent_emails,
)
from tests.integration.outages_support import sent_sms

AT = "2026-11-18T09:00:00+00:00"


def _choose(customer_no: str, language: str = "pl", **channels: tuple[str, ...]) -> None:
    """Save the customer's choices: the defaults with ``channels`` changed."""
    base = store.choices_of(customer_no)
    version = store.stored_version(customer_no)
    store.save_preferences(
        customer_no,
        rules.Choices(
            channels={**base.channels, **channels},
            reminder_days=base.reminder_days,
            high_bill_amount=base.high_bill_amount,
            high_bill_percent=base.high_bill_percent,
            language=language,
            sms_number=base.sms_number,
        ),
        AT,
        version,
    )


def _status(customer_no: str, topic: str, ref: str, channel: str = "email") -> str | None:
    found = store.get_notification(customer_no, topic, ref, channel)
    return found.status if found else None


def _to(address: str) -> list[Any]:
    return [m for m in map(parsed, sent_emails()) if address in str(m["To"])]


JAN = "jan.kowalski@example.pl"
INSTITUTION = "biuro@sm-przyszlosc.example.pl"


# --- new invoice (e-mail delivery, SMS) and the high-bill alert -----------------------------


@pytest.fixture
def billed(world):
    load_tariffs()
    readings_for_world(world)
    return world


def _issue(world) -> str:
    from chalicelib.services import invoicing

    out = invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10")
    assert out.status == "issued", out
    return str(out.invoice_id)


def test_invoice_email_switched_off_is_not_sent_and_recorded(api, billed, login_as) -> None:
    _choose(billed.individual, invoice_new=())
    invoice_id = _issue(billed)
    assert _to(JAN) == []
    assert _status(billed.individual, "invoice_new", invoice_id) == "unwanted"
    # the invoice is in e-BOK, and its delivery does not claim an e-mail went out
    headers = login_as("customer", [billed.individual])
    shown = api.get(f"/customers/{billed.individual}/invoices/{invoice_id}", headers=headers)
    assert shown.status == 200, shown.body
    delivery = shown.json["delivery"]
    assert delivery["channel"] == "email" and delivery["status"] == "not_sent"


def test_invoice_email_in_the_customers_language_with_unsubscribe_headers(billed) -> None:
    _choose(billed.individual, "en", invoice_new=("email",))
    invoice_id = _issue(billed)
    (mail,) = _to(JAN)
    assert mail["Subject"].startswith("Invoice ") and "Faktura" not in mail["Subject"]
    assert (
        mail["List-Unsubscribe"].startswith("<http")
        and "/unsubscribe/" in (mail["List-Unsubscribe"])
    )
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _status(billed.individual, "invoice_new", invoice_id) is None  # sent, no skip


def _drain_notices(monkeypatch) -> dict[str, int]:
    from chalicelib.config import settings

    return drain(settings().notices_queue, "payment_notices_worker")


def test_new_invoice_sms_and_high_bill_alert_once_per_invoice(
    at_tests_instant, billed, monkeypatch
) -> None:
    """At the suite's daytime instant whatever EBOK_NOW says: at night the SMS is held
    (test_notifications_quiet)."""
    from chalicelib.services import preferences

    monkeypatch.setattr(rules, "INVOICE_NOTICE_DELAY_S", 0)
    _choose(billed.individual, invoice_new=("email", "sms"), high_bill=("email",))
    found = store.get_preferences(billed.individual)
    assert found is not None
    store.save_preferences(
        billed.individual,
        rules.Choices(
            channels=found.choices().channels,
            high_bill_amount=1,  # any invoice is a high bill
            language="pl",
            sms_number="+48600100200",  # confirmed (test_notifications_mobile)
        ),
        AT,
        int(found.version),
    )
    sms_before = len(sent_sms())
    invoice_id = _issue(billed)
    assert _drain_notices(monkeypatch)["done"] == 1
    texts = [t for _, t in sent_sms()[sms_before:]]
    assert len(texts) == 1 and "nowa faktura" in texts[0]
    alerts = [m for m in _to(JAN) if "Alert wysokiego rachunku" in m["Subject"]]
    assert len(alerts) == 1
    assert _status(billed.individual, "invoice_new", invoice_id, "sms") == "sent"
    assert _status(billed.individual, "high_bill", invoice_id) == "sent"
    # a replayed notice (SQS redelivery, a re-run) sends nothing again
    preferences.invoice_issued(billed.individual, invoice_id)
    assert len(sent_sms()) == sms_before + 1
    assert len([m for m in _to(JAN) if "Alert" in m["Subject"]]) == 1


def test_new_invoice_sms_switched_off_is_not_sent_and_recorded(billed, monkeypatch) -> None:
    monkeypatch.setattr(rules, "INVOICE_NOTICE_DELAY_S", 0)
    found = store.get_preferences(billed.individual)
    store.save_preferences(  # a confirmed number, but the SMS of new invoices stays off
        billed.individual,
        rules.Choices(channels=dict(rules.DEFAULT_ON), sms_number="+48600100200"),
        AT,
        int(found.version) if found else 0,
    )
    sms_before = len(sent_sms())
    invoice_id = _issue(billed)
    _drain_notices(monkeypatch)
    assert len(sent_sms()) == sms_before
    assert _status(billed.individual, "invoice_new", invoice_id, "sms") == "unwanted"
    assert _status(billed.individual, "high_bill", invoice_id) is None  # no threshold set


# --- outage notices by e-mail ------------------------------------------------------------------


def _outage_mail(world, event: str) -> dict[str, Any]:
    return {
        "outage_id": "OUT-1",
        "event_id": event,
        "channel": "email",
        "to": JAN,
        "customer_no": world.individual,
        "subject": "Awaria ciepła: ul. Legnicka",
        "text": "Awaria ciepła przy ul. Legnickiej.",
    }


def test_outage_email_follows_the_preference(aws, world) -> None:
    from chalicelib.services import notifier

    _choose(world.individual, outage=())
    assert notifier.deliver(_outage_mail(world, "E1")) == "unwanted"
    assert _to(JAN) == []
    assert _status(world.individual, "outage", "OUT-1#E1") == "unwanted"
    _choose(world.individual, outage=("email",))
    assert notifier.deliver(_outage_mail(world, "E2")) == "sent"
    (mail,) = _to(JAN)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notifier.deliver(_outage_mail(world, "E2")) == "duplicate"


# --- contract expiry --------------------------------------------------------------------------


def test_contract_expiry_follows_the_preference_and_language(aws, world) -> None:
    from chalicelib.services.contracts import send_reminders

    # the institution's three contracts end on 2026-12-31
    _choose(world.institution, contract_expiry=())
    off = send_reminders(date(2026, 10, 2))
    assert off.sent == 0 and off.unwanted == 3 and _to(INSTITUTION) == []
    assert _status(world.institution, "contract_expiry", "C-200001-H1#2026-12-31#90") == (
        "unwanted"
    )
    _choose(world.institution, "en", contract_expiry=("email",))
    on = send_reminders(date(2026, 12, 1))  # the 30-day stage
    assert on.sent == 3
    mails = _to(INSTITUTION)
    assert len(mails) == 3 and all(m["Subject"].startswith("Contract ") for m in mails)
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)


# --- a new message from the account manager ------------------------------------------------------


def _thread(api, world, login_as) -> tuple[str, dict[str, str]]:
    jan = login_as("customer", [world.individual])
    started = api.post(
        f"/customers/{world.individual}/threads",
        {"subject": "Pytanie o fakturę", "text": "Dzień dobry"},
        headers=jan,
    )
    assert started.status == 201, started.body
    return str(started.json["thread_id"]), login_as("account_manager", manager_id="M1")


def test_new_message_email_follows_the_preference(api, world, login_as) -> None:
    thread_id, anna = _thread(api, world, login_as)
    url = f"/customers/{world.individual}/threads/{thread_id}/messages"
    _choose(world.individual, message_new=())
    assert api.post(url, {"text": "Odpowiedź pierwsza"}, headers=anna).status == 201
    assert _to(JAN) == []
    skipped = [n for n in store.notifications_of(world.individual) if n.topic == "message_new"]
    assert [n.status for n in skipped] == ["unwanted"]
    _choose(world.individual, "en", message_new=("email",))
    assert api.post(url, {"text": "Odpowiedź druga"}, headers=anna).status == 201
    (mail,) = _to(JAN)
    assert mail["Subject"] == "A new message in e-BOK"
    assert "Odpowiedź" not in mail.get_body(preferencelist=("plain",)).get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# --- a new report (document) ---------------------------------------------------------------------


@pytest.fixture
def report_world(world):
    from chalicelib.services import consumption
    from tests.integration.consumption_helpers import heat_history

    load_tariffs()
    heat_history(world)
    consumption.project(world.individual)
    return world


def _season_run() -> None:
    from tests.integration.invoicing_helpers import run_schedule

    run_schedule("reports_run", {"season": "2025/2026"})
    drain("ebok-local-reports", "reports_worker", batch=5)


def test_new_report_email_switched_off_is_not_sent_and_recorded(report_world) -> None:
    _choose(report_world.individual, document_new=())
    _season_run()
    assert _to(JAN) == []
    assert _status(report_world.individual, "document_new", "HS-2025-2026-C-100001-H") == (
        "unwanted"
    )


def test_new_report_email_in_english_with_unsubscribe(report_world) -> None:
    _choose(report_world.individual, "en", document_new=("email",))
    _season_run()
    (mail,) = _to(JAN)
    assert mail["Subject"] == "Your heating-season report 2025/2026 is ready"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


# --- payment booked (overpayment), the due-date reminder, and the mandatory arrears notice ------


def _open(world, customer_no: str, no: str, due: str, gross: int) -> None:
    from chalicelib.services import ledger

    ledger.record_invoice(
        customer_no=customer_no,
        invoice_no=no,
        gross_grosze=gross,
        issue_date="2026-10-06",
        due_date=due,
    )


def test_payment_booked_notice_follows_the_preference(aws, world) -> None:
    from chalicelib.services import ledger, notices

    _open(world, world.institution, "FV/2026/10/000400", "2026-11-30", 50_000)
    ledger.book_credit(
        world.institution, 60_000, kind="transfer", ref="BANK-N2", value_date="2026-11-02"
    )
    _choose(world.institution, payment_booked=())
    notices.run(date(2026, 11, 3))
    assert _to(INSTITUTION) == []
    assert _status(world.institution, "payment_booked", "BANK-N2") == "unwanted"
    _choose(world.institution, payment_booked=("email",))
    notices.run(date(2026, 11, 4))
    (mail,) = _to(INSTITUTION)
    assert mail["Subject"].startswith("Nadpłata na koncie")


def test_due_reminder_switched_off_is_recorded(aws, world) -> None:
    from chalicelib.services import preferences

    _open(world, world.individual, "FV/2026/11/000001", "2026-11-20", 10_000)
    _choose(world.individual, due_reminder=())
    assert preferences.due_reminders_for(world.individual, date(2026, 11, 18)) == 0
    assert _to(JAN) == []
    assert _status(world.individual, "due_reminder", "FV/2026/11/000001") == "unwanted"


def test_mandatory_arrears_reminder_goes_with_everything_switched_off(aws, world) -> None:
    from chalicelib.services import notices

    due = date(2026, 10, 20)
    _open(world, world.individual, "FV/2026/09/000300", due.isoformat(), 12_000)
    _choose(world.individual, **{t: () for t in rules.TOPICS})
    assert notices.run(due + timedelta(days=7)).reminders == 1
    (mail,) = _to(JAN)
    assert "List-Unsubscribe" not in mail  # mandatory: no unsubscribe
