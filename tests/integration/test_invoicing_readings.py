"""Meter readings: self-reading, CSV import by operators, review, estimates reconciled."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib.domain import clock
from tests.integration.invoicing_helpers import (
    invoices_of,
    invoicing_job,
    load_tariffs,
    put_reading,
)


def today() -> date:
    return clock.to_warsaw(clock.now()).date()


def days_ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


def stored(serial: str) -> list:
    from chalicelib.store import readings

    return readings.history(serial)


def test_self_reading_is_stored_and_shown_as_current(api, world, login_as) -> None:
    w = world
    serial = w.meters["individual_heat"]
    put_reading(
        serial,
        w.individual,
        w.contracts["individual_heat"],
        days_ago(30),
        heat_gj="100.000",
        water_m3="10.000",
    )
    headers = login_as("customer", [w.individual])
    r = api.post(
        f"/customers/{w.individual}/meters/{serial}/readings",
        {"values": {"heat_gj": "102,5", "water_m3": "10.4"}},
        headers=headers,
    )
    assert r.status == 201, r.body
    assert (
        r.json["status"] == "accepted"
        and r.json["kind"] == "customer"
        and r.json["message"] == "Odczyt przyjęty."
    )
    h = api.get(f"/customers/{w.individual}/meters/{serial}/readings", headers=headers)
    assert h.status == 200
    assert h.json["current"]["values"] == {"heat_gj": "102.5", "water_m3": "10.4"}
    assert [x["kind"] for x in h.json["readings"]] == ["customer", "remote"]
    # The same reading again is a replay: nothing new.
    again = api.post(
        f"/customers/{w.individual}/meters/{serial}/readings",
        {"values": {"heat_gj": "102.500", "water_m3": "10.400"}},
        headers=headers,
    )
    assert again.status == 201 and again.json["replayed"] is True
    assert len(stored(serial)) == 2
    changed = api.post(
        f"/customers/{w.individual}/meters/{serial}/readings",
        {"values": {"heat_gj": "103", "water_m3": "10.4"}},
        headers=headers,
    )
    assert changed.status == 409 and len(stored(serial)) == 2


def test_reading_below_the_previous_is_refused_with_a_clear_message(api, world, login_as) -> None:
    w = world
    serial = w.meters["other_power"]
    put_reading(serial, w.other_individual, w.contracts["other_power"], days_ago(20), total="5000")
    headers = login_as("customer", [w.other_individual])
    r = api.post(
        f"/customers/{w.other_individual}/meters/{serial}/readings",
        {"values": {"total": "4999.9"}},
        headers=headers,
    )
    assert r.status == 422, r.body
    (error,) = r.json["errors"]
    assert error["field"] == "values.total" and error["code"] == "readings.below_previous"
    assert (
        "4999,9" in error["message"] and "5000" in error["message"] and "niższy" in error["message"]
    )
    en = api.post(
        f"/customers/{w.other_individual}/meters/{serial}/readings",
        {"values": {"total": "4999.9"}},
        headers={**headers, "Accept-Language": "en"},
    )
    assert "lower than the previous reading" in en.json["errors"][0]["message"]
    assert [x.kind for x in stored(serial)] == ["remote"]


def test_lower_value_is_accepted_after_a_recorded_meter_change(api, world, login_as) -> None:
    w = world
    serial = w.meters["other_power"]
    put_reading(serial, w.other_individual, w.contracts["other_power"], days_ago(20), total="5000")
    operator = login_as("operator")
    csv_text = f"serial;read_on;total;meter_change;old_total\n{serial};{days_ago(10)};3;1;5040\n"
    r = api.request(
        "POST", "/readings/import", raw=csv_text, headers={**operator, "Content-Type": "text/csv"}
    )
    assert r.status == 200, r.body
    assert r.json["accepted"] == 1 and r.json["rejected"] == []
    headers = login_as("customer", [w.other_individual])
    ok = api.post(
        f"/customers/{w.other_individual}/meters/{serial}/readings",
        {"values": {"total": "40"}},
        headers=headers,
    )
    assert ok.status == 201, ok.body


def test_bad_self_readings_are_refused_and_store_nothing(api, world, login_as) -> None:
    w = world
    serial = w.meters["individual_heat"]
    headers = login_as("customer", [w.individual])
    url = f"/customers/{w.individual}/meters/{serial}/readings"
    cases = [
        ({"values": {"heat_gj": "abc", "water_m3": "1"}}, "values.heat_gj"),
        ({"values": {"heat_gj": "1"}}, "values.water_m3"),
        ({"values": {"heat_gj": "1", "water_m3": "1", "total": "1"}}, "values.total"),
        ({"values": {"heat_gj": "-1", "water_m3": "1"}}, "values.heat_gj"),
        ({"values": {"heat_gj": "1.23456", "water_m3": "1"}}, "values.heat_gj"),
        (
            {
                "read_on": (today() + timedelta(days=1)).isoformat(),
                "values": {"heat_gj": "1", "water_m3": "1"},
            },
            "read_on",
        ),
        ({"read_on": days_ago(60), "values": {"heat_gj": "1", "water_m3": "1"}}, "read_on"),
    ]
    for body, field in cases:
        r = api.post(url, body, headers=headers)
        assert r.status == 400, (body, r.body)
        assert field in [e["field"] for e in r.json["errors"]], (body, r.json)
    assert api.post(url, {"values": {}}, headers=headers).status == 400
    assert (
        api.post(
            url, raw="{not json", headers={**headers, "Content-Type": "application/json"}
        ).status
        == 400
    )
    assert stored(serial) == []


def test_another_customers_meter_is_not_found(api, world, login_as) -> None:
    w = world
    headers = login_as("customer", [w.individual])
    other = w.meters["other_power"]
    assert (
        api.get(f"/customers/{w.other_individual}/meters/{other}/readings", headers=headers).status
        == 404
    )
    assert (
        api.get(f"/customers/{w.individual}/meters/{other}/readings", headers=headers).status == 404
    )
    r = api.post(
        f"/customers/{w.individual}/meters/{other}/readings",
        {"values": {"total": "1"}},
        headers=headers,
    )
    assert r.status == 404 and stored(other) == []


def test_implausible_reading_goes_to_review_and_an_operator_decides(api, world, login_as) -> None:
    w = world
    serial = w.meters["other_power"]
    for i, months_back in enumerate(range(12, 0, -1)):
        put_reading(
            serial,
            w.other_individual,
            w.contracts["other_power"],
            days_ago(30 * months_back + 5),
            total=str(1000 + 150 * i),
        )
    headers = login_as("customer", [w.other_individual])
    r = api.post(
        f"/customers/{w.other_individual}/meters/{serial}/readings",
        {"values": {"total": "9000"}},
        headers=headers,
    )
    assert r.status == 201, r.body
    assert r.json["status"] == "review" and "weryfikacji" in r.json["message"]
    operator = login_as("operator")
    queue = api.get("/readings/review", headers=operator)
    assert queue.status == 200 and [x["serial"] for x in queue.json["readings"]] == [serial]
    assert api.get("/readings/review", headers=headers).status == 403
    rid = r.json["reading_id"]
    d = api.post(
        f"/meters/{serial}/readings/{rid}/decision", {"decision": "accept"}, headers=operator
    )
    assert d.status == 200 and d.json["status"] == "accepted"
    assert (
        api.post(
            f"/meters/{serial}/readings/{rid}/decision", {"decision": "reject"}, headers=operator
        ).status
        == 409
    )
    assert api.get("/readings/review", headers=operator).json["readings"] == []


def test_csv_import_reports_rejected_rows_and_replay_stores_nothing(api, world, login_as) -> None:
    w = world
    put_reading(
        w.meters["other_power"],
        w.other_individual,
        w.contracts["other_power"],
        "2026-09-30",
        total="5000",
    )
    operator = login_as("operator")
    csv_text = (
        "numer_licznika;data_odczytu;heat_gj;water_m3;total\n"
        f"{w.meters['individual_heat']};2026-10-31;103,456;10,85;\n"  # 2: ok
        f"{w.meters['other_power']};2026-10-31;;;5250\n"  # 3: ok
        "XX-404;2026-10-31;;;1\n"  # 4: unknown meter
        f"{w.meters['other_power']};2026-10-15;;;4000\n"  # 5: below 5000 (30.09)
        f"{w.meters['individual_heat']};2026-13-01;1;1;\n"  # 6: bad date
        f"{w.meters['individual_heat']};2026-10-15;abc;;\n"  # 7: bad value and missing register
        "HM-200001-1;2026-10-31;1000;50;7\n"  # 8: a register the meter does not have
    )
    headers = {**operator, "Content-Type": "text/csv"}
    r = api.request("POST", "/readings/import", raw=csv_text.encode("utf-8"), headers=headers)
    assert r.status == 200, r.body
    report = r.json
    assert (report["rows"], report["accepted"], report["review"], report["duplicates"]) == (
        7,
        2,
        0,
        0,
    )
    rejected = {x["line"]: {e["code"] for e in x["errors"]} for x in report["rejected"]}
    assert rejected == {
        4: {"readings.unknown_meter"},
        5: {"readings.below_previous"},
        6: {"readings.bad_date"},
        7: {"readings.bad_value", "field.required"},
        8: {"readings.unknown_register"},
    }
    assert all(e["message"] for x in report["rejected"] for e in x["errors"])
    replay = api.request(
        "POST", "/readings/import", raw=csv_text.encode("utf-8"), headers=headers
    ).json
    assert (replay["accepted"], replay["duplicates"], len(replay["rejected"])) == (0, 2, 5)
    assert (
        len(stored(w.meters["other_power"])) == 2 and len(stored(w.meters["individual_heat"])) == 1
    )


def test_csv_import_bad_file_and_roles(api, world, login_as) -> None:
    operator = {**login_as("operator"), "Content-Type": "text/csv"}
    for raw in (b"", b"a;b;c\n1;2;3\n", b"serial;read_on;total\n", b"\xff\xfe\x00bad"):
        r = api.request("POST", "/readings/import", raw=raw, headers=operator)
        assert r.status == 400, (raw, r.body)
    customer = {**login_as("customer", [world.individual]), "Content-Type": "text/csv"}
    body = f"serial;read_on;total\n{world.meters['other_power']};2026-10-31;1\n"
    assert api.request("POST", "/readings/import", raw=body, headers=customer).status == 403
    assert stored(world.meters["other_power"]) == []


def test_estimate_is_reconciled_by_the_next_actual_reading(api, world, login_as) -> None:
    w = world
    load_tariffs()
    serial = w.meters["other_power"]
    put_reading(serial, w.other_individual, w.contracts["other_power"], "2026-08-31", total="4700")
    put_reading(serial, w.other_individual, w.contracts["other_power"], "2026-09-30", total="5000")
    invoicing_job("2026-10")  # no October reading: estimated
    est = [x for x in stored(serial) if x.kind == "estimate"]
    assert len(est) == 1 and est[0].read_on == "2026-10-31" and not est[0].reconciled_by
    october = invoices_of(w.other_individual)[0]
    assert october.estimated
    estimated_total = est[0].values["total"]
    headers = login_as("customer", [w.other_individual])
    # lower than the estimate but above the last actual reading: accepted
    actual = str(estimated_total - 10)
    r = api.post(
        f"/customers/{w.other_individual}/meters/{serial}/readings",
        {"values": {"total": actual}},
        headers=headers,
    )
    assert r.status == 201, r.body
    est = [x for x in stored(serial) if x.kind == "estimate"]
    assert est[0].reconciled_by == r.json["reading_id"].rsplit("-", 1)[0] + "#C"
    history = api.get(
        f"/customers/{w.other_individual}/meters/{serial}/readings", headers=headers
    ).json
    assert history["current"]["kind"] == "customer"
    assert any(x["kind"] == "estimate" and x["reconciled_by"] for x in history["readings"])
