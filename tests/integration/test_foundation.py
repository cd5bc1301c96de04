"""Foundation: health, overview in one Query, access rules, problems, OpenAPI."""

from __future__ import annotations

from tests.support import ApiClient


def test_health_reports_table_and_buckets(api: ApiClient) -> None:
    r = api.get("/health")
    assert r.status == 200
    assert r.json["status"] == "ok"
    assert set(r.json["checks"]) == {
        "table",
        "documents_bucket",
        "invoices_bucket",
        "reports_bucket",
        "statements_bucket",
    }


def test_overview_of_own_account(api, world, login_as) -> None:
    headers = login_as("customer", [world.individual])
    r = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert r.status == 200, r.body
    body = r.json
    assert body["customer"]["name"] == "Jan Kowalski"
    assert body["account_manager"]["name"] == "Anna Nowak"
    assert [c["contract_no"] for c in body["contracts"]] == [world.contracts["individual_heat"]]
    assert body["meters"][0]["registers"] == ["heat_gj", "water_m3"]
    assert "pesel" not in body["customer"]


def test_other_customers_overview_is_not_found(api, world, login_as) -> None:
    headers = login_as("customer", [world.individual])
    r = api.get(f"/customers/{world.other_individual}/overview", headers=headers)
    assert r.status == 404
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert "Maria" not in r.text


def test_account_manager_sees_only_assigned_customers(api, world, login_as) -> None:
    headers = login_as("account_manager", manager_id="M1")
    assert api.get(f"/customers/{world.individual}/overview", headers=headers).status == 200
    assert api.get(f"/customers/{world.other_individual}/overview", headers=headers).status == 404


def test_building_manager_sees_many_premises(api, world, login_as) -> None:
    headers = login_as("building_manager", [world.institution])
    body = api.get(f"/customers/{world.institution}/overview", headers=headers).json
    assert len(body["premises"]) == 3
    assert {c["tariff_group"] for c in body["contracts"]} == {"W-2"}


def test_anonymous_and_forged_tokens_are_refused(api, world) -> None:
    assert api.get(f"/customers/{world.individual}/overview").status in (401, 403)
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"}
    assert api.get(f"/customers/{world.individual}/overview", headers=forged).status in (401, 403)


def test_problem_message_follows_accept_language(api, world, login_as) -> None:
    headers = login_as("customer", [world.individual])
    pl = api.get(f"/customers/{world.other_individual}/overview", headers=headers)
    en = api.get(
        f"/customers/{world.other_individual}/overview",
        headers={**headers, "Accept-Language": "en-GB,en;q=0.9"},
    )
    assert pl.json["detail"] == "Nie znaleziono zasobu."
    assert en.json["detail"] == "The resource was not found."


def test_overview_is_one_dynamodb_query(api, world, login_as) -> None:
    from devstack.metering import count_calls

    headers = login_as("customer", [world.individual])
    with count_calls() as calls:
        assert api.get(f"/customers/{world.individual}/overview", headers=headers).status == 200
    # The authorizer's GetItem of the login (not cached: logout is immediate), then the
    # route's single Query over the customer's item collection.
    assert calls.of("dynamodb") == ["GetItem", "Query"], calls.names
