"""The KSeF stand-in in-process (``devstack.ksef_standin``) behind the real adapter, and an
institution with e-invoice consent invoiced for October 2026."""

from __future__ import annotations

import os
from typing import Any

from devstack.ksef_standin import KsefStandIn
from tests.integration.invoicing_helpers import drain, load_tariffs, readings_for_world

KSEF_URL = "http://ksef.standin.test/v2"


def use_standin(monkeypatch: Any) -> KsefStandIn:
    from chalicelib.adapters import ksef as adapter
    from chalicelib.config import settings
    from chalicelib.services import ksef

    standin = KsefStandIn()
    monkeypatch.setenv("KSEF_API_URL", KSEF_URL)
    monkeypatch.setattr(adapter, "transport", standin.handle)
    monkeypatch.setattr(ksef, "POLL_DELAY_S", 0)
    settings.cache_clear()
    assert settings().ksef_api_url == os.environ["KSEF_API_URL"]
    return standin


def institution_with_consent(world: Any) -> str:
    from chalicelib.store.customers import Customer, get_customer

    customer = get_customer(world.institution)
    assert customer is not None
    customer.update(actions=[Customer.einvoice_consent.set(True)])
    return str(world.institution)


def issue_institution_october(world: Any) -> Any:
    from chalicelib.services import invoicing
    from chalicelib.store import invoices as store

    load_tariffs()
    readings_for_world(world)
    institution_with_consent(world)
    out = invoicing.issue(world.institution, "C-200001-H1", "2026-10")
    assert out.status == "issued"
    inv = store.get_invoice(world.institution, out.invoice_id)
    assert inv is not None
    return inv


def run_all(settle: int = 4) -> None:
    """Drain the delivery and ksef queues into their real handlers until both are empty."""
    from chalicelib.config import settings

    for _ in range(settle):
        drain(settings().delivery_queue, "invoice_delivery")
        drain(settings().ksef_queue, "ksef_worker")
