"""Login and sessions: lockout, refresh, logout with revocation, forgotten and changed
password, the TOTP second factor."""

from __future__ import annotations

import time

from tests.integration.auth_support import FakeClock, reset_code, sent_mails
from tests.support import DEFAULT_PASSWORD


def _user(login_as, role: str = "customer", customers=("100001",)) -> tuple[str, dict[str, str]]:
    from chalicelib.services.identity import verify_access_token

    headers = login_as(role, list(customers))
    claims = verify_access_token(headers["Authorization"])
    assert claims is not None
    return str(claims["username"]), headers


def _login(api, username: str, password: str = DEFAULT_PASSWORD):
    return api.post("/auth/login", {"username": username, "password": password})


def test_login_answers_tokens_that_open_the_api(api, world, login_as) -> None:
    username, _ = _user(login_as)
    r = _login(api, username)
    assert r.status == 200, r.body
    assert r.json["role"] == "customer"
    tokens = r.json["tokens"]
    assert tokens["refresh_token"] and tokens["token_type"] == "Bearer"
    me = api.get("/me", headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert me.status == 200 and me.json["username"] == username


def test_unknown_identifier_and_wrong_password_answer_the_same(api, world, login_as) -> None:
    username, _ = _user(login_as)
    wrong = _login(api, username, "Zle-Haslo-1234")
    unknown = _login(api, "12345678", "Zle-Haslo-1234")
    assert wrong.status == unknown.status == 401
    assert wrong.json["code"] == unknown.json["code"] == "auth.bad_credentials"
    assert wrong.json["detail"] == unknown.json["detail"]


def test_five_failures_lock_the_login_for_fifteen_minutes(
    api, world, login_as, monkeypatch
) -> None:
    clock = FakeClock(monkeypatch)
    username, _ = _user(login_as)
    for _ in range(4):
        assert _login(api, username, "Zle-Haslo-1234").status == 401
    fifth = _login(api, username, "Zle-Haslo-1234")
    assert fifth.status == 423
    assert fifth.json["code"] == "auth.locked"
    # Locked: even the right password is refused, with the time left.
    locked = _login(api, username)
    assert locked.status == 423
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    clock.advance(minutes=14)
    assert _login(api, username).status == 423
    clock.advance(minutes=1, seconds=1)
    released = _login(api, username)
    assert released.status == 200, released.body


def test_failures_outside_the_window_do_not_add_up(api, world, login_as, monkeypatch) -> None:
    clock = FakeClock(monkeypatch)
    username, _ = _user(login_as)
    for _ in range(4):
        assert _login(api, username, "Zle-Haslo-1234").status == 401
    clock.advance(minutes=16)
    for _ in range(4):
        assert _login(api, username, "Zle-Haslo-1234").status == 401
    assert _login(api, username).status == 200
    # A success clears the count.
    for _ in range(4):
        assert _login(api, username, "Zle-Haslo-1234").status == 401
    assert _login(api, username).status == 200


def test_lockout_of_an_unknown_identifier_looks_the_same(api, world) -> None:
    for _ in range(4):
        assert _login(api, "87654321", "Cokolwiek-123").status == 401
    assert _login(api, "87654321", "Cokolwiek-123").status == 423


def test_refresh_gives_a_new_access_token(api, world, login_as) -> None:
    username, _ = _user(login_as)
    tokens = _login(api, username).json["tokens"]
    r = api.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
    assert r.status == 200, r.body
    fresh = r.json["tokens"]["access_token"]
    assert api.get("/me", headers={"Authorization": "Bearer " + fresh}).status == 200
    assert api.post("/auth/refresh", {"refresh_token": "not-a-token"}).status == 401


def test_logout_revokes_the_session_and_its_refresh_token(api, world, login_as) -> None:
    username, _ = _user(login_as)
    tokens = _login(api, username).json["tokens"]
    headers = {"Authorization": "Bearer " + tokens["access_token"]}
    assert api.get(f"/customers/{world.individual}/overview", headers=headers).status == 200
    assert api.post("/auth/logout", headers=headers).status == 204
    assert api.get(f"/customers/{world.individual}/overview", headers=headers).status in (401, 403)
    assert api.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status == 401
    # A new login works at once (even within the same second).
    again = _login(api, username).json["tokens"]
    assert (
        api.get("/me", headers={"Authorization": "Bearer " + again["access_token"]}).status == 200
    )
    # Logging out needs a session.
    assert api.post("/auth/logout").status in (401, 403)


def test_forgotten_password_with_an_emailed_code(api, world, login_as, aws) -> None:
    username, old_headers = _user(login_as)
    r = api.post("/auth/forgot-password", {"username": username})
    assert r.status == 202
    # An unknown identifier gets the same answer; its (equal) e-mail goes only to SES's
    # mailbox simulator, which delivers nothing.
    assert api.post("/auth/forgot-password", {"username": "11112222"}).json == r.json
    mails = [m for m in sent_mails() if m.to != ["success@simulator.amazonses.com"]]
    assert len(sent_mails()) == 2
    assert len(mails) == 1 and mails[0].subject == "Kod do zmiany hasła w e-BOK"
    code = reset_code(mails[0])

    wrong = "000000" if code != "000000" else "111111"
    bad = api.post(
        "/auth/confirm-forgot-password",
        {"username": username, "code": wrong, "new_password": "Odzyskane-Haslo-9"},
    )
    assert bad.status == 400 and bad.json["errors"][0]["field"] == "code"
    weak = api.post(
        "/auth/confirm-forgot-password",
        {"username": username, "code": code, "new_password": "slabe"},
    )
    assert weak.status == 400 and weak.json["errors"][0]["field"] == "new_password"
    ok = api.post(
        "/auth/confirm-forgot-password",
        {"username": username, "code": code, "new_password": "Odzyskane-Haslo-9"},
    )
    assert ok.status == 204, ok.body
    replay = api.post(
        "/auth/confirm-forgot-password",
        {"username": username, "code": code, "new_password": "Jeszcze-Inne-Haslo-9"},
    )
    assert replay.status == 400

    assert _login(api, username).status == 401  # the old password is gone
    assert _login(api, username, "Odzyskane-Haslo-9").status == 200
    assert api.get("/me", headers=old_headers).status in (401, 403)  # old sessions ended


def test_reset_code_allows_five_guesses_and_expires(api, world, login_as, monkeypatch) -> None:
    clock = FakeClock(monkeypatch)
    username, _ = _user(login_as)
    api.post("/auth/forgot-password", {"username": username})
    code = reset_code(sent_mails()[-1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        api.post(
            "/auth/confirm-forgot-password",
            {"username": username, "code": wrong, "new_password": "Odzyskane-Haslo-9"},
        )
    used_up = api.post(
        "/auth/confirm-forgot-password",
        {"username": username, "code": code, "new_password": "Odzyskane-Haslo-9"},
    )
    assert used_up.status == 400
    api.post("/auth/forgot-password", {"username": username})
    code = reset_code(sent_mails()[-1])
    clock.advance(minutes=31)
    expired = api.post(
        "/auth/confirm-forgot-password",
        {"username": username, "code": code, "new_password": "Odzyskane-Haslo-9"},
    )
    assert expired.status == 400
    assert _login(api, username).status == 200


def test_reset_codes_are_rate_limited(api, world, login_as, monkeypatch) -> None:
    FakeClock(monkeypatch)  # the four requests fall in one fixed window
    username, _ = _user(login_as)
    for _ in range(3):
        assert api.post("/auth/forgot-password", {"username": username}).status == 202
    limited = api.post("/auth/forgot-password", {"username": username})
    assert limited.status == 429 and "Retry-After" in limited.headers
    assert len(sent_mails()) == 3


def test_change_password_ends_other_sessions_and_returns_a_new_one(api, world, login_as) -> None:
    username, headers = _user(login_as)
    other = _login(api, username).json["tokens"]
    wrong = api.post(
        "/auth/change-password",
        {"old_password": "Zle-Haslo-1234", "new_password": "Zmienione-Haslo-7"},
        headers=headers,
    )
    assert wrong.status == 400 and wrong.json["errors"][0]["field"] == "old_password"
    same = api.post(
        "/auth/change-password",
        {"old_password": DEFAULT_PASSWORD, "new_password": DEFAULT_PASSWORD},
        headers=headers,
    )
    assert same.status == 400
    r = api.post(
        "/auth/change-password",
        {"old_password": DEFAULT_PASSWORD, "new_password": "Zmienione-Haslo-7"},
        headers=headers,
    )
    assert r.status == 200, r.body
    fresh = {"Authorization": "Bearer " + r.json["tokens"]["access_token"]}
    assert api.get("/me", headers=fresh).status == 200
    assert api.get("/me", headers=headers).status in (401, 403)
    assert api.post("/auth/refresh", {"refresh_token": other["refresh_token"]}).status == 401
    assert _login(api, username).status == 401
    assert _login(api, username, "Zmienione-Haslo-7").status == 200
    assert sent_mails()[-1].subject == "Hasło do e-BOK zostało zmienione"


def test_profile_shows_identifier_role_and_email(api, world, login_as) -> None:
    username, headers = _user(login_as)
    r = api.get("/auth/profile", headers=headers)
    assert r.status == 200
    assert r.json["username"] == username
    assert r.json["customers"] == ["100001"]
    assert r.json["email"].endswith("@example.pl")
    assert r.json["mfa_enabled"] is False


def _totp(now: float | None = None) -> str:
    from moto.cognitoidp.models import COGNITO_TOTP_MFA_SECRET
    from moto.cognitoidp.utils import cognito_totp

    if now is None and time.time() % 30 > 28:  # moto checks only the current 30-s step
        time.sleep(30 - time.time() % 30 + 0.05)
    return cognito_totp(COGNITO_TOTP_MFA_SECRET).generate(int(now or time.time())).decode()


def test_totp_second_factor(api, world, login_as, monkeypatch) -> None:
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
    username, headers = _user(login_as)
    setup = api.post("/auth/mfa/setup", headers=headers)
    assert setup.status == 200
    assert setup.json["otpauth_uri"].startswith("otpauth://totp/eBOK%3A")
    bad = api.post(
        "/auth/mfa/verify", {"code": "000000" if _totp() != "000000" else "111111"}, headers=headers
    )
    assert bad.status == 400
    assert api.post("/auth/mfa/verify", {"code": _totp()}, headers=headers).json == {
        "mfa_enabled": True
    }
    assert api.get("/auth/profile", headers=headers).json["mfa_enabled"] is True

    first = _login(api, username)
    assert first.json["challenge"] == "SOFTWARE_TOKEN_MFA"
    wrong = api.post(
        "/auth/mfa",
        {
            "username": username,
            "session": first.json["session"],
            "code": "000000" if _totp() != "000000" else "111111",
        },
    )
    assert wrong.status == 401 and wrong.json["code"] == "auth.mfa_invalid"
    first = _login(api, username)
    ok = api.post(
        "/auth/mfa", {"username": username, "session": first.json["session"], "code": _totp()}
    )
    assert ok.status == 200 and "tokens" in ok.json

    assert (
        api.post("/auth/mfa/disable", {"password": "Zle-Haslo-1234"}, headers=headers).status == 400
    )
    assert api.post("/auth/mfa/disable", {"password": DEFAULT_PASSWORD}, headers=headers).json == {
        "mfa_enabled": False
    }
    assert "tokens" in _login(api, username).json
