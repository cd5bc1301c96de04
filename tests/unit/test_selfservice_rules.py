"""Self-service rules: expiry reminder stages, terms in force by annexes, notice periods,
instalments, IBAN, and a capacity annex priced prorated from its date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from chalicelib.domain import applications as apps
from chalicelib.domain import contracts as rules
from chalicelib.domain.ledger import OpenInvoice
from chalicelib.domain.pricing import Usage, price_period
from tests.unit.test_invoicing_pricing import heat_versions


@pytest.mark.parametrize(
    ("end", "today", "stage"),
    [
        ("2027-03-01", "2026-11-18", None),  # 103 days
        ("2027-02-16", "2026-11-18", 90),  # exactly 90
        ("2026-12-31", "2026-11-18", 90),  # 43 days
        ("2026-12-18", "2026-11-18", 30),  # exactly 30
        ("2026-11-18", "2026-11-18", 30),  # the last day
        ("2026-11-17", "2026-11-18", None),  # ended
    ],
)
def test_reminder_stage(end: str, today: str, stage: int | None) -> None:
    assert rules.reminder_stage(date.fromisoformat(end), date.fromisoformat(today)) == stage


def test_terms_on_applies_annexes_from_their_date_in_order() -> None:
    base = rules.Terms(D("0.250"), "W-2", date(2026, 12, 31))
    annexes = [
        rules.Annex(date(2027, 1, 1), "b", capacity_mw=D("0.300")),
        rules.Annex(date(2026, 12, 10), "a", capacity_mw=D("0.200"), tariff_group="W-3"),
    ]
    assert rules.terms_on(base, annexes, date(2026, 12, 9)) == base
    assert rules.terms_on(base, annexes, date(2026, 12, 10)).capacity_mw == D("0.200")
    on = rules.terms_on(base, annexes, date(2027, 2, 1))
    assert (on.capacity_mw, on.tariff_group) == (D("0.300"), "W-3")
    assert rules.capacity_changes(annexes) == [
        (date(2026, 12, 10), D("0.200")),
        (date(2027, 1, 1), D("0.300")),
    ]


def test_earliest_termination_runs_to_the_end_of_a_month() -> None:
    assert rules.earliest_termination(date(2026, 11, 18), 3) == date(2027, 2, 28)
    assert rules.earliest_termination(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_instalments_add_up_and_fall_monthly() -> None:
    plan = apps.split_instalments(100_001, 3, date(2026, 12, 31))
    assert [p.amount for p in plan] == [33_335, 33_333, 33_333]
    assert [p.due_date for p in plan] == [date(2026, 12, 31), date(2027, 1, 31), date(2027, 2, 28)]
    with pytest.raises(ValueError):
        apps.split_instalments(0, 3, date(2026, 12, 31))


def test_reschedule_replaces_only_overdue_invoices_by_instalments() -> None:
    overdue = OpenInvoice("FV/1", "2026-09-01", "2026-09-15", 30_000, 10_000)
    later = OpenInvoice("FV/2", "2026-11-10", "2026-11-25", 5_000)
    plan, items, replaced = apps.reschedule(
        (overdue, later), date(2026, 11, 18), 2, date(2026, 12, 10), "abcdefgh12"
    )
    assert replaced == ["FV/1"]
    assert [p.amount for p in plan] == [10_000, 10_000]
    assert later in items and overdue not in items
    dues = sorted(i.due_date for i in items if i.invoice_no.startswith("RATA-"))
    assert dues == ["2026-12-10", "2027-01-10"]
    assert sum(i.outstanding for i in items) == 25_000  # the same debt, other due dates


def test_iban_is_validated_with_stdnum() -> None:
    assert apps.clean_iban("PL61 1090 1014 0000 0712 1981 2874") == "PL61109010140000071219812874"
    assert apps.clean_iban("PL61 1090 1014 0000 0712 1981 2875") is None
    assert apps.clean_iban("not an iban") is None


def test_decisions_follow_the_workflow() -> None:
    assert apps.decide("submitted", "review") == "in_review"
    assert apps.decide("in_review", "ask") == "needs_info"
    assert apps.decide("in_review", "approve") == "approved"
    with pytest.raises(apps.TransitionRefused):
        apps.decide("needs_info", "approve")
    with pytest.raises(apps.TransitionRefused):
        apps.decide("done", "reject")


def test_every_type_has_a_schema_due_days_and_known_attachments() -> None:
    assert len(apps.CATALOGUE) == 11
    for kind in apps.CATALOGUE.values():
        assert kind.schema["type"] == "object" and kind.due_days > 0
        assert set(kind.attachments) <= set(apps.ATTACHMENT_KINDS)


def test_capacity_annex_is_priced_prorated_from_its_date() -> None:
    """November 2026, capacity 0.250 MW until the 10th, 0.400 MW from the 11th: the
    capacity charges are two lines, 10/30 and 20/30 of a month at each capacity."""
    versions = heat_versions()
    usage = Usage({"heat_gj": D("10"), "water_m3": D("1")})
    plain = price_period(
        versions, date(2026, 11, 1), date(2026, 11, 30), usage, capacity_mw=D("0.250")
    )
    priced = price_period(
        versions,
        date(2026, 11, 1),
        date(2026, 11, 30),
        usage,
        capacity_mw=D("0.250"),
        capacity_changes=[(date(2026, 11, 11), D("0.400"))],
    )
    cap = [ln for ln in priced.lines if ln.code == "capacity"]
    assert [(ln.period_from.day, ln.period_to.day, ln.quantity) for ln in cap] == [
        (1, 10, D("0.083333")),  # 0.250 × 10/30
        (11, 30, D("0.266667")),  # 0.400 × 20/30
    ]
    assert cap[0].net == round(D("0.083333") * D("9668.69") * 100)
    # the consumption lines are untouched; only the fixed charges grow
    heat = lambda p: [ln for ln in p.lines if ln.code == "heat"]  # noqa: E731
    assert heat(priced) == heat(plain)
    assert priced.net > plain.net
    # a change outside the period prices the whole month at the capacity in force
    before = price_period(
        versions,
        date(2026, 11, 1),
        date(2026, 11, 30),
        usage,
        capacity_mw=D("0.250"),
        capacity_changes=[(date(2026, 10, 1), D("0.400"))],
    )
    assert [ln.quantity for ln in before.lines if ln.code == "capacity"] == [D("0.400000")]
