"""Fault reports: a numbered ticket the reporter follows, status moved forward by
operators, photos through presigned uploads with type and size limits."""

from __future__ import annotations

import pytest

from tests.integration.outages_support import _fresh_adapters  # noqa: F401

REPORT = {
    "product": "heat",
    "premises_id": "P-100001-1",
    "description": "Zimne kaloryfery w całym mieszkaniu od rana.",
    "contact_phone": "600 100 200",
}


@pytest.fixture
def jan(world, login_as):
    return login_as("customer", [world.individual])


def _fault_items() -> list[dict]:
    import boto3

    from chalicelib.config import settings

    table = boto3.resource("dynamodb", region_name="eu-central-1").Table(settings().table_name)
    return [i for i in table.scan()["Items"] if str(i["PK"]).startswith("FAULT")]


def test_report_follow_and_operator_moves_status(api, world, jan, login_as) -> None:
    r = api.post(f"/customers/{world.individual}/faults", REPORT, headers=jan)
    assert r.status == 201, r.body
    ticket = r.json
    assert ticket["ticket_no"].startswith("AW-") and ticket["ticket_no"].endswith("-000001")
    assert ticket["status"] == "received" and ticket["emergency_phone"] == "993"
    assert (
        ticket["address"]["street"] == "ul. Legnicka" and ticket["contact_phone"] == "+48600100200"
    )
    second = api.post(
        f"/customers/{world.individual}/faults",
        {
            **REPORT,
            "premises_id": None,
            "product": "electricity",
            "address": {
                "street": "ul. Legnicka",
                "building": "12",
                "postal_code": "53-674",
                "city": "Wrocław",
            },
        },
        headers=jan,
    )
    assert second.status == 400  # premises_id must be a string when given
    second = api.post(
        f"/customers/{world.individual}/faults",
        {k: v for k, v in REPORT.items() if k != "premises_id"}
        | {
            "product": "electricity",
            "address": {
                "street": "ul. Legnicka",
                "building": "12",
                "postal_code": "53-674",
                "city": "Wrocław",
            },
        },
        headers=jan,
    )
    assert second.status == 201 and second.json["ticket_no"].endswith("-000002")
    assert second.json["emergency_phone"] == "991"

    op = login_as("operator")
    queue = api.get("/faults", headers=op).json["tickets"]
    assert [t["ticket_no"] for t in queue] == [ticket["ticket_no"], second.json["ticket_no"]]
    no = ticket["ticket_no"]
    for status in ("dispatched", "in_progress"):
        r = api.patch(f"/faults/{no}", {"status": status, "note": "ok"}, headers=op)
        assert r.status == 200 and r.json["status"] == status
    r = api.patch(f"/faults/{no}", {"status": "in_progress"}, headers=op)  # replay
    assert r.status == 200 and len(r.json["history"]) == 3
    r = api.patch(f"/faults/{no}", {"status": "received"}, headers=op)
    assert r.status == 409 and r.json["code"] == "faults.transition"
    assert api.patch(f"/faults/{no}", {"status": "resolved"}, headers=op).status == 200
    assert [t["ticket_no"] for t in api.get("/faults", headers=op).json["tickets"]] == [
        second.json["ticket_no"]
    ]

    mine = api.get(f"/customers/{world.individual}/faults/{no}", headers=jan).json
    assert [h["status"] for h in mine["history"]] == [
        "received",
        "dispatched",
        "in_progress",
        "resolved",
    ]
    listed = api.get(f"/customers/{world.individual}/faults", headers=jan).json["tickets"]
    assert {t["ticket_no"] for t in listed} == {no, second.json["ticket_no"]}


