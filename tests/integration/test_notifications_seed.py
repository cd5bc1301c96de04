"""The notification demo data: the housing co-op in Wrocław has a confirmed mobile number
(SMS can be chosen and SMS Alert reaches a mobile in ``make run``); seeding again changes
nothing."""

from __future__ import annotations

from devstack import seed_customers, seed_preferences
from tests.support import demo_context


def test_a_wroclaw_demo_customer_has_a_confirmed_mobile(aws) -> None:
    from chalicelib.domain.preferences import normalise_mobile
    from chalicelib.services import preferences
    from chalicelib.store import customers
    from chalicelib.store import preferences as store

    ctx = demo_context(aws)
    seed_customers.seed(ctx)
    seed_preferences.seed(ctx)
    coop = seed_preferences.COOP
    customer = customers.get_customer(coop)
    assert customer is not None and customer.address.city == "Wrocław"
    number = store.choices_of(coop).sms_number
    assert number is not None and normalise_mobile(number) == number
    assert preferences.wants(coop, "invoice_new", "sms")
    assert preferences.wants(coop, "payment_booked", "sms")
    assert store.choices_of("100001").sms_number is None  # Jan confirms one in the walkthrough
    version = store.stored_version(coop)
    seed_preferences.seed(ctx)
    assert store.stored_version(coop) == version
