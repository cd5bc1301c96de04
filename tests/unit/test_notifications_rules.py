"""Pure rules: mandatory notices, channels, due-date reminders, high bills, dunning order
and the one-click unsubscribe token."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chalicelib.domain import preferences as rules

STAGES = (7, 21)


def test_mandatory_cannot_be_switched_off_and_sms_needs_a_verified_number() -> None:
    nothing = rules.Choices(channels={t: () for t in rules.TOPICS})
    assert nothing.wants("arrears", "email") and nothing.wants("legal", "email")
    assert not nothing.wants("invoice_new", "email")
    sms = rules.Choices(channels={"invoice_new": ("email", "sms")})
    assert sms.wants("invoice_new", "sms", sms_verified=True)
    assert not sms.wants("invoice_new", "sms", sms_verified=False)
    assert not rules.Choices(channels={"outage": ("sms",)}).wants("outage", "sms", True)


def test_channels_are_checked_per_topic() -> None:
    ok, bad = rules.normalise_channels({"invoice_new": ["sms", "email"], "outage": ["sms"]})
    assert ok == {"invoice_new": ("email", "sms")} and bad == ["channels.outage"]
    assert rules.normalise_channels({"nope": []})[1] == ["channels.nope"]


def test_due_reminder_window() -> None:
    today = date(2026, 11, 18)
    assert rules.due_reminder_due("2026-11-21", today, 3, 100)
    assert not rules.due_reminder_due("2026-11-22", today, 3, 100)
    assert not rules.due_reminder_due("2026-11-17", today, 3, 100)  # already late: dunning
    assert not rules.due_reminder_due("2026-11-20", today, 3, 0)


def test_high_bill_by_amount_or_percent() -> None:
    assert rules.high_bill(50_000, None, 40_000, None) == "amount"
    assert rules.high_bill(30_000, 20_000, None, 50) == "percent"
    assert rules.high_bill(29_999, 20_000, None, 50) is None
    assert rules.high_bill(30_000, None, None, 50) is None  # nothing to compare with
    assert rules.same_month_last_year("2026-01-01") == "2025-01"


def _walk(days_run: list[int]) -> list[tuple[int, str]]:
    """Run the rule on the given days after the due date; what is sent when."""
    due = date(2026, 10, 20)
    reminder: date | None = None
    demand = False
    out = []
    for late in days_run:
        today = due + timedelta(days=late)
        step = rules.dunning_step(late, reminder, demand, today, STAGES)
        if step == "reminder":
            reminder = today
        elif step == "demand":
            demand = True
        if step:
            out.append((late, step))
    return out


@pytest.mark.parametrize(
    "days",
    [
        list(range(0, 60)),
        [30, 31, 60],  # the job was down for a month: reminder first, demand a week later
        [25, 25, 25, 32, 40],
        [7, 8, 21],
        [60, 59, 80],  # out of order (a rerun as of an earlier day)
    ],
)
def test_demand_never_before_a_sent_reminder_and_its_term(days: list[int]) -> None:
    sent = _walk(days)
    steps = [s for _, s in sent]
    assert steps.count("reminder") <= 1 and steps.count("demand") <= 1
    if "demand" in steps:
        r = next(d for d, s in sent if s == "reminder")
        d = next(d for d, s in sent if s == "demand")
        assert steps.index("reminder") < steps.index("demand")
        assert d - r >= rules.DEMAND_TERM_DAYS and d >= STAGES[1]


def test_token_is_signed_and_refuses_forgeries() -> None:
    token = rules.sign_token("s3cret", "100001", "invoice_new", "id1")
    assert rules.read_token("s3cret", token) == ("100001", "invoice_new", "id1")
    assert rules.read_token("other", token) is None
    payload, mac = token.split(".")
    forged = rules.sign_token("x", "100002", "invoice_new", "id1").split(".")[0] + "." + mac
    assert rules.read_token("s3cret", forged) is None
    assert rules.read_token("s3cret", "garbage") is None
    assert rules.read_token("", token) is None
    with pytest.raises(ValueError):
        rules.sign_token("", "1", "invoice_new", "i")