def test_customers_cannot_move_status(api, world, jan) -> None:
    no = api.post(f"/customers/{world.individual}/faults", REPORT, headers=jan).json["ticket_no"]
    assert api.patch(f"/faults/{no}", {"status": "resolved"}, headers=jan).status == 403
    assert api.get("/faults", headers=jan).status == 403


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"contact_phone": "zadzwoń do mnie"}, "contact_phone", "field.phone"),
        ({"premises_id": "P-100002-1"}, "premises_id", "faults.premises_unknown"),
        ({"premises_id": None}, "premises_id", "field.invalid"),
        ({"product": "gas"}, "product", "field.invalid"),
        ({"description": "zimno"[:3]}, "description", "field.invalid"),
    ],
)
def test_bad_reports_store_nothing(api, world, jan, change, field, code) -> None:
    r = api.post(f"/customers/{world.individual}/faults", {**REPORT, **change}, headers=jan)
    assert r.status == 400, r.body
    assert r.json["errors"][0]["field"] == field and r.json["errors"][0]["code"] == code
    assert _fault_items() == []


def test_report_without_premises_or_address_is_refused(api, world, jan) -> None:
    body = {k: v for k, v in REPORT.items() if k != "premises_id"}
    r = api.post(f"/customers/{world.individual}/faults", body, headers=jan)
    assert r.status == 400 and r.json["errors"][0]["code"] == "faults.address_required"
    assert _fault_items() == []


def test_replayed_report_is_one_ticket(api, world, jan) -> None:
    body = {**REPORT, "request_id": "fault-req-0001"}
    a = api.post(f"/customers/{world.individual}/faults", body, headers=jan).json
    b = api.post(f"/customers/{world.individual}/faults", body, headers=jan).json
    assert a["ticket_no"] == b["ticket_no"]
    assert len([i for i in _fault_items() if i["SK"] == "TICKET"]) == 1


def test_other_customers_tickets_are_not_found(api, world, jan, login_as) -> None:
    no = api.post(f"/customers/{world.individual}/faults", REPORT, headers=jan).json["ticket_no"]
    maria = login_as("customer", [world.other_individual])
    assert api.get(f"/customers/{world.individual}/faults/{no}", headers=maria).status == 404
    assert api.get(f"/customers/{world.other_individual}/faults/{no}", headers=maria).status == 404
    assert api.post(f"/customers/{world.individual}/faults", REPORT, headers=maria).status == 404
    assert api.get(f"/customers/{world.other_individual}/faults", headers=maria).json == {
        "tickets": []
    }


def test_photo_uploads_are_limited(api, world, jan) -> None:
    no = api.post(f"/customers/{world.individual}/faults", REPORT, headers=jan).json["ticket_no"]
    url = f"/customers/{world.individual}/faults/{no}/photos"
    r = api.post(url, {"content_type": "application/pdf", "size": 1000}, headers=jan)
    assert r.status == 400 and r.json["errors"][0]["code"] == "faults.photo_type"
    r = api.post(url, {"content_type": "image/jpeg", "size": 11 * 1024 * 1024}, headers=jan)
    assert r.status == 400 and r.json["errors"][0]["message"] == "Zdjęcie może mieć najwyżej 10 MB."
    assert [i for i in _fault_items() if str(i["SK"]).startswith("PHOTO#")] == []

    r = api.post(url, {"content_type": "image/jpeg", "size": 2000}, headers=jan)
    assert r.status == 201, r.body
    upload = r.json["upload"]
    assert upload["fields"]["Content-Type"] == "image/jpeg"
    assert upload["fields"]["key"].startswith(f"faults/{no}/")
    # The browser posts the form straight to S3 (moto does not check the policy).
    import requests

    files = {"file": ("kaloryfer.jpg", b"\xff\xd8\xff" + b"0" * 1997, "image/jpeg")}
    resp = requests.post(upload["url"], data=upload["fields"], files=files, timeout=10)
    assert resp.status_code in (200, 201, 204)
    ticket = api.get(f"/customers/{world.individual}/faults/{no}", headers=jan).json
    assert ticket["photo_count"] == 1 and ticket["photos"][0]["url"].startswith("https://")

    for _ in range(4):
        assert api.post(url, {"content_type": "image/png", "size": 10}, headers=jan).status == 201
    r = api.post(url, {"content_type": "image/png", "size": 10}, headers=jan)
    assert r.status == 409 and r.json["code"] == "faults.photo_limit"
    assert len([i for i in _fault_items() if str(i["SK"]).startswith("PHOTO#")]) == 5
