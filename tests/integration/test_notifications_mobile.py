"""The SMS channel only for a mobile number confirmed with a code (issue 15): a 6-digit code
by SMS, confirmed in the portal; attempts, expiry and the codes a day bounded; replays send
and change nothing; bad input and another customer's account store nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from chalicelib.domain import clock
from chalicelib.domain import preferences as rules
from chalicelib.store import preferences as store
from tests.integration.outages_support import sent_sms

MOBILE = "+48600100200"


@pytest.fixture
def jan(api, world, login_as):
    return world, login_as("customer", customers=[world.individual])


def _url(world, tail: str = "") -> str:
    return f"/customers/{world.individual}/preferences/mobile{tail}"


def _codes_to(phone: str) -> list[str]:
    return [
        m.group(1) for p, t in sent_sms() if p == phone for m in [re.search(r"(\d{6})", t)] if m
    ]


def verify(api, world, headers, phone: str = MOBILE) -> str:
    """The whole flow (also used by other tests): request a code, confirm it."""
    started = api.post(_url(world), {"phone": phone}, headers=headers)
    assert started.status == 200, started.body
    code = _codes_to(rules.normalise_mobile(phone) or phone)[-1]
    done = api.post(_url(world, "/confirm"), {"code": code}, headers=headers)
    assert done.status == 200 and done.json["status"] == "verified", done.body
    return code


def test_a_confirmed_number_opens_the_sms_channel(api, jan) -> None:
    world, headers = jan
    prefs = f"/customers/{world.individual}/preferences"
    assert api.get(prefs, headers=headers).json["sms_available"] is False  # profile phone: no
    refused = api.patch(prefs, {"channels": {"invoice_new": ["sms"]}}, headers=headers)
    assert refused.status == 400
    started = api.post(_url(world), {"phone": "600 100 200"}, headers=headers)
    assert started.status == 200 and started.json["status"] == "code_sent"
    assert started.json["phone"] == MOBILE
    (code,) = _codes_to(MOBILE)
    assert api.get(prefs, headers=headers).json["sms_pending"] == MOBILE
    stored = store.get_mobile_code(world.individual)
    assert stored is not None and code not in stored.digest  # only a digest is kept
    # a double click sends no second code
    again = api.post(_url(world), {"phone": MOBILE}, headers=headers)
    assert again.status == 200 and len(_codes_to(MOBILE)) == 1
    done = api.post(_url(world, "/confirm"), {"code": code}, headers=headers)
    assert done.status == 200 and done.json == {"status": "verified", "phone": MOBILE}
    view = api.get(prefs, headers=headers).json
    assert view["sms_available"] is True and view["sms_number"] == MOBILE
    assert view["sms_pending"] is None
    version = view["version"]
    # the same confirmation replayed changes nothing
    replay = api.post(_url(world, "/confirm"), {"code": code}, headers=headers)
    assert replay.status == 200 and replay.json["status"] == "verified"
    assert store.stored_version(world.individual) == version
    ok = api.patch(prefs, {"channels": {"invoice_new": ["email", "sms"]}}, headers=headers)
    assert ok.status == 200
    from chalicelib.services import preferences

    assert preferences.wants(world.individual, "invoice_new", "sms")
    # forgetting the number closes the channel
    gone = api.delete(_url(world), headers=headers)
    assert gone.status == 200 and gone.json["status"] == "none"
    assert not preferences.wants(world.individual, "invoice_new", "sms")


def test_wrong_codes_are_bounded(api, jan) -> None:
    world, headers = jan
    api.post(_url(world), {"phone": MOBILE}, headers=headers)
    (code,) = _codes_to(MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in range(rules.CODE_ATTEMPTS - 1, -1, -1):
        answer = api.post(_url(world, "/confirm"), {"code": wrong}, headers=headers)
        assert answer.status == 400
        assert answer.headers["Content-Type"].startswith("application/problem+json")
        assert answer.json["errors"][0]["code"] == "preferences.code_wrong"
        assert str(left) in answer.json["errors"][0]["message"]
    # every attempt used: even the right code is refused now
    late = api.post(_url(world, "/confirm"), {"code": code}, headers=headers)
    assert late.status == 409 and late.json["code"] == "preferences.code_expired"
    assert store.choices_of(world.individual).sms_number is None


def test_an_expired_code_is_refused(api, jan, monkeypatch) -> None:
    world, headers = jan
    api.post(_url(world), {"phone": MOBILE}, headers=headers)
    (code,) = _codes_to(MOBILE)
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + rules.CODE_TTL + timedelta(seconds=1))
    answer = api.post(_url(world, "/confirm"), {"code": code}, headers=headers)
    assert answer.status == 409 and answer.json["code"] == "preferences.code_expired"
    assert store.choices_of(world.individual).sms_number is None


def test_codes_a_day_are_bounded(api, jan, monkeypatch) -> None:
    world, headers = jan
    real_now = clock.now
    for n in range(rules.CODES_PER_DAY):
        shifted = real_now() + n * (rules.RESEND_AFTER + timedelta(seconds=1))
        monkeypatch.setattr(clock, "now", lambda at=shifted: at)
        assert api.post(_url(world), {"phone": MOBILE}, headers=headers).status == 200
    assert len(_codes_to(MOBILE)) == rules.CODES_PER_DAY
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(hours=1))
    answer = api.post(_url(world), {"phone": MOBILE}, headers=headers)
    assert answer.status == 429 and answer.json["code"] == "preferences.too_many_codes"
    assert len(_codes_to(MOBILE)) == rules.CODES_PER_DAY
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(days=1, hours=1))
    assert api.post(_url(world), {"phone": MOBILE}, headers=headers).status == 200


def test_bad_input_and_another_customer_store_nothing(api, jan) -> None:
    world, headers = jan
    for phone in ("+48713000001", "12345", "+49151234567890"):  # a landline, junk, abroad
        answer = api.post(_url(world), {"phone": phone}, headers=headers)
        assert answer.status == 400, phone
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert api.post(_url(world, "/confirm"), {"code": "12ab56"}, headers=headers).status == 400
    assert store.get_mobile_code(world.individual) is None and sent_sms() == []
    other = f"/customers/{world.other_individual}/preferences/mobile"
    assert api.post(other, {"phone": MOBILE}, headers=headers).status == 404
    assert api.post(f"{other}/confirm", {"code": "123456"}, headers=headers).status == 404
    assert store.get_mobile_code(world.other_individual) is None and sent_sms() == []
    # no code requested: nothing to confirm
    none = api.post(_url(world, "/confirm"), {"code": "123456"}, headers=headers)
    assert none.status == 409


def test_sms_text_in_the_customers_language() -> None:
    from chalicelib.render import preference_mail

    assert "kod weryfikacyjny 123456" in preference_mail.mobile_code_sms("pl", "123456")
    assert "verification code is 123456" in preference_mail.mobile_code_sms("en", "123456")
    assert rules.normalise_mobile("600-100-200") == MOBILE
    assert rules.normalise_mobile("0048600100200") == MOBILE
    assert rules.normalise_mobile("+48 71 300 00 01") is None
