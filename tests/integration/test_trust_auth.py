"""Authentication that holds under attack (issue 13, findings 3 and 8): throttling per source
address and per identifier, an app client that only the API can use, Cognito's threat
protection in infra/, and a forgotten-password answer that does equal work either way."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack.metering import count_calls
from devstack.provision import load_template
from tests.integration.auth_support import FakeClock
from tests.support import DEFAULT_PASSWORD, REGION


def _username(headers: dict[str, str]) -> str:
    from chalicelib.services.identity import verify_access_token

    claims = verify_access_token(headers["Authorization"])
    assert claims is not None
    return str(claims["username"])


def test_many_identifiers_from_one_address_get_429(api, world, monkeypatch) -> None:
    """The attack: 40 identifiers × 1 password from one address in under a second."""
    FakeClock(monkeypatch)
    answers = [
        api.post("/auth/login", {"username": f"{20000000 + i}", "password": "Haslo-Zgadniete-1"})
        for i in range(40)
    ]
    statuses = [a.status for a in answers]
    assert statuses[:30] == [401] * 30
    assert set(statuses[30:]) == {429}
    refused = answers[-1]
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert 0 < int(refused.headers["Retry-After"]) <= 300
    assert refused.json["code"] == "auth.rate_limited"


def test_one_identifier_from_many_addresses_gets_429(aws, world, monkeypatch) -> None:
    from chalicelib.errors import TooManyRequests, Unauthorized
    from chalicelib.services import auth, auth_guard

    FakeClock(monkeypatch)
    monkeypatch.setattr(auth_guard, "record_failure", lambda username: False)  # no lockout
    outcomes = []
    for i in range(12):
        try:
            auth.login("31415926", "Haslo-Zgadniete-1", source=f"198.51.100.{i}")
        except Unauthorized:
            outcomes.append(401)
        except TooManyRequests as exc:
            outcomes.append(429)
            assert int(exc.headers["Retry-After"]) > 0
    assert outcomes == [401] * 10 + [429] * 2


def test_the_window_passes_and_login_works_again(api, world, login_as, monkeypatch) -> None:
    clock = FakeClock(monkeypatch)
    username = _username(login_as("customer", [world.individual]))
    for i in range(30):
        api.post("/auth/login", {"username": f"{30000000 + i}", "password": "x-Haslo-123"})
    assert (
        api.post("/auth/login", {"username": username, "password": DEFAULT_PASSWORD}).status == 429
    )
    clock.advance(minutes=6)
    r = api.post("/auth/login", {"username": username, "password": DEFAULT_PASSWORD})
    assert r.status == 200, r.body


def test_a_direct_cognito_call_cannot_get_tokens_for_a_user_the_app_locked(
    api, aws, world, login_as, monkeypatch
) -> None:
    FakeClock(monkeypatch)
    username = _username(login_as("customer", [world.individual]))
    for _ in range(5):
        api.post("/auth/login", {"username": username, "password": "Zle-Haslo-1234"})
    assert (
        api.post("/auth/login", {"username": username, "password": DEFAULT_PASSWORD}).status == 423
    )

    idp = boto3.client("cognito-idp", region_name=REGION)
    password = {"USERNAME": username, "PASSWORD": DEFAULT_PASSWORD}
    with pytest.raises(ClientError) as direct:
        idp.initiate_auth(
            ClientId=aws.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=password
        )
    assert direct.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(ClientError) as srp:
        idp.initiate_auth(
            ClientId=aws.client_id,
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": username, "SRP_A": "abc"},
        )
    assert srp.value.response["Error"]["Code"] in (
        "InvalidParameterException",
        "NotAuthorizedException",
    )
    # Even with the IAM permission, the admin flow needs the client secret only the API has.
    for guess in (None, "bm90LXRoZS1zZWNyZXQ="):
        params = dict(password) if guess is None else {**password, "SECRET_HASH": guess}
        with pytest.raises(ClientError) as admin:
            idp.admin_initiate_auth(
                UserPoolId=aws.user_pool_id,
                ClientId=aws.client_id,
                AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                AuthParameters=params,
            )
        assert admin.value.response["Error"]["Code"] == "NotAuthorizedException"


def test_the_app_client_has_a_secret_and_only_the_api_flow() -> None:
    template = load_template()["Resources"]
    client = template["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is True
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }


def test_cognito_threat_protection_is_on_in_infra() -> None:
    template = load_template()["Resources"]
    pool = template["UserPool"]["Properties"]
    assert pool["UserPoolAddOns"]["AdvancedSecurityMode"] == "ENFORCED"
    risk = template["UserPoolRiskConfiguration"]["Properties"]
    assert risk["CompromisedCredentialsRiskConfiguration"]["Actions"]["EventAction"] == "BLOCK"
    actions = risk["AccountTakeoverRiskConfiguration"]["Actions"]
    assert actions["HighAction"]["EventAction"] == "BLOCK"


def test_refresh_still_works_through_the_confidential_client(api, world, login_as) -> None:
    username = _username(login_as("customer", [world.individual]))
    tokens = api.post("/auth/login", {"username": username, "password": DEFAULT_PASSWORD}).json[
        "tokens"
    ]
    r = api.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert r.status == 200, r.body
    # The identifier beside the token cannot be swapped for another user's.
    _, token = tokens["refresh_token"].split("~", 1)
    forged = api.post("/auth/refresh", {"refresh_token": f"12345678~{token}"})
    assert forged.status == 401


def test_forgot_password_does_equal_work_for_known_and_unknown(
    api, world, login_as, monkeypatch
) -> None:
    """Counted, not timed: the same store and AWS calls in the same order either way."""
    from chalicelib.services import auth as auth_service

    FakeClock(monkeypatch)
    username = _username(login_as("customer", [world.individual]))
    seen: list[str] = []
    for name in ("get_login", "_email_of"):
        original = getattr(auth_service, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            seen.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(auth_service, name, spy)

    def calls_for(identifier: str) -> tuple[list[str], list[str], int]:
        seen.clear()
        with count_calls() as log:
            r = api.post("/auth/forgot-password", {"username": identifier})
        assert r.status == 202
        return list(seen), log.names, len(r.body)

    known = calls_for(username)
    unknown = calls_for("11112222")
    disabled_or_missing = calls_for("99990000")
    assert known == unknown == disabled_or_missing
    assert "ses:SendEmail" in known[1] or "ses:SendRawEmail" in known[1]
