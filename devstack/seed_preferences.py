"""Demo preferences, consents history and a notification for Jan Kowalski (100001): the
marketing e-mail consent given in the portal, the SMS one taken by the account manager on
the phone and withdrawn later in the portal, a high-bill threshold, and one due-date
reminder sent (a notification marker). The housing co-op in Wrocław (200001, login
20000001) has a confirmed mobile number, so SMS can be chosen and SMS Alert reaches a mobile
phone in ``make run`` without confirming a code first. Uses the real services (the number
is written as if its code had been confirmed); running it again adds nothing (a consent
already in that state records nothing, the reminder is sent once)."""

from __future__ import annotations

from chalicelib.domain import consents as consent_rules
from chalicelib.domain.principal import Principal
from chalicelib.render import preference_mail
from chalicelib.render.mail import Mail
from chalicelib.services import consents, preferences
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

    def build(lang: str, name: str, url: str) -> Mail:
        return preference_mail.due_reminder(lang, name, "DEMO/REMINDER", "2026-11-25", 18_450, url)

    preferences.send_once("100001", "due_reminder", "DEMO-REMINDER", build)
    _confirmed_mobile(COOP, COOP_MOBILE)
    ctx.notes.append(
        "preferences: 100001 has a consents history (portal + phone), a high-bill threshold "
        f"and one due-date reminder sent; {COOP} has the mobile number {COOP_MOBILE} "
        "confirmed (SMS for new invoices and booked payments)"
    )


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
