"""The "payment booked" notice (issue 15): every booked payment or transfer is e-mailed
(and sent by SMS when chosen) once per booking, whatever the replays of the booking or of
the notices queue; it follows the preference and the customer's language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.config import settings
from chalicelib.store import preferences as store
from tests.integration.invoicing_helpers import REGION, drain, parsed, queue_url, sent_emails

AT = "2026-11-18T09:00:00+00:00"
JAN = "jan.kowalski@example.pl"


def _to(address: str) -> list[Any]:
    return [m for m in map(parsed, sent_emails()) if address in str(m["To"])]


def _drain() -> dict[str, int]:
    return drain(settings().notices_queue, "payment_notices_worker")


def _choose(customer_no: str, **changes: Any) -> None:
    base = store.choices_of(customer_no)
    store.save_preferences(
        customer_no, replace(base, **changes), AT, store.stored_version(customer_no)
    )


def _book(customer_no: str, ref: str, amount: int = 15_000) -> bool:
    from chalicelib.services import ledger

    return ledger.book_credit(
        customer_no, amount, kind="transfer", ref=ref, value_date="2026-11-17"
    ).booked


def test_every_booked_payment_is_e_mailed_once_whatever_the_replays(aws, world) -> None:
    from chalicelib.services import ledger, preferences

    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/10/000500",
        gross_grosze=10_000,
        issue_date="2026-10-06",
        due_date="2026-11-20",
    )
    assert _book(world.individual, "BANK-P1")
    assert not _book(world.individual, "BANK-P1")  # the booking replayed: queued again
    assert _drain()["done"] == 2
    (mail,) = _to(JAN)
    assert mail["Subject"] == f"Zaksięgowana wpłata – klient {world.individual}"
    body = mail.get_body(("plain",)).get_content()
    assert "150,00 zł" in body and "17.11.2026" in body and "FV/2026/10/000500" in body
    assert "Nadpłata na koncie: 50,00 zł" in body
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # a second payment is a second notice; the first one's worker replayed sends nothing
    assert _book(world.individual, "BANK-P2", 2_000)
    _drain()
    assert preferences.payment_booked(world.individual, "transfer", "BANK-P1") == {
        "email": "done",
        "sms": "unwanted",  # no confirmed number
    }
    assert len(_to(JAN)) == 2
    marker = store.get_notification(world.individual, "payment_booked", "transfer:BANK-P2")
    assert marker is not None and marker.status == "sent"


def test_payment_booked_switched_off_is_recorded_and_english_when_chosen(aws, world) -> None:
    base = store.choices_of(world.individual)
    _choose(world.individual, channels={**base.channels, "payment_booked": ()})
    assert _book(world.individual, "BANK-P3")
    _drain()
    assert _to(JAN) == []
    marker = store.get_notification(world.individual, "payment_booked", "transfer:BANK-P3")
    assert marker is not None and marker.status == "unwanted"
    _choose(world.individual, channels={**base.channels}, language="en")
    assert _book(world.individual, "BANK-P4")
    _drain()
    (mail,) = _to(JAN)
    assert mail["Subject"] == f"Payment booked – customer {world.individual}"


def test_an_unknown_booking_sends_nothing(aws, world) -> None:
    from chalicelib.services import preferences

    assert preferences.payment_booked(world.individual, "transfer", "NO-SUCH") == {}
    assert preferences.payment_booked(world.individual, "invoice", "FV/1") == {}
    assert _to(JAN) == []


def test_a_statement_imported_again_re_queues_a_lost_notice_sent_once(aws, world) -> None:
    """A worker that died after booking a bank transfer and before queueing its notice:
    importing the statement again (as the retry does) queues it, and it is sent once."""
    import boto3

    from chalicelib.services import statements
    from devstack.camt_sample import SampleCredit, camt053
    from tests.integration.test_payments_statements import COMPANY_IBAN, virtual_iban

    data = camt053(
        "2026-11-18-LOST",
        COMPANY_IBAN,
        [SampleCredit("REF-LOST-1", 12_000, virtual_iban(world.individual), "ciepło")],
    )
    assert statements.import_file(data)["booked"] == 1
    lost = boto3.client("sqs", region_name=REGION)
    lost.purge_queue(QueueUrl=queue_url(settings().notices_queue))  # the lost hand-over
    assert _drain()["done"] == 0 and _to(JAN) == []
    statements.import_file(data)  # the retry: a duplicate booking, the notice queued again
    statements.import_file(data)
    _drain()
    (mail,) = _to(JAN)
    assert "120,00 zł" in mail.get_body(("plain",)).get_content()
