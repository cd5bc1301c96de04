"""Outages: operators create, change and close them with a history; the public list is a
GeoJSON FeatureCollection by city, street and time; customers see what touches them."""

from __future__ import annotations

from datetime import UTC, datetime

import jsonschema
import pytest

from chalicelib.schemas.outages import FEATURE_COLLECTION
from tests.integration.outages_support import (  # noqa: F401
    FakeClock,
    _fresh_adapters,
    outage_body,
    receive,
)

DAY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 in Warsaw
AREA = {
    "type": "Polygon",
    "coordinates": [
        [[16.99, 51.11], [17.01, 51.11], [17.01, 51.12], [16.99, 51.12], [16.99, 51.11]]
    ],
}


@pytest.fixture
def clock(monkeypatch):
    return FakeClock(monkeypatch, DAY)


@pytest.fixture
def operator(login_as):
    return login_as("operator")


def _items(prefix: str) -> list[dict]:
    import boto3

    from chalicelib.config import settings

    table = boto3.resource("dynamodb", region_name="eu-central-1").Table(settings().table_name)
    return [i for i in table.scan()["Items"] if str(i["PK"]).startswith(prefix)]


def test_create_change_close_keeps_history(api, aws, clock, operator) -> None:
    r = api.post("/outages", outage_body(area=AREA), headers=operator)
    assert r.status == 201, r.body
    feature = r.json
    oid = feature["id"]
    props = feature["properties"]
    assert props["starts_at"] == "2026-03-12T07:00:00Z"  # 08:00 Warsaw (CET)
    assert props["planned_duration_minutes"] == 480
    assert props["phase"] == "upcoming"
    assert feature["geometry"]["geometries"][0]["type"] == "Polygon"

    r = api.patch(
        f"/outages/{oid}", {"expected_end_at": "2026-03-12T18:30", "version": 1}, headers=operator
    )
    assert r.status == 200, r.body
    assert r.json["properties"]["planned_duration_minutes"] == 630
    assert r.json["properties"]["version"] == 2

    clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    r = api.post(f"/outages/{oid}/close", {"note": "Naprawa zakończona"}, headers=operator)
    assert r.status == 200, r.body
    assert r.json["properties"]["status"] == "closed"
    assert r.json["properties"]["ended_at"] == "2026-03-12T15:00:00Z"

    h = api.get(f"/outages/{oid}/history", headers=operator)
    assert h.status == 200, h.body
    actions = [(e["version"], e["action"]) for e in h.json["history"]]
    assert actions == [(1, "created"), (2, "updated"), (3, "closed")]
    assert h.json["history"][1]["changes"]["expected_end_at"] == {
        "from": "2026-03-12T15:00:00Z",
        "to": "2026-03-12T17:30:00Z",
    }
    assert [n["event"] for n in h.json["notices"]] == ["closed", "created", "end_changed"]


def test_replays_change_nothing(api, aws, clock, operator) -> None:
    body = outage_body(request_id="req-outage-0001")
    first = api.post("/outages", body, headers=operator)
    again = api.post("/outages", body, headers=operator)
    assert first.status == 201 and again.status == 201
    assert first.json["id"] == again.json["id"]
    oid = first.json["id"]
    patch = {"expected_end_at": "2026-03-12T18:00"}
    assert api.patch(f"/outages/{oid}", patch, headers=operator).json["properties"]["version"] == 2
    assert api.patch(f"/outages/{oid}", patch, headers=operator).json["properties"]["version"] == 2
    assert api.post(f"/outages/{oid}/close", {}, headers=operator).status == 200
    assert (
        api.post(f"/outages/{oid}/close", {}, headers=operator).json["properties"]["version"] == 3
    )
    history = api.get(f"/outages/{oid}/history", headers=operator).json["history"]
    assert len(history) == 3
    assert len(_items("OUTAGE#")) == 1 + 3 + 3  # outage, history, notices


def test_stale_version_is_a_conflict(api, aws, clock, operator) -> None:
    oid = api.post("/outages", outage_body(), headers=operator).json["id"]
    assert (
        api.patch(f"/outages/{oid}", {"description": "a", "version": 1}, headers=operator).status
        == 200
    )
    r = api.patch(f"/outages/{oid}", {"description": "b", "version": 1}, headers=operator)
    assert r.status == 409
    assert r.json["code"] == "outages.version_conflict"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"expected_end_at": "2026-03-12T07:00"}, "expected_end_at", "outages.end_before_start"),
        ({"starts_at": "jutro rano"}, "starts_at", "outages.time"),
        ({"area": {"type": "Point", "coordinates": [17.0, 51.1]}}, "area", "outages.area_type"),
        (
            {"area": {"type": "Polygon", "coordinates": [[[17, 51], [18, 51], [18, 52]]]}},
            "area",
            "outages.area_coordinates",
        ),
        (
            {"streets": [{"name": "Legnicka"}, {"name": "ul. Legnicka"}]},
            "streets.1.name",
            "outages.street_twice",
        ),
        (
            {"streets": [{"name": "Legnicka", "line": [[200, 51], [17, 51]]}]},
            "streets.0.line",
            "outages.line_coordinates",
        ),
        ({"kind": "maybe"}, "kind", "field.invalid"),
        ({"streets": []}, "streets", "field.invalid"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    api, aws, clock, operator, change, field, code
) -> None:
    r = api.post("/outages", outage_body(**change), headers={**operator, "Accept-Language": "en"})
    assert r.status == 400, r.body
    assert any(e["field"] == field and e["code"] == code for e in r.json["errors"]), r.json
    assert all(e["message"] for e in r.json["errors"])
    assert _items("OUTAGE") == []
    assert receive("notifier") == []


