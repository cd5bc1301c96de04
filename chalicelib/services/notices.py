"""Daily notices: arrears reminders (per invoice and stage) and overpayment notices.

Which accounts to look at comes from GSI1 (accounts with open invoices due before the first
stage, or with credit), sharded over ``ACCOUNT_SHARDS`` keys; no Scan. Each e-mail is
guarded by a marker item written first with ``attribute_not_exists`` (at most once per
invoice and stage, once per overpayment); if SES refuses, the marker is removed so that a
retry sends it. Running the job twice the same day sends nothing new.

The run fans out instead of looping: an invocation lists one page of accounts from its
cursor (``PAGE_SIZE`` at most), hands the next page's cursor to the notices queue first (so
the pages of a run are listed while earlier ones are still being reviewed, in parallel up
to the queue's maximum concurrency), then reviews its own accounts. An account that fails
is handed to the queue on its own (held back when SES throttled), so one account never
holds up a page, and nothing is skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters import pacing, ses, sqs
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import ledger as rules
from chalicelib.domain import preferences as prefs_rules
from chalicelib.domain.ids import new_id
from chalicelib.observability import logger, metrics
from chalicelib.render import ledger_mail
from chalicelib.render.mail import Mail
from chalicelib.services import ledger, preferences
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as store
from chalicelib.store import preferences as prefs_store
from chalicelib.store import reviews

PAGE_SIZE = 100  # accounts per invocation (about 6 AWS calls each: see bench/scale_senders)
MAX_QUERIES = 20  # Queries per page (empty shards are skipped without a message each)
PAGE_MARKER_DAYS = 7


@dataclass
class RunReport:
    day: str
    accounts: int = 0
    settled: int = 0
    reminders: int = 0
    overpayment_notices: int = 0
    failures: int = 0
    deferred: int = 0
    more: bool = False
    by_stage: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day,
            "accounts": self.accounts,
            "settled": self.settled,
            "reminders": self.reminders,
            "overpayment_notices": self.overpayment_notices,
            "failures": self.failures,
            "deferred": self.deferred,
            "more": self.more,
            "by_stage": {str(k): v for k, v in sorted(self.by_stage.items())},
        }


@dataclass(frozen=True)
class Cursor:
    """Where a run continues: the shard, the range ("due", then "credit") and DynamoDB's
    page key within it."""

    shard: int = 0
    phase: str = "due"
    key: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"shard": self.shard, "phase": self.phase, "key": self.key}

    @classmethod
    def of(cls, data: dict[str, Any] | None) -> Cursor:
        data = data or {}
        phase = str(data.get("phase") or "due")
        return cls(
            int(data.get("shard") or 0),
            phase if phase in reviews.PHASES else "due",
            data.get("key"),
        )

    @property
    def page_id(self) -> str:
        raw = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    def after_range(self) -> Cursor | None:
        if self.phase == "due":
            return Cursor(self.shard, "credit")
        return Cursor(self.shard + 1) if self.shard + 1 < reviews.shards() else None


def list_page(due_before: str, at: Cursor, size: int) -> tuple[list[str], Cursor | None]:
    """Up to ``size`` accounts from ``at`` (across shards and ranges, at most
    ``MAX_QUERIES`` Queries) and where the next page starts (None: the run is complete)."""
    found: list[str] = []
    cursor: Cursor | None = at
    queries = 0
    while cursor is not None and len(found) < size and queries < MAX_QUERIES:
        page, key = reviews.accounts_page(
            cursor.shard, cursor.phase, due_before, size - len(found), cursor.key
        )
        queries += 1
        found.extend(page)
        cursor = Cursor(cursor.shard, cursor.phase, key) if key else cursor.after_range()
    return found, cursor


def page_message(day: date, run_id: str, at: Cursor) -> dict[str, Any]:
    """The next page of a run; ``owner`` is new each time a page hands on (see run)."""
    return {
        "kind": "page",
        "day": day.isoformat(),
        "run": run_id,
        "owner": new_id(),
        "cursor": at.as_dict(),
    }


def account_message(day: date, customer_no: str) -> dict[str, Any]:
    return {"kind": "account", "day": day.isoformat(), "customer_no": customer_no}


def run(
    day: date | None = None,
    cursor: Cursor | None = None,
    run_id: str | None = None,
    owner: str | None = None,
    page_size: int | None = None,
) -> RunReport:
    """One page of the day's run (the first page when ``cursor`` is None). ``run_id``
    names the run (the scheduled event's id; a new one for a manual rerun) and ``owner``
    the message listing this page (a duplicate message lists nothing)."""
    day = day or ledger.today()
    at = cursor or Cursor()
    run_id = run_id or new_id()
    report = RunReport(day.isoformat())
    ttl = int(clock.now().timestamp()) + PAGE_MARKER_DAYS * 86400
    owner = owner or new_id()
    if not reviews.claim_page(day.isoformat(), run_id, at.page_id, owner, clock.now_iso(), ttl):
        logger.info("notices page listed by another message", extra={"run": run_id})
        return report
    due_before = (day - timedelta(days=min(rules.REMINDER_STAGES))).isoformat()
    accounts, following = list_page(due_before, at, page_size or PAGE_SIZE)
    if following is not None:
        # Handed on before this page is reviewed: the next page need not wait for it.
        sqs.send_batch(settings().notices_queue, [page_message(day, run_id, following)])
        report.more = True
    for customer_no in dict.fromkeys(accounts):
        report.accounts += 1
        _review_or_hand_over(customer_no, day, report)
    metrics.add_metric(name="ArrearsReminders", unit="Count", value=report.reminders)
    metrics.add_metric(name="OverpaymentNotices", unit="Count", value=report.overpayment_notices)
    logger.info("notices page", extra={**report.as_dict(), "run": run_id})
    return report


def _review_or_hand_over(customer_no: str, day: date, report: RunReport) -> None:
    """Review one account of a page; if it fails, the notices queue retries it alone
    (later, when SES throttled), and the page goes on."""
    try:
        review_account(customer_no, day, report)
    except Exception as exc:
        throttled = pacing.throttling_of(exc) is not None
        if throttled:
            report.deferred += 1
        else:
            report.failures += 1
            logger.exception("notices: account failed", extra={"customer_no": customer_no})
        delay = int(pacing.retry_after(exc)) if throttled else 0
        sqs.send_batch(settings().notices_queue, [account_message(day, customer_no)], delay)


def review_one(customer_no: str, day: date) -> RunReport:
    """An account handed over on its own (a retry); raises when it fails again."""
    report = RunReport(day.isoformat(), accounts=1)
    review_account(customer_no, day, report)
    return report


def _send(customer_no: str, markers: list[str], to: str, mail: Mail) -> bool:
    """Send, or give the markers back (so that a retry sends) and raise. An address SES
    reported (suppressed) is not sent to: the markers go back too, so a reminder counts as
    sent only when it was (dunning reads them), and False is returned."""
    try:
        message_id = ses.send_email([to], mail.subject, mail.text, mail.html, headers=mail.headers)
    except Exception:
        logger.warning("notices: e-mail not sent", extra={"customer_no": customer_no})
        for marker in markers:
            store.release_notice(customer_no, marker)
        raise
    if ses.was_skipped(message_id):
        for marker in markers:
            store.release_notice(customer_no, marker)
        return False
    return True


def dunning_plan(
    customer_no: str, state: rules.AccountState, day: date
) -> tuple[list[rules.OpenInvoice], dict[date, list[rules.OpenInvoice]]]:
    """Invoices due a reminder, and invoices due a demand grouped by the day their reminder
    was sent. A demand only follows a reminder actually sent whose term has passed
    (domain.preferences.dunning_step), whatever the order or gaps of the runs."""
    first, second = rules.REMINDER_STAGES[0], rules.REMINDER_STAGES[-1]
    reminders: list[rules.OpenInvoice] = []
    demands: dict[date, list[rules.OpenInvoice]] = defaultdict(list)
    for invoice in rules.settle(state).state.open:
        late = (day - date.fromisoformat(invoice.due_date)).days
        if invoice.outstanding <= 0 or late < first:
            continue
        sent = prefs_store.arrears_sent_on(customer_no, invoice.invoice_no, (first, second))
        step = prefs_rules.dunning_step(late, sent.get(first), second in sent, day, (first, second))
        if step == "reminder":
            reminders.append(invoice)
        elif step == "demand":
            demands[sent[first]].append(invoice)
    return reminders, demands


def _claimed(
    customer_no: str, invoices: list[rules.OpenInvoice], stage: int, now: str
) -> list[rules.OpenInvoice]:
    return [
        i
        for i in invoices
        if store.claim_notice(customer_no, store.arrears_notice(i.invoice_no, stage), now)
    ]


def as_of(day: date) -> str:
    """When a notice of the run counts as sent: now, or for a run as of an earlier day (a
    rerun, ``detail.date``) that day, so a demand's term counts from the reminder's day."""
    now = clock.now()
    if day >= clock.to_warsaw(now).date():
        return clock.iso(now)
    return f"{day.isoformat()}T07:00:00+00:00"


def review_account(customer_no: str, day: date, report: RunReport) -> None:
    if ledger.settle(customer_no):
        report.settled += 1
    balance = store.get_balance(customer_no)
    customer = customer_store.get_customer(customer_no)
    if balance is None or customer is None or not customer.email:
        return
    state = balance.state()
    now = as_of(day)
    virtual = ledger.virtual_account_or_none(customer_no)
    account = virtual["formatted"] if virtual else "—"
    lang = prefs_store.choices_of(customer_no).language
    first, second = rules.REMINDER_STAGES[0], rules.REMINDER_STAGES[-1]

    reminders, demands = dunning_plan(customer_no, state, day)
    batches: list[tuple[int, list[rules.OpenInvoice], Mail]] = []
    claimed = _claimed(customer_no, reminders, first, now)
    if claimed:
        mail = ledger_mail.arrears_reminder(lang, customer.name, customer_no, claimed, account)
        batches.append((first, claimed, mail))
    for reminded_on, invoices in sorted(demands.items()):
        claimed = _claimed(customer_no, invoices, second, now)
        if claimed:
            mail = ledger_mail.payment_demand(
                lang,
                customer.name,
                customer_no,
                claimed,
                account,
                reminded_on,
                prefs_rules.DEMAND_TERM_DAYS,
            )
            batches.append((second, claimed, mail))
    for stage, invoices, mail in batches:
        markers = [store.arrears_notice(i.invoice_no, stage) for i in invoices]
        if _send(customer_no, markers, customer.email, mail):
            report.reminders += 1
            report.by_stage[stage] = report.by_stage.get(stage, 0) + 1

    overpayment = rules.summary(state, day).overpayment
    if (
        overpayment > 0
        and balance.credit_ref
        and preferences.email_terms(customer_no, "payment_booked", balance.credit_ref)
    ):
        marker = store.overpayment_notice(balance.credit_ref)
        if store.claim_notice(customer_no, marker, now):
            mail = ledger_mail.overpayment_notice(
                lang,
                customer.name,
                customer_no,
                overpayment,
                preferences.unsubscribe_url(customer_no, "payment_booked"),
            )
            if _send(customer_no, [marker], customer.email, mail):
                report.overpayment_notices += 1
