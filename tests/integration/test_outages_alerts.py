"""SMS Alert: customers ask, only their own account manager switches it on, the customer
switches it off; cities outside the configured list are refused with a clear message."""

from __future__ import annotations

import pytest

from tests.integration.outages_support import _fresh_adapters  # noqa: F401


@pytest.fixture
def jan(world, login_as):
    return login_as("customer", [world.individual])


def _alert_items() -> list[dict]:
    import boto3

    from chalicelib.config import settings

    table = boto3.resource("dynamodb", region_name="eu-central-1").Table(settings().table_name)
    return [i for i in table.scan()["Items"] if str(i["SK"]).startswith("ALERT#")]


def test_request_waits_for_the_customers_own_manager(api, world, jan, login_as) -> None:
    r = api.post(
        f"/customers/{world.individual}/alerts",
        {"premises_id": world.premises["individual"], "phone": "600 100 200"},
        headers=jan,
    )
    assert r.status == 201, r.body
    alert = r.json
    assert alert["status"] == "pending" and alert["phone"] == "+48600100200"
    assert alert["products"] == ["heat"]

    m2 = login_as("account_manager", manager_id="M2")  # not this customer's manager
    assert api.get("/manager/alerts", headers=m2).json == {"alerts": []}
    url = f"/customers/{world.individual}/alerts/{alert['alert_id']}/approve"
    assert api.post(url, headers=m2).status == 404
    assert api.post(url, headers=jan).status == 403  # a customer cannot switch it on
    assert api.post(url, headers=login_as("operator")).status == 403
    assert api.post(url, headers=login_as("admin")).status == 403
    assert _alert_items()[0]["status"] == "pending"

    m1 = login_as("account_manager", manager_id="M1")
    waiting = api.get("/manager/alerts", headers=m1).json["alerts"]
    assert [a["alert_id"] for a in waiting] == [alert["alert_id"]]
    ok = api.post(url, headers=m1)
    assert ok.status == 200 and ok.json["status"] == "active"
    assert api.post(url, headers=m1).json["status"] == "active"  # replay
    assert api.get("/manager/alerts", headers=m1).json == {"alerts": []}
    mine = api.get(f"/customers/{world.individual}/alerts", headers=jan).json
    assert [a["status"] for a in mine["alerts"]] == ["active"]
    assert mine["cities"] == ["Wrocław"]


def test_city_outside_the_list_is_refused_clearly(api, world, login_as) -> None:
    maria = login_as("customer", [world.other_individual])
    body = {"premises_id": world.premises["other"], "phone": "+48600100300"}
    r = api.post(f"/customers/{world.other_individual}/alerts", body, headers=maria)
    assert r.status == 422, r.body
    assert r.json["code"] == "alerts.city_not_covered"
    assert r.json["detail"] == (
        "SMS Alert jest dostępny tylko dla obiektów w miejscowościach: Wrocław. "
        "Obiekt „Dom” leży w miejscowości Łódź."
    )
    en = api.post(
        f"/customers/{world.other_individual}/alerts",
        body,
        headers={**maria, "Accept-Language": "en"},
    )
    assert en.json["detail"].startswith("SMS Alert is available only for premises in: Wrocław.")
    assert _alert_items() == []


def test_configured_cities_come_from_settings(world, monkeypatch) -> None:
    # Called through the service: the Chalice test client re-applies .chalice/config.json.
    from chalicelib.config import settings
    from chalicelib.domain.principal import Principal
    from chalicelib.services import alerts

    maria = Principal("m", "customer", customer_nos=(world.other_individual,))
    body = {"premises_id": world.premises["other"], "phone": "+48600100300"}
    monkeypatch.setenv("SMS_CITIES", "Wrocław, Łódź")
    settings.cache_clear()
    try:
        alert, created = alerts.request_alert(maria, world.other_individual, body, "pl")
    finally:
        monkeypatch.undo()
        settings.cache_clear()
    assert created and alert["status"] == "pending"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"premises_id": "P-100001-1"}, "phone", "alerts.phone_required"),
        ({"premises_id": "P-100001-1", "phone": "12345abcde"}, "phone", "field.phone"),
        (
            {"premises_id": "P-200001-1", "phone": "+48600100200"},
            "premises_id",
            "alerts.premises_unknown",
        ),
        ({"phone": "+48600100200"}, "premises_id", "field.required"),
        ({"premises_id": "P-100001-1", "channel": "pigeon"}, "channel", "field.invalid"),
    ],
)
def test_bad_requests_store_nothing(api, world, jan, body, field, code) -> None:
    r = api.post(f"/customers/{world.individual}/alerts", body, headers=jan)
    assert r.status == 400, r.body
    assert r.json["errors"][0]["field"] == field and r.json["errors"][0]["code"] == code
    assert _alert_items() == []


def test_other_customers_alerts_are_not_found(api, world, jan, login_as) -> None:
    body = {"premises_id": world.premises["other"], "phone": "+48600100300"}
    assert api.post(f"/customers/{world.other_individual}/alerts", body, headers=jan).status == 404
    assert api.get(f"/customers/{world.other_individual}/alerts", headers=jan).status == 404
    bm = login_as("building_manager", [world.institution])
    alert = api.post(
        f"/customers/{world.institution}/alerts",
        {"premises_id": "P-200001-1", "phone": "+48713500600"},
        headers=bm,
    ).json
    r = api.delete(f"/customers/{world.institution}/alerts/{alert['alert_id']}", headers=jan)
    assert r.status == 404
    assert _alert_items()[0]["status"] == "pending"


def test_replay_and_switch_off_and_ask_again(api, world, jan, login_as) -> None:
    body = {"premises_id": world.premises["individual"], "phone": "+48600100200"}
    first = api.post(f"/customers/{world.individual}/alerts", body, headers=jan).json
    again = api.post(
        f"/customers/{world.individual}/alerts", {**body, "phone": "600-100-200"}, headers=jan
    )
    assert again.status == 201 and again.json["alert_id"] == first["alert_id"]
    assert len(_alert_items()) == 1

    m1 = login_as("account_manager", manager_id="M1")
    api.post(f"/customers/{world.individual}/alerts/{first['alert_id']}/approve", headers=m1)
    url = f"/customers/{world.individual}/alerts/{first['alert_id']}"
    off = api.delete(url, headers=jan)
    assert off.status == 200 and off.json["status"] == "off" and off.json["switched_off_at"]
    assert api.delete(url, headers=jan).json["switched_off_at"] == off.json["switched_off_at"]
    item = _alert_items()[0]
    assert "GSI1PK" not in item  # no longer found by the notifier

    renewed = api.post(f"/customers/{world.individual}/alerts", body, headers=jan)
    assert renewed.status == 201 and renewed.json["status"] == "pending"
    assert len(_alert_items()) == 1
    r = api.post(f"/customers/{world.individual}/alerts/{first['alert_id']}/reject", headers=m1)
    assert r.status == 200 and r.json["status"] == "rejected"
    r = api.post(f"/customers/{world.individual}/alerts/{first['alert_id']}/approve", headers=m1)
    assert r.status == 409 and r.json["code"] == "alerts.not_pending"


def test_email_alert_uses_the_profile_address(api, world, jan) -> None:
    r = api.post(
        f"/customers/{world.individual}/alerts",
        {"premises_id": world.premises["individual"], "channel": "email"},
        headers=jan,
    )
    assert (
        r.status == 201 and r.json["email"] == "jan.kowalski@example.pl" and r.json["phone"] is None
    )
