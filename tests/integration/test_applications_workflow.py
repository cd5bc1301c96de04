"""Online applications: a capacity change filed with its attachment, the manager asks for
information, the customer answers, the manager approves; the annex is a contract document,
the capacity in force follows from its date; every transition audited and e-mailed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.integration.selfservice_support import (
    PDF,
    decide,
    file,
    items,
    pdf_attachment,
    sent_mails,
    upload,
)

CAPACITY = {"contract_no": "C-100001-H", "capacity_mw": "0.020", "effective_from": "2026-12-01"}


@pytest.fixture
def jan(world, login_as):
    return login_as("customer", [world.individual])


@pytest.fixture
def anna(world, login_as):
    return login_as("account_manager", manager_id="M1")


def test_capacity_change_from_filing_to_the_annex(api, world, jan, anna) -> None:
    from chalicelib.store.contracts import capacity_on

    filed = file(api, jan, world.individual, "capacity_change", CAPACITY, ("capacity_calculation",))
    app_id = filed["application_id"]
    assert filed["due_date"] == "2026-12-02"  # 14 days from 2026-11-18
    queue = api.get("/workspace/queue", headers=anna).json["items"]
    assert [(q["kind"], q["ref"]) for q in queue] == [("app", app_id)]

    assert decide(api, anna, app_id, "ask").status == 400  # a question needs its text
    asked = decide(api, anna, app_id, "ask", "Proszę o obliczenie dla CWU.")
    assert asked.status == 200 and asked.json["status"] == "needs_info"
    assert api.get("/workspace/queue", headers=anna).json["items"] == []  # waits for the customer
    assert decide(api, anna, app_id, "approve").status == 409  # not while waiting

    more = api.post(
        f"/customers/{world.individual}/applications/{app_id}/attachments",
        {"attachments": [pdf_attachment("other")]},
        headers=jan,
    )
    assert more.status == 201
    upload(more.json["uploads"][0]["upload"])
    answered = api.post(
        f"/customers/{world.individual}/applications/{app_id}/answer",
        {"text": "Dołączam obliczenie z CWU."},
        headers=jan,
    )
    assert answered.status == 200 and answered.json["status"] == "in_review"
    assert len(api.get("/workspace/queue", headers=anna).json["items"]) == 1

    approved = decide(api, anna, app_id, "approve")
    assert approved.status == 200, approved.body
    assert approved.json["status"] == "done"
    assert approved.json["result"]["annex"] == f"annex-{app_id}"
    history = [h["to_status"] for h in approved.json["history"]]
    assert history == ["submitted", "needs_info", "in_review", "approved", "done"]
    assert api.get("/workspace/queue", headers=anna).json["items"] == []

    # the annex is among the customer's documents and on the contract page
    docs = api.get(f"/customers/{world.individual}/documents?kind=annex", headers=jan).json[
        "documents"
    ]
    assert [d["document_id"] for d in docs] == [f"annex-{app_id}"]
    page = api.get(f"/customers/{world.individual}/contract?contract=C-100001-H", headers=jan).json
    assert page["ordered_capacity_mw"] == "0.015"  # in force today
    assert page["upcoming_changes"][0]["capacity_mw"] == "0.020"
    assert any(h["kind"] == "annex" for h in page["history"])
    assert capacity_on("C-100001-H", date(2026, 11, 30)) == Decimal("0.015")
    assert capacity_on("C-100001-H", date(2026, 12, 1)) == Decimal("0.020")

    # a replayed approval adds nothing
    again = decide(api, anna, app_id, "approve")
    assert again.status == 200 and again.json["status"] == "done"
    assert len([i for i in items("CONTRACTLOG#C-100001-H") if i["type"] == "ContractAnnex"]) == 1
    assert len(items(f"DOCS#{world.individual}")) == 1

    # every transition audited and e-mailed to the customer (never to anyone else)
    audits = [i for i in items("AUDIT#") if str(i.get("target")) == f"APP#{app_id}"]
    assert sorted(i["action"] for i in audits) == sorted(
        f"application.{s}" for s in ("submitted", "needs_info", "in_review", "approved", "done")
    )
    mails = [m for m in sent_mails() if app_id in m.text]
    assert len(mails) == 5 and all(m.to == ["jan.kowalski@example.pl"] for m in mails)


def test_submit_refuses_a_missing_or_false_attachment(api, world, jan) -> None:
    r = api.post(
        f"/customers/{world.individual}/applications",
        {
            "type": "capacity_change",
            "fields": CAPACITY,
            "attachments": [pdf_attachment("capacity_calculation")],
        },
        headers=jan,
    )
    app_id = r.json["application"]["application_id"]
    missing = api.post(f"/customers/{world.individual}/applications/{app_id}/submit", headers=jan)
    assert missing.status == 400
    assert missing.json["errors"][0]["code"] == "applications.attachment_missing"
    upload(r.json["uploads"][0]["upload"], b"MZ\x90\x00 not a pdf")
    false = api.post(f"/customers/{world.individual}/applications/{app_id}/submit", headers=jan)
    assert false.status == 400
    assert (
        api.get(f"/customers/{world.individual}/applications", headers=jan).json["applications"]
        == []
    )
    upload(r.json["uploads"][0]["upload"], PDF)
    ok = api.post(f"/customers/{world.individual}/applications/{app_id}/submit", headers=jan)
    assert ok.status == 200 and ok.json["status"] == "submitted"
    replay = api.post(f"/customers/{world.individual}/applications/{app_id}/submit", headers=jan)
    assert replay.status == 200 and replay.json["submitted_at"] == ok.json["submitted_at"]
    assert len([i for i in items("AUDIT#") if str(i.get("target")) == f"APP#{app_id}"]) == 1


def test_a_request_id_files_one_draft(api, world, jan) -> None:
    body = {
        "type": "meter_check",
        "fields": {"meter_serial": "HM-100001", "reason": "Licznik liczy za dużo."},
        "request_id": "req-12345678",
    }
    first = api.post(f"/customers/{world.individual}/applications", body, headers=jan)
    second = api.post(f"/customers/{world.individual}/applications", body, headers=jan)
    assert first.status == second.status == 201
    assert (
        first.json["application"]["application_id"] == second.json["application"]["application_id"]
    )
    assert len([i for i in items("APP#") if i["type"] == "Application"]) == 1


def test_another_customers_application_is_not_found(api, world, jan, login_as) -> None:
    filed = file(
        api,
        jan,
        world.individual,
        "meter_check",
        {"meter_serial": "HM-100001", "reason": "Za dużo."},
    )
    maria = login_as("customer", [world.other_individual])
    piotr = login_as("account_manager", manager_id="M2")
    app_id = filed["application_id"]
    assert (
        api.get(f"/customers/{world.individual}/applications/{app_id}", headers=maria).status == 404
    )
    assert (
        api.get(f"/customers/{world.other_individual}/applications/{app_id}", headers=maria).status
        == 404
    )
    assert decide(api, piotr, app_id, "approve").status == 404  # not Piotr's customer
    assert api.get(f"/applications/{app_id}", headers=piotr).status == 404
