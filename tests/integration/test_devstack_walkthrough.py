"""The README walkthrough on the demo data: what a newcomer sees must be realistic and every
step must have what it needs. The seeded readings are never stamped after the moment the demo
was made; the seeded due-date reminder names a real open invoice; the housing co-op's
months-old invoices send no "new invoice" SMS once its number is confirmed; Jan's seeded
renewal extends his contract by a year to a month's end; the sample statement for the
four-eyes step holds one unmatched credit above the threshold; ``devstack publish`` puts an
SES notification on the feedback topic."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import boto3
import pytest

from chalicelib.domain import clock
from chalicelib.domain import contracts as contract_rules
from devstack import (
    seed_invoicing,
    seed_preferences,
    seed_selfservice,
)
from devstack.provision import Provisioned
from tests.support import seeded_demo

REGION = "eu-central-1"
ROOT = Path(__file__).resolve().parents[2]
JAN = "100001"


def _at(monkeypatch: pytest.MonkeyPatch, instant: str) -> None:
    monkeypatch.setenv(clock.ENV_OFFSET, repr(clock.offset_for(clock.parse_instant(instant))))
    clock.reset()


def test_a_reading_is_never_imported_after_the_demo_was_made(monkeypatch) -> None:
    # Started at 00:30 on the 1st (Warsaw): last month's reading exists, stamped now, not 02:00Z.
    _at(monkeypatch, "2026-12-01T00:30:00+01:00")
    stamped = seed_invoicing._imported_at(date(2026, 11, 30))
    assert stamped.startswith("2026-11-30T23:3") and stamped <= clock.now_iso()
    _at(monkeypatch, "2026-12-01T12:00:00+01:00")
    assert seed_invoicing._imported_at(date(2026, 11, 30)) == "2026-12-01T02:00:00Z"


def _ses_sent() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def _subjects() -> list[str]:
    out = []
    for m in _ses_sent():
        raw = getattr(m, "raw_data", None)
        if raw is None:
            out.append(str(m.subject))
            continue
        mail = message_from_bytes(raw.encode() if isinstance(raw, str) else raw, policy=default)
        out.append(str(mail["Subject"]))
    return out


def _sms_sent() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    return list(sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values())


@pytest.fixture
def demo(aws) -> Provisioned:
    return seeded_demo(aws, "devstack_walkthrough.demo")


def test_the_demo_is_realistic(demo) -> None:
    from chalicelib.domain import ledger as ledger_rules
    from chalicelib.services import applications, preferences
    from chalicelib.store import invoices as invoice_store
    from chalicelib.store import ledger as ledger_store
    from chalicelib.store import readings as reading_store
    from chalicelib.store.customers import all_contracts

    # The due-date reminder names Jan's open document due last (an invoice or the opening
    # balance carried over), as the real reminder service wrote it.
    reminders = [s for s in _subjects() if s.startswith("Termin płatności")]
    balance = ledger_store.get_balance(JAN)
    assert balance is not None
    latest = max(ledger_rules.settle(balance.state()).state.open, key=lambda i: i.due_date)
    due = date.fromisoformat(latest.due_date).strftime("%d.%m.%Y")
    assert reminders == [f"Termin płatności faktury {latest.invoice_no} mija {due}"]

    # The co-op's seeded invoices were issued before its number was confirmed: no SMS later.
    coop = seed_preferences.COOP
    issued = [
        str(i.invoice_id)
        for i in invoice_store.invoices_and_deliveries(coop)
        if isinstance(i, invoice_store.Invoice)
    ]
    assert issued
    assert all(preferences.invoice_issued(coop, i)["sms"] == "done" for i in issued)
    assert not [s for s in _sms_sent() if "nowa faktura" in str(s)]
    assert preferences.wants(coop, "invoice_new", "sms")  # the next invoice gets its SMS

    # Jan's renewal: a year after his contract's end, a month's last day.
    contract = next(c for c in all_contracts() if c.contract_no == "C/2024/0001")
    jan = seed_selfservice.JAN
    renewal = applications.list_for(jan, JAN)["applications"][0]
    end = date.fromisoformat(str(contract.end_date))
    assert renewal["fields"]["new_end_date"] == contract_rules.add_months(end, 12).isoformat()
    assert contract_rules.end_of_month(end) == end

    # No reading is stamped after now.
    now = clock.now_iso()
    for serial in ("HM-100001", "EM-100002"):
        assert all(r.created_at <= now for r in reading_store.history(serial))


def test_the_four_eyes_sample_statement(api, login_as) -> None:
    sample = ROOT / "data" / "samples" / "camt053-four-eyes.xml"
    admin = login_as("admin")
    r = api.post(
        "/admin/statements",
        {"file_name": sample.name, "content": sample.read_text(encoding="utf-8")},
        headers=admin,
    )
    assert r.status == 201, r.body
    assert (r.json["entries"], r.json["suspense"], r.json["booked"]) == (1, 1, 0)
    waiting = api.get("/admin/suspense", headers=admin).json["entries"]
    assert [(e["amount_grosze"], e["needs_approval"]) for e in waiting] == [(150_000, True)]


def test_publish_puts_an_ses_notification_on_the_feedback_queue(aws, monkeypatch) -> None:
    from devstack import cli

    monkeypatch.setattr(cli, "_app", lambda: None)  # in-process moto instead of the stack
    bounce = ROOT / "tests" / "data" / "ses" / "bounce_permanent.json"
    assert cli.publish("ses-feedback", str(bounce)) == 0
    assert cli.publish("no-such-topic", str(bounce)) == 2
    from chalicelib.config import settings

    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.get_queue_url(QueueName=settings().bounces_queue)["QueueUrl"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    assert len(got) == 1 and "jan.kowalski@example.pl" in got[0]["Body"]
