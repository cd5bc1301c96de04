"""Quiet hours for the notices-queue SMS (new invoice, payment booked): at night (22:00-07:00
Warsaw) the SMS waits on the notices queue and goes once when the quiet hours end; the
e-mail is not held, and a one-time code never is. Replays send nothing again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.config import settings
from chalicelib.store import preferences as store
from devstack.metering import count_calls
from tests.integration.invoicing_helpers import drain, parsed, sent_emails
from tests.integration.outages_support import FakeClock, sent_sms

JAN = "jan.kowalski@example.pl"
MOBILE = "+48600100200"
NIGHT = datetime(2026, 11, 18, 22, 30, tzinfo=UTC)  # 23:30 Warsaw (CET)
DAWN = datetime(2026, 11, 19, 5, 50, tzinfo=UTC)  # 06:50: still quiet, 600 s left
MORNING = datetime(2026, 11, 19, 6, 0, tzinfo=UTC)  # 07:00 Warsaw: the window opens


@pytest.fixture
def held(monkeypatch) -> list[tuple[dict[str, Any], int]]:
    """The held messages and their delays; queued without the delay (moto's delays run on
    the wall clock, the test's clock is fixed)."""
    from chalicelib.adapters import sqs

    real = sqs.send_batch
    seen: list[tuple[dict[str, Any], int]] = []

    def send_batch(queue: str, bodies: Any, delay_s: int = 0) -> int:
        bodies = list(bodies)
        seen.extend((b, delay_s) for b in bodies if isinstance(b, dict) and b.get("only"))
        return real(queue, bodies, 0)

    monkeypatch.setattr(sqs, "send_batch", send_batch)
    return seen


def _with_sms(customer_no: str) -> None:
    base = store.choices_of(customer_no)
    chosen = replace(
        base,
        channels={**base.channels, "payment_booked": ("email", "sms")},
        sms_number=MOBILE,
    )
    store.save_preferences(
        customer_no, chosen, "2026-11-18T09:00:00Z", store.stored_version(customer_no)
    )


def _drain_once() -> dict[str, int]:
    return drain(settings().notices_queue, "payment_notices_worker", max_batches=1)


def _payment_sms() -> list[str]:
    return [t for p, t in sent_sms() if p == MOBILE]


def _payment_mails() -> list[Any]:
    return [m for m in map(parsed, sent_emails()) if JAN in str(m["To"])]


def test_payment_sms_waits_for_the_morning_and_goes_once(aws, world, monkeypatch, held) -> None:
    from chalicelib.services import ledger, preferences

    clock = FakeClock(monkeypatch, NIGHT)
    _with_sms(world.individual)
    assert ledger.book_credit(
        world.individual, 15_000, kind="transfer", ref="BANK-Q1", value_date="2026-11-18"
    ).booked
    assert _drain_once()["done"] == 1
    assert len(_payment_mails()) == 1  # the e-mail is not held
    assert _payment_sms() == []
    assert held[-1][1] == 900  # looked at again in 15 minutes (SQS's longest delay)
    assert (
        store.get_notification(world.individual, "payment_booked", "transfer:BANK-Q1", "sms")
        is None
    )

    clock.set(DAWN)  # the held SMS comes back while it is still quiet: held again,
    with count_calls() as calls:  # without reading anything (a hop is one SQS call)
        assert _drain_once()["done"] == 1
    assert [c for c in calls.calls if c[0] == "dynamodb"] == []
    assert _payment_sms() == [] and held[-1][1] == 600

    clock.set(MORNING)
    assert _drain_once()["done"] == 1
    (text,) = _payment_sms()
    assert "150,00" in text
    assert len(_payment_mails()) == 1  # the held SMS brings no second e-mail
    # a redelivered held message, a replay of the booking's notice: nothing again
    assert preferences.payment_booked(world.individual, "transfer", "BANK-Q1", "sms") == {
        "sms": "done"
    }
    assert preferences.payment_booked(world.individual, "transfer", "BANK-Q1")["sms"] == "done"
    assert drain(settings().notices_queue, "payment_notices_worker")["failed"] == 0
    assert len(_payment_sms()) == 1 and len(_payment_mails()) == 1
    # a replay the next night is not held again (nothing to send)
    clock.set(datetime(2026, 11, 19, 22, 0, tzinfo=UTC))
    hops = len(held)
    assert preferences.payment_booked(world.individual, "transfer", "BANK-Q1") == {
        "email": "done",
        "sms": "done",
    }
    assert len(held) == hops and len(_payment_sms()) == 1


def test_payment_sms_in_the_day_goes_at_once(aws, world, monkeypatch, held) -> None:
    FakeClock(monkeypatch, datetime(2026, 11, 18, 20, 59, tzinfo=UTC))  # 21:59 Warsaw
    _with_sms(world.individual)
    from chalicelib.services import ledger

    assert ledger.book_credit(
        world.individual, 15_000, kind="transfer", ref="BANK-Q2", value_date="2026-11-18"
    ).booked
    _drain_once()
    assert len(_payment_sms()) == 1 and held == []


def test_new_invoice_sms_waits_for_the_morning_the_high_bill_e_mail_does_not(
    aws, world, monkeypatch, held
) -> None:
    from chalicelib.domain import preferences as rules
    from chalicelib.services import invoicing, preferences
    from tests.integration.invoicing_helpers import load_tariffs, readings_for_world

    load_tariffs()
    readings_for_world(world)
    base = store.choices_of(world.individual)
    chosen = replace(
        base,
        channels={**base.channels, "invoice_new": ("email", "sms"), "high_bill": ("email",)},
        high_bill_amount=1,  # any invoice is a high bill
        sms_number=MOBILE,
    )
    store.save_preferences(
        world.individual, chosen, "2026-11-18T09:00:00Z", store.stored_version(world.individual)
    )
    clock = FakeClock(monkeypatch, NIGHT)
    out = invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10")
    assert out.status == "issued", out
    _drain_once()
    alerts = [m for m in _payment_mails() if "Alert wysokiego rachunku" in m["Subject"]]
    assert len(alerts) == 1 and _payment_sms() == []  # the e-mail goes, the SMS waits
    assert held[-1][0] == {
        **rules.invoice_notice(world.individual, str(out.invoice_id)),
        "only": "sms",
    }

    clock.set(MORNING)
    _drain_once()
    (text,) = _payment_sms()
    assert "nowa faktura" in text
    assert preferences.invoice_issued(world.individual, str(out.invoice_id), "sms") == {
        "sms": "done"
    }
    assert len(_payment_sms()) == 1
    assert len([m for m in _payment_mails() if "Alert" in m["Subject"]]) == 1


def test_a_one_time_code_is_never_held(api, world, login_as, monkeypatch) -> None:
    headers = login_as("customer", customers=[world.individual])
    FakeClock(monkeypatch, NIGHT)
    started = api.post(
        f"/customers/{world.individual}/preferences/mobile", {"phone": MOBILE}, headers=headers
    )
    assert started.status == 200 and started.json["status"] == "code_sent"
    assert len([t for p, t in sent_sms() if p == MOBILE]) == 1
