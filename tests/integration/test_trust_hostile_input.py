"""No 500 on hostile input (issue 13, finding 4/5 and the minor ones): every refusal is a
clear 4xx problem document and nothing is stored."""

from __future__ import annotations

import json

import boto3
import pytest

from tests.integration.auth_support import FakeClock
from tests.integration.outages_support import outage_body
from tests.support import DEFAULT_PASSWORD

PROBLEM = "application/problem+json"


def _items(prefix: str) -> list[dict]:
    from chalicelib.config import settings

    table = boto3.resource("dynamodb", region_name="eu-central-1").Table(settings().table_name)
    return [i for i in table.scan()["Items"] if str(i["PK"]).startswith(prefix)]


def _raw(api, path: str, text: str | bytes, headers: dict[str, str] | None = None):
    return api.request(
        "POST",
        path,
        raw=text,
        headers={"Content-Type": "application/json", "Accept-Language": "en", **(headers or {})},
    )


def _problem(r, status: int, code: str | None = None) -> dict:
    assert r.status == status, r.body[:300]
    assert r.headers["Content-Type"].startswith(PROBLEM)
    body = r.json
    if code:
        codes = {body["code"], *(e["code"] for e in body.get("errors", []))}
        assert code in codes, body
    return body


WRITE_ROUTES = ["/auth/login", "/auth/forgot-password", "/registrations/individual", "/auth/mfa"]


@pytest.mark.parametrize("path", WRITE_ROUTES)
def test_json_nested_5000_deep_is_refused_before_parsing(api, aws, path) -> None:
    deep = "[" * 5000 + "]" * 5000
    _problem(_raw(api, path, deep), 400, "request.too_deep")
    deep_obj = '{"a":' * 5000 + "1" + "}" * 5000
    _problem(_raw(api, path, deep_obj), 400, "request.too_deep")


def test_brackets_inside_strings_do_not_count_as_depth(api, world, login_as) -> None:
    r = _raw(
        api, "/auth/login", json.dumps({"username": "12345678", "password": "[{" * 30 + '\\"['})
    )
    assert r.status == 401, r.body  # parsed and refused as a wrong login, not as too deep


def test_an_oversized_body_is_413(api, aws) -> None:
    big = json.dumps({"username": "1" * 200_000, "password": "x"})
    body = _problem(_raw(api, "/auth/login", big), 413, "request.too_large")
    assert "65536" in body["detail"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1E+400", "1" + "0" * 40])
def test_non_finite_or_huge_numbers_are_400(api, world, login_as, number) -> None:
    headers = login_as("customer", [world.individual])
    before = _items("PAY")
    r = _raw(
        api,
        f"/customers/{world.individual}/payments",
        '{"amount_grosze": ' + number + "}",
        headers=headers,
    )
    _problem(r, 400, "request.bad_number")
    assert _items("PAY") == before


@pytest.mark.parametrize("text", ["Jan\u0000Kowalski", "Jan\ud800", "a\u001bb", "\x7f"])
def test_control_characters_and_lone_surrogates_are_400(api, world, login_as, text) -> None:
    headers = login_as("customer", [world.individual])
    body = {
        "product": "heat",
        "premises_id": "P-100001-1",
        "description": "Zimne kaloryfery " + text,
        "contact_phone": "600 100 200",
    }
    # json.dumps escapes the surrogate as \\ud800: exactly what a hostile client sends.
    r = _raw(api, f"/customers/{world.individual}/faults", json.dumps(body), headers=headers)
    body = _problem(r, 400, "request.bad_text")
    assert body["errors"][0]["field"] == "description"
    assert _items("FAULT") == []


def test_line_breaks_and_tabs_stay_allowed(api, world, login_as) -> None:
    headers = login_as("customer", [world.individual])
    body = {
        "product": "heat",
        "premises_id": "P-100001-1",
        "description": "Zimne kaloryfery.\r\n\tOd rana.",
        "contact_phone": "600 100 200",
    }
    r = api.post(f"/customers/{world.individual}/faults", body, headers=headers)
    assert r.status == 201, r.body


def test_a_nul_in_a_query_string_is_400(api, world, login_as) -> None:
    headers = login_as("admin")
    r = api.get("/admin/audit?cursor=abc%00", headers=headers)
    _problem(r, 400, "request.bad_text")


@pytest.mark.parametrize("path", ["/auth/mfa", "/auth/new-password"])
def test_a_short_cognito_session_is_401_not_500(api, world, login_as, path) -> None:
    body = {"username": "12345678", "session": "short", "code": "123456"}
    if path == "/auth/new-password":
        body = {"username": "12345678", "session": "x", "new_password": "Nowe-Haslo-2026"}
    r = api.post(path, body)
    _problem(r, 401, "auth.session_expired")


def test_a_password_cognito_cannot_take_is_a_failed_login(api, world, login_as) -> None:
    r = api.post("/auth/login", {"username": "12345678", "password": ""})
    assert r.status in (400, 401), r.body


def test_an_outage_starting_in_1900_is_refused(api, aws, login_as, monkeypatch) -> None:
    operator = login_as("operator")
    r = api.post(
        "/outages",
        outage_body(starts_at="1900-01-01T08:00", expected_end_at="1900-01-01T10:00"),
        headers=operator,
    )
    _problem(r, 400, "outages.time")
    assert _items("OUTAGE") == []


@pytest.mark.parametrize("value", ["2026-02-30", "1899-12-31", "2100-01-01", "0000-01-01"])
def test_impossible_or_far_dates_are_refused(value) -> None:
    from chalicelib.api._http import FORMATS

    assert FORMATS["date"](value) is False
    assert FORMATS["date"]("2026-02-28") is True
    assert FORMATS["date-time"]("2026-02-28T10:00:00+01:00") is True
    assert FORMATS["date-time"](value + "T10:00:00Z") is False


def test_423_title_has_the_minutes_filled(api, world, login_as, monkeypatch) -> None:
    from chalicelib.services.identity import verify_access_token

    FakeClock(monkeypatch)
    headers = login_as("customer", [world.individual])
    username = str(verify_access_token(headers["Authorization"])["username"])
    for _ in range(5):
        api.post("/auth/login", {"username": username, "password": "Zle-Haslo-1234"})
    r = api.post(
        "/auth/login",
        {"username": username, "password": DEFAULT_PASSWORD},
        headers={"Accept-Language": "en"},
    )
    body = _problem(r, 423, "auth.locked")
    assert "{" not in body["title"] and "{" not in body["detail"]
    assert "15" in body["title"]


def test_415_is_a_problem_document(api, aws) -> None:
    r = api.request(
        "POST",
        "/auth/login",
        raw="username=1&password=2",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"},
    )
    body = _problem(r, 415, "request.unsupported_media")
    assert "application/x-www-form-urlencoded" in body["detail"]


def test_405_is_a_problem_document(api, aws) -> None:
    r = api.request("DELETE", "/auth/login", check=False)
    assert r.status == 405
    assert r.headers["Content-Type"].startswith(PROBLEM)


def test_a_lone_surrogate_on_faults_is_400_not_409(api, world, login_as) -> None:
    """Minor finding: the surrogate reached the store, the write failed and was reported as
    a conflict (409)."""
    headers = login_as("customer", [world.individual])
    raw = (
        '{"product": "heat", "premises_id": "P-100001-1", "contact_phone": "600 100 200",'
        ' "description": "Zimne kaloryfery \\udc00 od rana"}'
    )
    r = _raw(api, f"/customers/{world.individual}/faults", raw, headers=headers)
    _problem(r, 400, "request.bad_text")
