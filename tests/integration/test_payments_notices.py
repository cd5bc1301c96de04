"""Daily notices: arrears reminders once per invoice and stage, overpayment notices once,
however often the job runs; a refused e-mail is tried again on the next run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chalicelib.adapters import ses
from chalicelib.services import ledger, notices
from chalicelib.store import ledger as store

DUE = date(2026, 10, 20)


@pytest.fixture
def outbox(monkeypatch):
    """Every e-mail sent (through moto's SES, which keeps them too)."""
    sent: list[dict] = []
    real = ses.send_email

    def spy(to, subject, text, html=None, attachments=(), reply_to=None, headers=None):
        message_id = real(to, subject, text, html, attachments, reply_to, headers)
        sent.append(
            {"to": list(to), "subject": subject, "text": text, "html": html, "headers": headers}
        )
        return message_id

    monkeypatch.setattr(ses, "send_email", spy)
    return sent


def _moto_sent() -> int:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return len(ses_backends[DEFAULT_ACCOUNT_ID]["eu-central-1"].sent_messages)


@pytest.fixture
def overdue(aws, world):
    for no, gross in (("FV/2026/09/000300", 12_000), ("FV/2026/09/000301", 8_000)):
        ledger.record_invoice(
            customer_no=world.individual,
            invoice_no=no,
            gross_grosze=gross,
            issue_date="2026-10-06",
            due_date=DUE.isoformat(),
        )
    ledger.record_invoice(
        customer_no=world.institution,
        invoice_no="FV/2026/10/000400",
        gross_grosze=50_000,
        issue_date="2026-10-06",
        due_date="2026-11-30",
    )
    return world


def test_reminder_is_sent_once_per_stage_however_often_the_job_runs(overdue, outbox) -> None:
    before = _moto_sent()
    assert notices.run(DUE + timedelta(days=6)).reminders == 0  # not yet
    for _ in range(3):
        notices.run(DUE + timedelta(days=7))
    assert len(outbox) == 1  # one e-mail listing both overdue invoices
    mail = outbox[0]
    assert mail["to"] == ["jan.kowalski@example.pl"]
    assert (
        "Przypomnienie" in mail["subject"]
        and "FV/2026/09/000300" in mail["text"]
        and "FV/2026/09/000301" in mail["text"]
    )
    assert (
        "200,00 zł" in mail["text"]
        and ledger.virtual_account(overdue.individual)["formatted"] in mail["text"]
    )
    assert "Hello" not in mail["text"]  # one language: the customer's (Polish by default)
    for day in range(8, 21):
        notices.run(DUE + timedelta(days=day))
    assert len(outbox) == 1
    for _ in range(3):
        report = notices.run(DUE + timedelta(days=21))
    assert len(outbox) == 2 and "Wezwanie do zapłaty" in outbox[1]["subject"]
    assert report.reminders == 0  # the last of the repeated runs sent nothing
    notices.run(DUE + timedelta(days=60))
    to_jan = [m for m in outbox if m["to"] == ["jan.kowalski@example.pl"]]
    assert len(to_jan) == 2
    # meanwhile the institution's invoice (due 30.11) got its own first reminder
    assert [m["to"] for m in outbox[2:]] == [["biuro@sm-przyszlosc.example.pl"]]
    assert _moto_sent() - before == 3  # really handed to SES


def test_paid_invoices_get_no_reminder(overdue, outbox) -> None:
    ledger.book_credit(
        overdue.individual, 12_000, kind="transfer", ref="BANK-N1", value_date="2026-10-21"
    )
    notices.run(DUE + timedelta(days=7))
    assert len(outbox) == 1
    assert "FV/2026/09/000301" in outbox[0]["text"] and "FV/2026/09/000300" not in outbox[0]["text"]


def test_job_handler_runs_as_of_a_given_day(overdue, outbox) -> None:
    import app

    event = {
        "version": "0",
        "id": "1",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "1",
        "time": "2026-10-27T07:00:00Z",
        "region": "eu-central-1",
        "resources": [],
        "detail": {"date": "2026-10-27"},
    }
    result = app.app.handler_map["payment_notices"](event, None)
    assert result["reminders"] == 1 and result["by_stage"] == {"7": 1}
    assert app.app.handler_map["payment_notices"](event, None)["reminders"] == 0


def test_overpayment_notice_is_sent_once(overdue, outbox) -> None:
    def to_institution() -> list[dict]:
        return [m for m in outbox if m["to"] == ["biuro@sm-przyszlosc.example.pl"]]

    ledger.book_credit(
        overdue.institution, 60_000, kind="transfer", ref="BANK-N2", value_date="2026-11-02"
    )
    for _ in range(3):
        notices.run(date(2026, 11, 3))
    assert [m["subject"].split(" –")[0] for m in to_institution()] == ["Nadpłata na koncie"]
    assert "100,00 zł" in to_institution()[0]["text"]
    # a new invoice uses the credit up; a later overpayment is a new notice
    ledger.record_invoice(
        customer_no=overdue.institution,
        invoice_no="FV/2026/11/000400",
        gross_grosze=40_000,
        issue_date="2026-11-06",
        due_date="2026-12-20",
    )
    notices.run(date(2026, 11, 7))
    assert len(to_institution()) == 1
    balance = store.get_balance(overdue.institution)
    assert (
        int(balance.unapplied_grosze) == 0 and balance.state().balance == 30_000
    )  # settled by the job
    ledger.book_credit(
        overdue.institution, 35_000, kind="transfer", ref="BANK-N3", value_date="2026-11-10"
    )
    notices.run(date(2026, 11, 11))
    notices.run(date(2026, 11, 12))
    assert len(to_institution()) == 2 and "50,00 zł" in to_institution()[1]["text"]


def test_refused_email_is_retried_on_the_next_run(overdue, outbox, monkeypatch) -> None:
    working = ses.send_email

    def refuse(*args, **kwargs):
        raise RuntimeError("SES throttled")

    monkeypatch.setattr(ses, "send_email", refuse)
    report = notices.run(DUE + timedelta(days=7))
    assert report.reminders == 0 and report.failures == 1
    monkeypatch.setattr(ses, "send_email", working)
    assert notices.run(DUE + timedelta(days=8)).reminders == 1
    assert len(outbox) == 1
