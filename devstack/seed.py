"""Demo data for the local stack: runs each area's seeding step in order.

An area adds ``devstack/seed_<area>.py`` with ``def seed(ctx: SeedContext) -> None`` and
lists it in ``STEPS``. Steps use the real services (the same validation as the API).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from devstack.provision import Provisioned

STEPS = [
    "devstack.seed_customers",
    "devstack.seed_registrations",  # a pending institutional registration with documents
    "devstack.seed_invoicing",  # tariffs, readings, invoices (before payments)
    "devstack.seed_consumption",  # 36 months of readings, demo temperatures, projection
    "devstack.seed_payments",  # after customers and invoicing: balances add up
    "devstack.seed_outages",
    "devstack.seed_selfservice",  # regulations, price lists, contract documents, a thread
    "devstack.seed_preferences",  # consents history, a threshold, a reminder sent (100001)
]


@dataclass
class SeedContext:
    prov: Provisioned
    clients: Callable[[str], Any]
    today: date
    notes: list[str] = field(default_factory=list)  # lines printed after seeding (logins...)
    data: dict[str, Any] = field(default_factory=dict)  # shared between steps


def run(ctx: SeedContext, progress: Callable[[str], None] | None = None) -> None:
    for name in STEPS:
        if progress:
            progress(name.rsplit(".", 1)[-1])
        importlib.import_module(name).seed(ctx)
