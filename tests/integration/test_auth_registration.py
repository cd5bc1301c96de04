"""Online registration of individuals: verified against the records, codes by e-mail,
first login with the PIN, no enumeration of customers, attempts limited."""

from __future__ import annotations

import boto3

from tests.integration.auth_support import (
    FakeClock,
    access_codes,
    cognito_users,
    sent_mails,
)

NEW_PASSWORD = "Moje-Nowe-Haslo-1"


def _form(world, **over):
    form = {
        "customer_no": world.individual,
        "pesel": "44051401359",
        "email": "jan.kowalski@example.pl",
        "verification_no": world.contracts["individual_heat"],
    }
    form.update(over)
    return form


def _portal_items(customer_no: str) -> list:
    from chalicelib.store.auth import get_portal_access

    access = get_portal_access(customer_no)
    return [access] if access else []


def test_individual_registers_reads_email_logs_in_with_pin_sets_password_opens_overview(
    api, world, aws
) -> None:
    r = api.post("/registrations/individual", _form(world, email="Jan.Kowalski@Example.pl"))
    assert r.status == 201, r.body
    assert r.json["email_hint"] == "j***@e***.pl"

    mails = sent_mails()
    assert len(mails) == 1 and mails[0].to == ["jan.kowalski@example.pl"]
    assert mails[0].subject == "Twoje kody dostępu do e-BOK"
    username, pin = access_codes(mails[0])
    assert len(username) >= 8 and username.isdigit()

    # The first login with the PIN asks for a new password.
    r = api.post("/auth/login", {"username": username, "password": pin})
    assert r.status == 200, r.body
    assert r.json["challenge"] == "NEW_PASSWORD_REQUIRED"
    weak = api.post(
        "/auth/new-password",
        {"username": username, "session": r.json["session"], "new_password": "krotkie"},
    )
    assert weak.status == 400
    assert {e["field"] for e in weak.json["errors"]} == {"new_password"}
    r = api.post(
        "/auth/new-password",
        {"username": username, "session": r.json["session"], "new_password": NEW_PASSWORD},
    )
    assert r.status == 200, r.body
    assert r.json["role"] == "customer"
    headers = {"Authorization": "Bearer " + r.json["tokens"]["access_token"]}

    overview = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert overview.status == 200
    assert overview.json["customer"]["name"] == "Jan Kowalski"
    assert api.get(f"/customers/{world.other_individual}/overview", headers=headers).status == 404

    # The PIN was one-time; the new password works.
    assert api.post("/auth/login", {"username": username, "password": pin}).status == 401
    again = api.post("/auth/login", {"username": username, "password": NEW_PASSWORD})
    assert again.status == 200 and "tokens" in again.json


def test_english_email_when_chosen(api, world, aws) -> None:
    r = api.post("/registrations/individual", _form(world, lang="en"))
    assert r.status == 201
    mail = sent_mails()[0]
    assert mail.subject == "Your e-BOK access codes"
    username, pin = access_codes(mail)
    assert username and pin


def test_latest_invoice_number_is_accepted_as_the_fact(api, world, aws) -> None:
    ddb = boto3.client("dynamodb", region_name="eu-central-1")
    items = [
        (
            "INV#2026-09#FV-000101",
            "Invoice",
            {"number": "FV/2026/09/000101", "period": "2026-09", "kind": "invoice"},
        ),
        ("INV#2026-09#FV-000101#DLV", "InvoiceDelivery", {}),
        (
            "INV#2026-10#FV-000202",
            "Invoice",
            {"number": "FV/2026/10/000202", "period": "2026-10", "kind": "invoice"},
        ),
        ("INV#2026-10#FV-000202#DLV", "InvoiceDelivery", {}),
    ]
    for sk, kind, attrs in items:
        item = {"PK": {"S": f"CUST#{world.individual}"}, "SK": {"S": sk}, "type": {"S": kind}}
        item.update({k: {"S": v} for k, v in attrs.items()})
        ddb.put_item(TableName=aws.table, Item=item)
    older = api.post("/registrations/individual", _form(world, verification_no="FV/2026/09/000101"))
    assert older.status == 422  # only the latest invoice counts
    r = api.post("/registrations/individual", _form(world, verification_no="fv/2026/10/000202"))
    assert r.status == 201, r.body


