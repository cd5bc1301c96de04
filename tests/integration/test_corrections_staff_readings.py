"""Staff-entered readings (issue 13, item 7 and item 1): recorded as staff-entered with a
reason and audited; they never block the customer's own reading of that day, and an
implausible one is decided by another person."""

from __future__ import annotations

from chalicelib.domain import readings as rd
from tests.integration.invoicing_helpers import put_reading


def _url(w) -> str:
    return f"/customers/{w.individual}/meters/{w.meters['individual_heat']}/readings"


def _history(w) -> list:
    from chalicelib.store import readings as store

    return store.history(w.meters["individual_heat"])


def _seed(w) -> None:
    serial, contract = w.meters["individual_heat"], w.contracts["individual_heat"]
    put_reading(serial, w.individual, contract, "2026-09-30", heat_gj="100.000", water_m3="10.000")
    put_reading(serial, w.individual, contract, "2026-10-31", heat_gj="103.000", water_m3="10.500")


def test_staff_reading_needs_a_reason_and_is_recorded_as_staff(api, world, login_as) -> None:
    from chalicelib.services import audit
    from chalicelib.store.customers import customer_target

    _seed(world)
    operator = login_as("account_manager", manager_id="M1")
    body = {"read_on": "2026-11-10", "values": {"heat_gj": "104.000", "water_m3": "10.600"}}
    r = api.post(_url(world), body, headers=operator)
    assert r.status == 400 and r.json["errors"][0]["field"] == "reason"
    assert len(_history(world)) == 2  # nothing stored
    r = api.post(_url(world), {**body, "reason": "odczyt telefoniczny"}, headers=operator)
    assert r.status == 201, r.body
    assert r.json["kind"] == "staff" and r.json["reason"] == "odczyt telefoniczny"
    again = api.post(_url(world), {**body, "reason": "odczyt telefoniczny"}, headers=operator)
    assert again.status == 201 and again.json["replayed"] is True
    entries = [
        e
        for e in audit.of_target(customer_target(world.individual))
        if e["action"] == "reading.staff_entered"
    ]
    assert len(entries) == 1 and entries[0]["after"]["reason"] == "odczyt telefoniczny"


def test_staff_reading_never_blocks_the_customers_own(api, world, login_as) -> None:
    """The audit: an operator's reading stored as the customer's own blocked the customer
    that day. Now the customer's own reading of the day is accepted and wins the billing."""
    _seed(world)
    operator = login_as("account_manager", manager_id="M1")
    staff = {
        "read_on": "2026-11-10",
        "values": {"heat_gj": "104.500", "water_m3": "10.600"},
        "reason": "odczyt telefoniczny",
    }
    assert api.post(_url(world), staff, headers=operator).status == 201
    customer = login_as("customer", [world.individual])
    own = {"read_on": "2026-11-10", "values": {"heat_gj": "104.200", "water_m3": "10.600"}}
    r = api.post(_url(world), own, headers=customer)
    assert r.status == 201 and r.json["kind"] == "customer", r.body
    kinds = sorted(x.kind for x in _history(world) if x.read_on == "2026-11-10")
    assert kinds == ["customer", "staff"]
    points = [
        rd.Point(
            read_on=__import__("datetime").date.fromisoformat(x.read_on),
            values=x.values,
            kind=x.kind,
            key=x.key,
        )
        for x in _history(world)
    ]
    kept = rd.superseded_removed(points)
    assert [p.kind for p in kept if str(p.read_on) == "2026-11-10"] == ["customer"]
    # ...and a staff reading over the customer's own of that day is refused.
    r = api.post(_url(world), {**staff, "read_on": "2026-11-10"}, headers=login_as("admin"))
    assert r.status == 409 and r.json["code"] == "readings.customer_reading_exists"


def test_implausible_staff_reading_is_decided_by_someone_else(api, world, login_as) -> None:
    _seed(world)
    operator, other = login_as("admin"), login_as("operator")
    body = {
        "read_on": "2026-11-10",
        "values": {"heat_gj": "190.000", "water_m3": "10.600"},
        "reason": "protokół z wymiany",
    }
    r = api.post(_url(world), body, headers=operator)
    assert r.status == 201 and r.json["status"] == "review", r.body
    decision = f"/meters/{world.meters['individual_heat']}/readings/{r.json['reading_id']}/decision"
    same = api.post(decision, {"decision": "accept"}, headers=operator)
    assert same.status == 403 and same.json["code"] == "readings.four_eyes_same_person"
    ok = api.post(decision, {"decision": "reject"}, headers=other)
    assert ok.status == 200 and ok.json["status"] == "rejected"


def test_staff_reading_for_another_customers_meter_is_not_found(api, world, login_as) -> None:
    _seed(world)
    r = api.post(
        f"/customers/{world.other_individual}/meters/{world.meters['individual_heat']}/readings",
        {"values": {"heat_gj": "104"}, "reason": "cudzy licznik"},
        headers=login_as("account_manager", manager_id="M1"),
    )
    assert r.status == 404
