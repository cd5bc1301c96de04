"""Successful sign-ins are recorded (time, source address, user agent) in a bounded history
and appear in the "Moje dane" export; failed attempts and another login's sign-ins do not."""

from __future__ import annotations

from chalicelib.domain import signins as rules
from chalicelib.domain.principal import GROUP_OF_ROLE
from chalicelib.services import privacy, signins
from tests.support import DEFAULT_PASSWORD, cognito_user

USERNAME = "10000001"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def _portal_login(aws, world) -> None:
    from chalicelib.store import auth as auth_store

    auth_store.reserve_login(
        USERNAME,
        role="customer",
        customer_no=world.individual,
        customer_nos=[world.individual],
        via="test",
        created_at="2026-11-18T09:00:00Z",
    )
    cognito_user(aws, USERNAME, "jan.kowalski@example.pl", GROUP_OF_ROLE["customer"])


def _login(api, password: str = DEFAULT_PASSWORD):
    return api.post(
        "/auth/login",
        {"username": USERNAME, "password": password},
        headers={"User-Agent": AGENT + "\x07"},
    )


def test_sign_ins_are_recorded_and_exported(api, aws, world) -> None:
    _portal_login(aws, world)
    assert signins.history(USERNAME) == []
    assert _login(api, "Zle-Haslo-1234").status == 401  # a failure is not a sign-in
    assert signins.history(USERNAME) == []
    for _ in range(2):
        assert _login(api).status == 200
    kept = signins.history(USERNAME)
    assert len(kept) == 2
    assert kept[0]["user_agent"] == AGENT  # the control character is dropped
    assert kept[0]["source"] and kept[0]["via"] == "password" and kept[0]["at"]
    data, _ = privacy.collect(world.individual)
    assert [(r["username"], r["user_agent"]) for r in data["sign_ins"]] == [(USERNAME, AGENT)] * 2
    assert data["logins"][0]["username"] == USERNAME and "sign_ins" not in data["logins"][0]
    # another customer's export holds none of them
    other, _ = privacy.collect(world.other_individual)
    assert other["sign_ins"] == []


def test_the_history_is_bounded(aws, world) -> None:
    _portal_login(aws, world)
    for n in range(rules.KEEP + 5):
        assert signins.record(USERNAME, f"192.0.2.{n}", AGENT, "password")
    kept = signins.history(USERNAME)
    assert len(kept) == rules.KEEP
    assert kept[0]["source"] == f"192.0.2.{rules.KEEP + 4}"  # newest first
    assert kept[-1]["source"] == "192.0.2.5"  # the oldest five dropped off


def test_long_agents_are_cut() -> None:
    assert len(rules.clean_agent("x" * 1000)) == rules.AGENT_MAX
    assert rules.clean_agent(None) == ""
    assert rules.clean_agent("a\nb\tc") == "a b c"
