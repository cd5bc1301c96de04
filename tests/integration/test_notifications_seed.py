"""The notification demo data: the housing co-op in Wrocław has a confirmed mobile number
(SMS can be chosen and SMS Alert reaches a mobile in ``make run``); seeding again changes
nothing."""

from __future__ import annotations

import boto3

from chalicelib.domain import clock
from devstack import seed_customers, seed_preferences
from devstack.seed import SeedContext


def test_a_wroclaw_demo_customer_has_a_confirmed_mobile(aws) -> None:
    from chalicelib.domain.preferences import normalise_mobile
    from chalicelib.services import preferences
    from chalicelib.store import customers
    from chalicelib.store import preferences as store

    clients: dict[str, object] = {}
    ctx = SeedContext(
        prov=aws,
        clients=lambda n: clients.setdefault(n, boto3.client(n, region_name="eu-central-1")),
        today=clock.to_warsaw(clock.now()).date(),
    )
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
