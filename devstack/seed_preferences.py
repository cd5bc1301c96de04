"""Demo preferences, consents history and a notification for Jan Kowalski (100001): the
marketing e-mail consent given in the portal, the SMS one taken by the account manager on
the phone and withdrawn later in the portal, a high-bill threshold, and the due-date
reminder of his open invoice due last, sent by the real service as of the day it went out
(a real invoice number, amount and due date). The housing co-op in Wrocław (200001, login
20000001) has a confirmed mobile number, so SMS can be chosen and SMS Alert reaches a mobile
phone in ``make run`` without confirming a code first; its invoices issued before that
(the seeded months) are recorded as not wanted by SMS, so the first ``drain all`` sends no
"new invoice" SMS about months-old invoices. Uses the real services (the number is written
as if its code had been confirmed); running it again adds nothing (a consent already in
that state records nothing, the reminder is sent once)."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.domain import consents as consent_rules
from chalicelib.domain import ledger as ledger_rules
from chalicelib.domain.principal import Principal
from chalicelib.services import consents, preferences
from chalicelib.store import invoices as invoice_store
from chalicelib.store import ledger as ledger_store
from chalicelib.store import preferences as preference_store
from chalicelib.store.invoices import Invoice
from devstack.seed import SeedContext

JAN = Principal("10000001", "customer", ("100001",))
COOP = "200001"  # SM „Przyszłość”, Wrocław (building manager 20000001)
COOP_MOBILE = "+48601500600"  # confirmed for SMS (a demo number: the outbox shows its SMS)
ANNA = Principal("30000001", "account_manager", (), "M1")


def _give(who: Principal, kind: str, granted: bool, channel: str = "portal") -> None:
    body = {"kind": kind, "granted": granted, "channel": channel}
    if granted:
        body["clause_version"] = consent_rules.clause_version(kind)
    consents.change(who, "100001", body)


def seed(ctx: SeedContext) -> None:
    view = consents.view(JAN, "100001")
    if not any(h["kind"] == "marketing_email" for h in view["history"]):
        _give(JAN, "correspondence", True)
        _give(JAN, "marketing_email", True)
        _give(ANNA, "marketing_sms", True, "phone")
        _give(JAN, "marketing_sms", False)
    if preferences.view(JAN, "100001")["version"] == 0:
        preferences.update(JAN, "100001", {"high_bill_percent": 30, "version": 0})

    _due_reminder_sent("100001")
    _no_sms_before_confirmed(COOP)
    _confirmed_mobile(COOP, COOP_MOBILE)
    ctx.notes.append(
        "preferences: 100001 has a consents history (portal + phone), a high-bill threshold "
        f"and one due-date reminder sent; {COOP} has the mobile number {COOP_MOBILE} "
        "confirmed (SMS for new invoices and booked payments)"
    )


def _due_reminder_sent(customer_no: str) -> None:
    """The due-date reminder of the customer's open document due last, sent by the real
    service as of the day it went out (the customer's lead time before the due date), so
    the e-mail names a real invoice, amount and due date; once per invoice (none without
    an open document, e.g. when invoicing was not seeded)."""
    balance = ledger_store.get_balance(customer_no)
    open_items = ledger_rules.settle(balance.state()).state.open if balance else ()
    if not open_items:
        return
    due = max(date.fromisoformat(i.due_date) for i in open_items)
    lead = preference_store.choices_of(customer_no).reminder_days
    preferences.due_reminders_for(customer_no, due - timedelta(days=lead))


def _no_sms_before_confirmed(customer_no: str) -> None:
    """The invoices issued before the number was confirmed went out without an SMS: record
    their "new invoice" SMS as not wanted (what the worker records for a topic switched
    off), so their queued notices send nothing later."""
    if preference_store.choices_of(customer_no).sms_number:
        return
    for item in invoice_store.invoices_and_deliveries(customer_no):
        if isinstance(item, Invoice):
            preferences.skip_unwanted(customer_no, "invoice_new", str(item.invoice_id), "sms")


def _confirmed_mobile(customer_no: str, phone: str) -> None:
    """The number as if its SMS code had been confirmed (``services.preferences
    .confirm_mobile`` writes the same), with SMS chosen for new invoices and payments."""
    from dataclasses import replace

    from chalicelib.domain import clock
    from chalicelib.domain.preferences import normalise_mobile
    from chalicelib.store import preferences as store

    assert normalise_mobile(phone) == phone  # a mobile number the SMS channel accepts
    found = store.get_preferences(customer_no)
    choices = store.choices_of(customer_no)
    if choices.sms_number:
        return
    channels = {
        **choices.channels,
        "invoice_new": ("email", "sms"),
        "payment_booked": ("email", "sms"),
    }
    store.save_preferences(
        customer_no,
        replace(choices, sms_number=phone, channels=channels),
        clock.now_iso(),
        int(found.version) if found else 0,
    )
