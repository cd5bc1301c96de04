"""Contracts, documents and the regulations: the contract page with its exact terms,
expiry reminders once per contract and stage, the renew action; public documents and the
versioned regulations accepted after login."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest

from tests.integration.selfservice_support import items, sent_mails


@pytest.fixture
def board(world, login_as):
    return login_as("building_manager", [world.institution])


def test_contract_numbers_with_slashes_work(api, world, login_as) -> None:
    from chalicelib.services import customers as svc

    svc.add_contract(
        world.individual,
        "C/2024/0009",
        "P-100001-1",
        "heat",
        "W-1",
        "2024-01-01",
        "2027-06-30",
        Decimal("0.010"),
    )
    jan = login_as("customer", [world.individual])
    page = api.get(
        f"/customers/{world.individual}/contract?contract={quote('C/2024/0009', safe='')}",
        headers=jan,
    )
    assert page.status == 200 and page.json["contract_no"] == "C/2024/0009"


def test_contract_page_shows_the_terms(api, world, login_as) -> None:
    from chalicelib.store.contracts import put_terms

    maria = login_as("customer", [world.other_individual])
    put_terms(
        world.other_individual, "C-100002-E", notice_period_months=1, ppe="PL0037100000123456"
    )
    page = api.get(
        f"/customers/{world.other_individual}/contract?contract=C-100002-E", headers=maria
    )
    assert page.status == 200, page.body
    c = page.json
    assert (c["product"], c["tariff_group"], c["ppe"], c["notice_period_months"]) == (
        "electricity",
        "G11",
        "PL0037100000123456",
        1,
    )
    assert c["parties"]["buyer"]["name"] == "Maria Wiśniewska" and c["parties"]["seller"]["nip"]
    assert c["premises"]["premises_id"] == "P-100002-1" and c["end_date"] is None
    assert c["price_list"]["page"] == "#/tariffs"
    first = api.get(f"/customers/{world.other_individual}/contract", headers=maria).json
    assert first["contract_no"] == "C-100002-E"
    listing = api.get(f"/customers/{world.other_individual}/contracts", headers=maria).json[
        "contracts"
    ]
    assert [x["contract_no"] for x in listing] == ["C-100002-E"]
    # another customer's contract answers 404, whichever number is in the path
    assert (
        api.get(f"/customers/{world.individual}/contract?contract=C-100001-H", headers=maria).status
        == 404
    )
    assert (
        api.get(
            f"/customers/{world.other_individual}/contract?contract=C-100001-H", headers=maria
        ).status
        == 404
    )


def test_expiry_reminders_90_and_30_days_once_per_stage(aws, world) -> None:
    from chalicelib.services.contracts import send_reminders

    def mails() -> list:
        return [m for m in sent_mails() if "C-200001-H" in m.subject]

    # the institution's three contracts end on 2026-12-31
    assert send_reminders(date(2026, 9, 1)).sent == 0  # 121 days before
    first = send_reminders(date(2026, 10, 2))  # 90 days before
    assert first.sent == 3 and len(mails()) == 3
    assert "#/contract?contract=C-200001-H" in mails()[0].text
    again = send_reminders(date(2026, 10, 20))  # still the 90-day stage: nothing new
    assert again.sent == 0 and again.already == 3
    thirty = send_reminders(date(2026, 12, 1))
    assert thirty.sent == 3 and len(mails()) == 6
    assert send_reminders(date(2026, 12, 1)).sent == 0  # a rerun of the day
    assert send_reminders(date(2027, 1, 5)).sent == 0  # ended
    assert len([i for i in items("CONTRACTLOG#") if i["type"] == "ContractReminder"]) == 6


def test_renew_files_one_renewal_application(api, world, board) -> None:
    r = api.post(
        f"/customers/{world.institution}/contracts/renew",
        {"contract_no": "C-200001-H1"},
        headers=board,
    )
    assert r.status == 201, r.body
    assert r.json["type"] == "contract_renewal" and r.json["status"] == "submitted"
    assert r.json["fields"] == {"contract_no": "C-200001-H1", "new_end_date": "2027-12-31"}
    again = api.post(
        f"/customers/{world.institution}/contracts/renew",
        {"contract_no": "C-200001-H1"},
        headers=board,
    )
    assert again.json["application_id"] == r.json["application_id"]
    bad = api.post(
        f"/customers/{world.institution}/contracts/renew",
        {"contract_no": "C-200001-H1", "new_end_date": "2026-02-30"},
        headers=board,
    )
    assert bad.status == 400
    assert (
        api.post(
            f"/customers/{world.institution}/contracts/renew",
            {"contract_no": "C-100001-H"},
            headers=board,
        ).status
        == 404
    )
    assert len([i for i in items("APP#") if i["type"] == "Application"]) == 1


def test_public_documents_and_the_regulations_accepted_after_login(api, world, login_as) -> None:
    from chalicelib.services import documents

    documents.publish(
        "regulations",
        "regulamin-2026-01",
        ("Regulamin e-BOK 2026-01", "e-BOK regulations 2026-01"),
        lines=(["§1 Korzystanie z e-BOK jest bezpłatne."], ["§1 Free of charge."]),
        version="2026-01",
        published_at="2026-01-01T00:00:00Z",
    )
    documents.publish(
        "price_list",
        "cennik-heat-2026",
        ("Cennik ciepła 2026", "Heat price list 2026"),
        lines=(["W-1"], ["W-1"]),
    )
    public = api.get("/public/documents").json
    assert public["free_of_charge"] is True and "bezpłatne" in public["statement_pl"]
    assert {d["document_id"] for d in public["documents"]} == {
        "regulamin-2026-01",
        "cennik-heat-2026",
    }
    assert public["documents"][0]["url"].startswith("https://")

    jan = login_as("customer", [world.individual])
    mine = api.get("/me/regulations", headers=jan).json
    assert mine["accepted"] is False and mine["current"]["version"] == "2026-01"
    assert api.post("/me/regulations", {"version": "2025-07"}, headers=jan).status == 409
    ok = api.post("/me/regulations", {"version": "2026-01"}, headers=jan).json
    assert ok["accepted"] is True
    first_at = ok["accepted_at"]
    assert (
        api.post("/me/regulations", {"version": "2026-01"}, headers=jan).json["accepted_at"]
        == first_at
    )

    admin = login_as("admin")
    assert (
        api.post("/regulations", {"version": "2026-12", "text_pl": "§1"}, headers=jan).status == 403
    )
    bad = api.post(
        "/regulations",
        {"version": "2026-12", "text_pl": "§1", "effective_from": "2026-01-01"},
        headers=admin,
    )
    assert bad.status == 400
    published = api.post(
        "/regulations",
        {"version": "2026-12", "text_pl": "§1 Nowe zasady.", "text_en": "§1 New rules."},
        headers=admin,
    )
    assert published.status == 201, published.body
    assert (
        api.post("/regulations", {"version": "2026-12", "text_pl": "§1"}, headers=admin).status
        == 409
    )
    asked = api.get("/me/regulations", headers=jan).json
    assert asked["accepted"] is False and asked["current"]["version"] == "2026-12"  # asked again


def test_customer_documents_are_the_customers_own(api, world, login_as) -> None:
    from chalicelib.services import documents

    documents.issue(
        documents.NewDocument(
            customer_no=world.individual,
            document_id="contract-C-100001-H",
            kind="contract",
            title=("Umowa", "Contract"),
            lines_pl=["Treść"],
            lines_en=["Text"],
            contract_no="C-100001-H",
        )
    )
    jan = login_as("customer", [world.individual])
    maria = login_as("customer", [world.other_individual])
    docs = api.get(f"/customers/{world.individual}/documents", headers=jan).json["documents"]
    assert [d["document_id"] for d in docs] == ["contract-C-100001-H"]
    one = api.get(f"/customers/{world.individual}/documents/contract-C-100001-H", headers=jan)
    assert one.status == 200 and "contract-C-100001-H" in one.json["url"]
    assert api.get(f"/customers/{world.individual}/documents", headers=maria).status == 404
    assert (
        api.get(
            f"/customers/{world.other_individual}/documents/contract-C-100001-H", headers=maria
        ).status
        == 404
    )
    assert (
        api.get(f"/customers/{world.individual}/documents?kind=secret", headers=jan).status == 400
    )


def test_the_daily_job_runs_as_of_a_given_day(aws, world) -> None:
    import app

    event = {
        "version": "0",
        "id": "x",
        "detail-type": "Scheduled Event",
        "source": "test",
        "account": "1",
        "time": "2026-10-02T06:00:00Z",
        "region": "eu-central-1",
        "resources": [],
        "detail": {"date": "2026-10-02"},
    }
    first = app.app.handler_map["contract_reminders"](event, None)
    assert first["sent"] == 3 and first["day"] == "2026-10-02"
    assert app.app.handler_map["contract_reminders"](event, None)["sent"] == 0
