"""Dunning that tells the truth: whatever the order or gaps of the job's runs, a demand
goes only after a reminder was actually sent and its term passed, and says when."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.services import ledger, notices
from chalicelib.store import preferences as store

DUE = date(2026, 10, 1)


def _subjects() -> list[str]:
    import email
    from email.header import decode_header, make_header

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [
        str(make_header(decode_header(email.message_from_string(m.raw_data)["Subject"])))
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].sent_messages
    ]


def _setup(world) -> None:
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/09/000900",
        gross_grosze=15_000,
        issue_date="2026-09-15",
        due_date=DUE.isoformat(),
    )


def test_job_down_for_weeks_sends_the_reminder_first(aws, world) -> None:
    _setup(world)
    notices.run(DUE + timedelta(days=40))  # first run long after both stages
    assert _subjects() == ["Przypomnienie o płatności – klient 100001"]
    count = len(_subjects())
    notices.run(DUE + timedelta(days=41))
    notices.run(DUE + timedelta(days=46))  # the reminder's term (7 days) has not passed
    assert len(_subjects()) == count
    notices.run(DUE + timedelta(days=47))
    assert len(_subjects()) == count + 1
    assert _subjects()[-1] == "Wezwanie do zapłaty – klient 100001"
    notices.run(DUE + timedelta(days=60))
    assert len(_subjects()) == count + 1


def test_demand_names_the_day_of_the_reminder(aws, world) -> None:
    _setup(world)
    notices.run(DUE + timedelta(days=7))
    notices.run(DUE + timedelta(days=21))
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    raw = ses_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].sent_messages[-1].raw_data
    import email

    msg = email.message_from_string(raw)
    text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    assert _subjects()[-1].startswith("Wezwanie do zapłaty")
    assert "08.10.2026 wysłaliśmy przypomnienie" in body
    assert "List-Unsubscribe" not in raw  # mandatory


def test_suppressed_reminder_is_not_counted_as_sent(aws, world) -> None:
    _setup(world)
    store.suppress("jan.kowalski@example.pl", "bounce", None, "2026-10-01T00:00:00Z", "f")
    notices.run(DUE + timedelta(days=7))
    notices.run(DUE + timedelta(days=30))
    assert store.arrears_sent_on(world.individual, "FV/2026/09/000900", (7, 21)) == {}
    assert len(store.skipped_sends("jan.kowalski@example.pl")) == 2