MISMATCHES = {
    "wrong-fact": {"verification_no": "C-999999-X"},
    "wrong-pesel": {"pesel": "02070803628"},  # someone else's (valid) PESEL
    "wrong-email": {"email": "intruz@example.pl"},  # not the address on record
    "institution-number": {"customer_no": "200001"},
}


def test_mismatch_registers_nothing_and_answers_as_for_an_unknown_customer(api, world, aws) -> None:
    unknown = api.post("/registrations/individual", _form(world, customer_no="999999"))
    assert unknown.status == 422
    assert unknown.headers["Content-Type"].startswith("application/problem+json")
    expected = {k: v for k, v in unknown.json.items() if k != "instance"}
    for name, change in MISMATCHES.items():
        wrong = api.post("/registrations/individual", _form(world, **change))
        assert wrong.status == 422, name
        assert {k: v for k, v in wrong.json.items() if k != "instance"} == expected, name
        assert "errors" not in wrong.json  # never says which field was wrong
    assert sent_mails() == []
    assert cognito_users(aws) == []
    assert _portal_items(world.individual) == [] and _portal_items("200001") == []


def test_mismatch_costs_the_same_reads_as_an_unknown_number(api, world, aws) -> None:
    from devstack.metering import count_calls

    with count_calls() as unknown:
        api.post("/registrations/individual", _form(world, customer_no="999999"))
    with count_calls() as wrong:
        api.post("/registrations/individual", _form(world, verification_no="C-0"))
    assert unknown.of("dynamodb") == wrong.of("dynamodb")


def test_replayed_registration_changes_nothing(api, world, aws) -> None:
    assert api.post("/registrations/individual", _form(world)).status == 201
    replay = api.post("/registrations/individual", _form(world))
    assert replay.status == 409
    assert replay.json["code"] == "registration.exists"
    assert len(sent_mails()) == 1
    assert len(cognito_users(aws)) == 1


def test_bad_input_is_a_clear_400_and_stores_nothing(api, world, aws) -> None:
    cases = [
        ({"pesel": "44051401358"}, "pesel"),  # checksum
        ({"email": "not-an-address"}, "email"),
        ({"verification_no": ""}, "verification_no"),
    ]
    for body, field in cases:
        r = api.post(
            "/registrations/individual", _form(world, **body), headers={"Accept-Language": "en"}
        )
        assert r.status == 400
        assert field in {e["field"] for e in r.json["errors"]}
        assert r.json["detail"] == "The request contains invalid data."
    assert sent_mails() == [] and cognito_users(aws) == []


def test_missing_field_and_bad_json_are_400(api, world, aws) -> None:
    form = _form(world)
    del form["pesel"]
    r = api.post("/registrations/individual", form)
    assert r.status == 400 and r.json["errors"][0]["field"] == "pesel"
    assert (
        api.post(
            "/registrations/individual",
            raw="{not json",
            headers={"Content-Type": "application/json"},
        ).status
        == 400
    )


def test_attempts_are_limited_per_customer_number(api, world, aws, monkeypatch) -> None:
    clock = FakeClock(monkeypatch)
    for _ in range(5):
        assert (
            api.post("/registrations/individual", _form(world, verification_no="C-0")).status == 422
        )
    limited = api.post("/registrations/individual", _form(world))  # even the right data now waits
    assert limited.status == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.json["code"] == "auth.rate_limited"
    assert cognito_users(aws) == []
    clock.advance(hours=1)
    assert api.post("/registrations/individual", _form(world)).status == 201


def test_attempts_are_limited_per_source_address(api, world, aws, monkeypatch) -> None:
    FakeClock(monkeypatch)
    for i in range(20):
        assert (
            api.post("/registrations/individual", _form(world, customer_no=f"8{i:05d}")).status
            == 422
        )
    r = api.post("/registrations/individual", _form(world))
    assert r.status == 429
    assert "Retry-After" in r.headers
