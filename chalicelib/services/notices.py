"""Daily notices: arrears reminders (per invoice and stage) and overpayment notices.

Which accounts to look at comes from GSI1 (accounts with open invoices due before the first
stage, or with credit), sharded over ``ACCOUNT_SHARDS`` keys; no Scan. Each e-mail is
guarded by a marker item written first with ``attribute_not_exists`` (at most once per
invoice and stage, once per overpayment); if SES refuses, the marker is removed so the next
run tries again. Running the job twice the same day sends nothing new.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters import ses
from chalicelib.domain import clock
from chalicelib.domain import ledger as rules
from chalicelib.observability import logger, metrics
from chalicelib.render import ledger_mail
from chalicelib.services import ledger
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as store


@dataclass
class RunReport:
    day: str
    accounts: int = 0
    settled: int = 0
    reminders: int = 0
    overpayment_notices: int = 0
    failures: int = 0
    by_stage: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "accounts": self.accounts,
            "settled": self.settled,
            "reminders": self.reminders,
            "overpayment_notices": self.overpayment_notices,
            "failures": self.failures,
            "by_stage": {str(k): v for k, v in sorted(self.by_stage.items())},
        }


def run(day: date | None = None) -> RunReport:
    day = day or ledger.today()
    report = RunReport(day.isoformat())
    due_before = (day - timedelta(days=min(rules.REMINDER_STAGES))).isoformat()
    seen: set[str] = set()
    for shard in range(store.ACCOUNT_SHARDS):
        for balance in store.accounts_to_review(shard, due_before):
            if balance.customer_no in seen:
                continue
            seen.add(balance.customer_no)
            report.accounts += 1
            try:
                review_account(balance.customer_no, day, report)
            except Exception:
                report.failures += 1
                logger.exception(
                    "notices: account failed", extra={"customer_no": balance.customer_no}
                )
    metrics.add_metric(name="ArrearsReminders", unit="Count", value=report.reminders)
    metrics.add_metric(name="OverpaymentNotices", unit="Count", value=report.overpayment_notices)
    logger.info("notices run", extra=report.as_dict())
    return report


def _send(customer_no: str, markers: list[str], to: str, mail: tuple[str, str, str]) -> bool:
    subject, text, html = mail
    try:
        ses.send_email([to], subject, text, html)
    except Exception:
        logger.exception("notices: e-mail not sent", extra={"customer_no": customer_no})
        for marker in markers:
            store.release_notice(customer_no, marker)
        return False
    return True


def review_account(customer_no: str, day: date, report: RunReport) -> None:
    if ledger.settle(customer_no):
        report.settled += 1
    balance = store.get_balance(customer_no)
    customer = customer_store.get_customer(customer_no)
    if balance is None or customer is None or not customer.email:
        return
    state = balance.state()
    now = clock.now_iso()
    virtual = ledger.virtual_account_or_none(customer_no)
    account = virtual["formatted"] if virtual else "—"

    by_stage: dict[int, list[rules.OpenInvoice]] = defaultdict(list)
    for invoice, stage in rules.reminders_due(state, day):
        if store.claim_notice(customer_no, store.arrears_notice(invoice.invoice_no, stage), now):
            by_stage[stage].append(invoice)
    for stage, invoices in sorted(by_stage.items()):
        markers = [store.arrears_notice(i.invoice_no, stage) for i in invoices]
        mail = ledger_mail.arrears_reminder(customer.name, customer_no, stage, invoices, account)
        if _send(customer_no, markers, customer.email, mail):
            report.reminders += 1
            report.by_stage[stage] = report.by_stage.get(stage, 0) + 1
        else:
            report.failures += 1

    overpayment = rules.summary(state, day).overpayment
    if overpayment > 0 and balance.credit_ref:
        marker = store.overpayment_notice(balance.credit_ref)
        if store.claim_notice(customer_no, marker, now):
            mail = ledger_mail.overpayment_notice(customer.name, customer_no, overpayment)
            if _send(customer_no, [marker], customer.email, mail):
                report.overpayment_notices += 1
            else:
                report.failures += 1
