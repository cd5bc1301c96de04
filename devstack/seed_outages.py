"""Demo outages, SMS Alert subscriptions and a fault ticket.

A planned heat outage in Wrocław on ul. Legnicka and ul. Grabiszyńska (the demo premises of
``seed_customers``), a heat network failure under way on ul. Kasprowicza, a planned
electricity outage in Łódź; an approved SMS Alert, an approved e-mail alert and a pending
request; one fault ticket already dispatched. Uses the real services, so the notices go
to the notifier queue (``python -m devstack drain all`` sends them to the outbox).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.services import alerts, faults, outages
from devstack.seed import SeedContext

OPERATOR = Principal("40000001", "operator")
MANAGER_M1 = Principal("30000001", "account_manager", manager_id="M1")

LEGNICKA_LINE = [[17.0205, 51.1128], [17.0100, 51.1149], [16.9950, 51.1178], [16.9800, 51.1212]]
GRABISZYNSKA_LINE = [[17.0150, 51.1040], [17.0000, 51.1003], [16.9850, 51.0962]]
KASPROWICZA_LINE = [[17.0440, 51.1372], [17.0505, 51.1401], [17.0560, 51.1428]]
ZGIERSKA_LINE = [[19.4535, 51.7862], [19.4490, 51.7960], [19.4420, 51.8065]]


def _ring(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def demo_outages(now: datetime) -> list[dict[str, Any]]:
    """The demo outages as operator requests (times relative to ``now``)."""
    local = clock.to_warsaw(now)
    tomorrow = local.date() + timedelta(days=1)
    next_week = local.date() + timedelta(days=7)

    def at(day: Any, hour: int) -> str:
        return datetime.combine(day, time(hour, 0)).isoformat(timespec="minutes")

    return [
        {
            "kind": "planned",
            "product": "heat",
            "city": "Wrocław",
            "streets": [
                {"name": "ul. Legnicka", "buildings": ["10", "12", "14"], "line": LEGNICKA_LINE},
                {
                    "name": "ul. Grabiszyńska",
                    "buildings": ["200", "202", "204"],
                    "line": GRABISZYNSKA_LINE,
                },
            ],
            "area": {"type": "Polygon", "coordinates": [_ring(16.978, 51.094, 17.024, 51.123)]},
            "starts_at": at(tomorrow, 8),
            "expected_end_at": at(tomorrow, 16),
            "description": "Planowana wymiana zasuw na magistrali ciepłowniczej Legnicka–Grabiszyńska. "
            "W tym czasie nie będzie ogrzewania ani ciepłej wody.",
            "request_id": "demo-outage-legnicka",
        },
        {
            "kind": "failure",
            "product": "heat",
            "city": "Wrocław",
            "streets": [{"name": "ul. Kasprowicza", "line": KASPROWICZA_LINE}],
            "area": {"type": "Polygon", "coordinates": [_ring(17.040, 51.134, 17.060, 51.145)]},
            "starts_at": clock.iso(now - timedelta(hours=2)),
            "expected_end_at": clock.iso(now + timedelta(hours=4)),
            "description": "Awaria sieci ciepłowniczej — wyciek na przyłączu. Ekipa pogotowia na miejscu.",
            "request_id": "demo-outage-kasprowicza",
        },
        {
            "kind": "planned",
            "product": "electricity",
            "city": "Łódź",
            "streets": [
                {"name": "ul. Zgierska", "buildings": ["41", "43", "45"], "line": ZGIERSKA_LINE}
            ],
            "starts_at": at(next_week, 9),
            "expected_end_at": at(next_week, 14),
            "description": "Prace modernizacyjne w stacji transformatorowej.",
            "request_id": "demo-outage-zgierska",
        },
    ]


def seed(ctx: SeedContext) -> None:
    jan = Principal("10000001", "customer", customer_nos=("100001",))
    manager = Principal("20000001", "building_manager", customer_nos=("200001", "200002"))

    approved, _ = alerts.request_alert(
        jan, "100001", {"premises_id": "P-100001-1", "phone": "+48600100200"}, "pl"
    )
    alerts.approve(MANAGER_M1, "100001", approved["alert_id"])
    by_mail, _ = alerts.request_alert(
        manager, "200002", {"premises_id": "P-200002-1", "channel": "email"}, "pl"
    )
    alerts.approve(MANAGER_M1, "200002", by_mail["alert_id"])
    alerts.request_alert(
        manager, "200001", {"premises_id": "P-200001-1", "phone": "+48601500600"}, "pl"
    )

    ids = []
    for body in demo_outages(clock.now()):
        feature, _ = outages.create_outage(OPERATOR, body)
        ids.append(feature["id"])

    ticket, _ = faults.report(
        jan,
        "100001",
        {
            "product": "heat",
            "premises_id": "P-100001-1",
            "description": "Od rana zimne kaloryfery i brak ciepłej wody w całym pionie.",
            "contact_phone": "+48600100200",
            "request_id": "demo-fault-legnicka",
        },
    )
    faults.change_status(
        OPERATOR, ticket["ticket_no"], {"status": "dispatched", "note": "Ekipa w drodze."}
    )

    ctx.data["outages"] = ids
    ctx.data["fault_ticket"] = ticket["ticket_no"]
    ctx.notes.append(
        f"outages: {len(ids)} demo outages, SMS Alert for 100001 on, 200001 waiting for "
        f"its manager (30000001); fault ticket {ticket['ticket_no']}; "
        "send queued alerts with `.venv/bin/python -m devstack drain all`"
    )