def test_polish_message_for_bad_time(api, aws, clock, operator) -> None:
    r = api.post("/outages", outage_body(expected_end_at="2026-03-12T06:00"), headers=operator)
    assert r.status == 400
    assert r.json["errors"][0]["message"] == "Przewidywany koniec musi być późniejszy niż początek."


def test_only_operators_change_outages(api, world, aws, clock, login_as) -> None:
    customer = login_as("customer", [world.individual])
    assert api.post("/outages", outage_body(), headers=customer).status == 403
    assert api.post("/outages", outage_body()).status in (401, 403)
    assert _items("OUTAGE") == []


def test_public_list_by_city_street_and_time(api, aws, clock, operator) -> None:
    wro = api.post("/outages", outage_body(), headers=operator).json["id"]
    later = api.post(
        "/outages",
        outage_body(
            streets=[{"name": "ul. Kasprowicza"}],
            starts_at="2026-03-20T08:00",
            expected_end_at="2026-03-20T12:00",
        ),
        headers=operator,
    ).json["id"]
    lodz = api.post(
        "/outages",
        outage_body(
            city="Łódź",
            product="electricity",
            kind="failure",
            streets=[{"name": "ul. Piotrkowska"}],
            starts_at="2026-03-10T09:30",
            expected_end_at="2026-03-10T15:00",
        ),
        headers=operator,
    ).json["id"]

    every = api.get("/outages")  # public: no login
    assert every.status == 200, every.body
    assert every.headers["Content-Type"].startswith("application/geo+json")
    jsonschema.validate(every.json, FEATURE_COLLECTION)
    assert {f["id"] for f in every.json["features"]} == {wro, later, lodz}

    def ids(query: str) -> set[str]:
        r = api.get("/outages?" + query)
        assert r.status == 200, r.body
        return {f["id"] for f in r.json["features"]}

    assert ids("city=wrocław") == {wro, later}
    assert ids("city=Wrocław&street=Legnicka") == {wro}
    assert ids("city=Wrocław&street=ul.%20Kasprowicza") == {later}
    assert ids("date=2026-03-12") == {wro}
    assert ids("date=2026-03-10") == {lodz}
    assert ids("from=2026-03-13&to=2026-03-31") == {later}
    assert ids("product=electricity") == {lodz}
    assert ids("kind=planned&city=Łódź") == set()
    assert api.get("/outages/cities").json["cities"] == ["Łódź", "Wrocław"]

    one = api.get(f"/outages/{wro}")
    assert one.status == 200 and one.json["properties"]["streets"][0]["buildings"] == [
        "10",
        "12",
        "14",
    ]
    assert api.get("/outages/01ZZZZZZZZZZZZZZZZZZZZZZZZ").status == 404


def test_bad_list_query_is_400(api, aws, clock) -> None:
    r = api.get("/outages?from=wczoraj")
    assert r.status == 400 and r.json["errors"][0]["field"] == "from"
    r = api.get("/outages?from=2026-03-12&to=2026-03-01")
    assert r.status == 400 and r.json["errors"][0]["code"] == "outages.query_window"
    assert api.get("/outages?product=gas").status == 400


def test_closed_outage_cannot_change(api, aws, clock, operator) -> None:
    oid = api.post("/outages", outage_body(starts_at="2026-03-10T08:00"), headers=operator).json[
        "id"
    ]
    assert api.post(f"/outages/{oid}/close", {}, headers=operator).status == 200
    r = api.patch(f"/outages/{oid}", {"description": "x"}, headers=operator)
    assert r.status == 409 and r.json["code"] == "outages.closed"
    r = api.post(f"/outages/{oid}/close", {"ended_at": "2026-03-11T08:00"}, headers=operator)
    assert r.status == 200  # already closed: a replay, the future end is not even read


def test_customer_sees_outages_touching_own_premises(
    api, world, aws, clock, operator, login_as
) -> None:
    # Legnicka 12 (individual) is touched; Grabiszyńska whole street: the institution's three.
    api.post("/outages", outage_body(), headers=operator)
    api.post(
        "/outages",
        outage_body(
            streets=[{"name": "Legnicka", "buildings": ["99"]}], starts_at="2026-03-11T08:00"
        ),
        headers=operator,
    )
    me = login_as("customer", [world.individual])
    r = api.get(f"/customers/{world.individual}/outages", headers=me)
    assert r.status == 200, r.body
    assert [o["premises_ids"] for o in r.json["outages"]] == [[world.premises["individual"]]]

    bm = login_as("building_manager", [world.institution])
    r = api.get(f"/customers/{world.institution}/outages", headers=bm)
    assert sorted(r.json["outages"][0]["premises_ids"]) == [
        "P-200001-1",
        "P-200001-2",
        "P-200001-3",
    ]

    assert api.get(f"/customers/{world.other_individual}/outages", headers=me).status == 404
    other = login_as("customer", [world.other_individual])
    assert api.get(f"/customers/{world.other_individual}/outages", headers=other).json == {
        "outages": []
    }


def test_overview_route_is_still_one_query(api, world, aws, clock, operator, login_as) -> None:
    from devstack.metering import count_calls

    api.post("/outages", outage_body(), headers=operator)
    headers = login_as("customer", [world.individual])
    with count_calls() as calls:
        assert api.get(f"/customers/{world.individual}/overview", headers=headers).status == 200
    assert calls.of("dynamodb") == ["GetItem", "Query"], calls.names
