"""Demo preferences, consents history and a notification for Jan Kowalski (100001): the
marketing e-mail consent given in the portal, the SMS one taken by the account manager on
the phone and withdrawn later in the portal, a high-bill threshold, and one due-date
reminder sent (a notification marker). Uses the real services; running it again adds
nothing (a consent already in that state records nothing, the reminder is sent once)."""

from __future__ import annotations

from chalicelib.domain import consents as consent_rules
from chalicelib.domain.principal import Principal
from chalicelib.render import preference_mail
from chalicelib.render.mail import Mail
from chalicelib.services import consents, preferences
from devstack.seed import SeedContext

JAN = Principal("10000001", "customer", ("100001",))
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
    ctx.notes.append(
        "preferences: 100001 has a consents history (portal + phone), a high-bill threshold "
        "and one due-date reminder sent"
    )
