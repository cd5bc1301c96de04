"""Outage e-mails for addresses a customer watches (preference centre, any city served):
the API (add, remove, replay, bad input, another customer), the fan-out through the
outage-notice queues finding exactly the watchers of the affected streets and buildings by
Query, one e-mail per outage event and customer (however many of the customer's watched
addresses it touches, and none more when the customer's SMS Alert e-mail went), respecting
preferences, the suppression list and the customer's language."""

from __future__ import annotations

import email
from datetime import UTC, datetime

import pytest

from chalicelib.domain import preferences as rules
from chalicelib.store import preferences as store
from tests.integration.outages_support import (  # noqa: F401
    FakeClock,
    _fresh_adapters,
    delete,
    drain_all,
    invoke,
    outage_body,
    receive,
    sent_emails,
)

DAY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 Warsaw
JAN = "jan.kowalski@example.pl"
COOP = "biuro@sm-przyszlosc.example.pl"
MARIA = "maria.w@example.pl"


@pytest.fixture
def clock(monkeypatch):
    return FakeClock(monkeypatch, DAY)


def _url(customer_no: str) -> str:
    return f"/customers/{customer_no}/preferences/outage-addresses"


def _watch(api, login_as, customer_no: str, *addresses: tuple[str, str, str]) -> None:
    headers = login_as("customer", customers=[customer_no])
    for city, street, building in addresses:
        body = {"city": city, "street": street, "building": building}
        assert api.post(_url(customer_no), body, headers=headers).status == 201


@pytest.fixture
def watchers(api, world, aws, clock, login_as):
    """The outage (outage_body) is on Legnicka 10, 12, 14 and the whole of Grabiszyńska in
    Wrocław. Jan watches Legnicka 12 and Grabiszyńska 5 (both hit), in English; the co-op
    watches the whole of Legnicka (hit) and Legnicka 99 (not hit); Maria watches
    Legnicka 12 in Łódź (another city: nothing)."""
    _watch(api, login_as, world.individual, ("Wrocław", "ul. Legnicka", "12"),
           ("Wrocław", "Grabiszyńska", "5"))  # fmt: skip
    _watch(api, login_as, world.institution, ("Wrocław", "Legnicka", ""),
           ("Wrocław", "ul. Legnicka", "99"))  # fmt: skip
    _watch(api, login_as, world.other_individual, ("Łódź", "ul. Legnicka", "12"))
    jan = store.get_preferences(world.individual)
    choices = jan.choices() if jan else rules.defaults()
    from dataclasses import replace

    store.save_preferences(
        world.individual, replace(choices, language="en"), "2026-03-10T08:00:00Z", 0
    )
    return login_as("operator")


def _mails() -> list[tuple[str, str]]:
    """(recipient, subject) of every e-mail sent."""
    out = []
    for m in sent_emails():
        parsed = email.message_from_string(m.raw_data)
        subject = str(email.header.make_header(email.header.decode_header(parsed["Subject"])))
        out.append((str(parsed["To"]), subject))
    return out


def _handle_twice(kind: str) -> None:
    while messages := receive(kind):
        invoke(kind, messages)
        invoke(kind, messages)  # redelivered
        delete(kind, messages)


def test_fan_out_finds_exactly_the_watchers_of_the_affected_streets(api, world, watchers) -> None:
    from devstack.metering import count_calls

    with count_calls() as calls:
        r = api.post("/outages", outage_body(), headers=watchers)
        assert r.status == 201
        drain_all()
    assert ("dynamodb", "Scan") not in calls.calls
    mails = sorted(_mails())
    # Jan watches two hit addresses: one e-mail; Maria (Łódź): nothing
    assert [to for to, _ in mails] == sorted([JAN, COOP])
    subjects = dict(mails)
    assert "Heat planned outage" in subjects[JAN]  # Jan chose English
    assert "Planowane wyłączenie ciepła" in subjects[COOP]
    mail = next(m for m in sent_emails() if f"To: {JAN}" in m.raw_data)
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in mail.raw_data
    assert _delivered(r.json["id"], "created", world.institution)


def _delivered(outage_id: str, event_id: str, customer_no: str) -> bool:
    """The outage e-mail marker of (outage, event, customer) is there: a claim is refused."""
    from chalicelib.services.notifier import email_key
    from chalicelib.store import outages

    key = email_key(customer_no, "")
    return not outages.claim_delivery(outage_id, event_id, "email", key, "2026-03-10T09:00:00Z", 0)


def test_every_message_replayed_sends_each_e_mail_once_per_event(
    api, world, watchers, clock, monkeypatch
) -> None:
    from chalicelib.services import notifier

    monkeypatch.setattr(notifier, "PAGE_SIZE", 1)  # a chain of continuation pages
    oid = api.post("/outages", outage_body(), headers=watchers).json["id"]
    _handle_twice("notifier")
    _handle_twice("sms")
    api.patch(f"/outages/{oid}", {"expected_end_at": "2026-03-12T19:00"}, headers=watchers)
    _handle_twice("notifier")
    _handle_twice("sms")
    recipients = sorted(to for to, _ in _mails())
    assert recipients == sorted([JAN, COOP] * 2)  # two events, each once per customer


def test_an_sms_alert_e_mail_and_a_watch_are_one_e_mail_per_event(
    api, world, watchers, clock
) -> None:
    """The co-op has an SMS Alert e-mail subscription on Grabiszyńska 202 and watches the
    whole of Legnicka: the outage touches both, the co-op gets one e-mail an event."""
    from chalicelib.domain.principal import Principal
    from chalicelib.services import alerts

    who = Principal("c", "customer", customer_nos=(world.institution,))
    body = {"premises_id": "P-200001-2", "channel": "email", "lang": "pl"}
    alert, _ = alerts.request_alert(who, world.institution, body, "pl")
    m1 = Principal("m1", "account_manager", manager_id="M1")
    assert alerts.approve(m1, world.institution, alert["alert_id"])["status"] == "active"
    oid = api.post("/outages", outage_body(), headers=watchers).json["id"]
    _handle_twice("notifier")
    _handle_twice("sms")
    assert sorted(to for to, _ in _mails()) == sorted([JAN, COOP])
    api.patch(f"/outages/{oid}", {"expected_end_at": "2026-03-12T19:00"}, headers=watchers)
    drain_all()
    assert sorted(to for to, _ in _mails()) == sorted([JAN, COOP] * 2)  # a new event: again


def test_watchers_preferences_and_suppressed_addresses_are_respected(api, world, watchers) -> None:
    from chalicelib.services import preferences

    store.suppress(COOP, "bounce", "test", "2026-03-10T08:00:00Z", "fb-1")
    choices = store.choices_of(world.individual)
    from dataclasses import replace

    store.save_preferences(
        world.individual,
        replace(choices, channels={**choices.channels, "outage": ()}),
        "2026-03-10T08:30:00Z",
        store.stored_version(world.individual),
    )
    assert not preferences.wants(world.individual, "outage", "email")
    assert api.post("/outages", outage_body(), headers=watchers).status == 201
    drain_all()
    assert _mails() == []
    statuses = {n.status for n in store.notifications_of(world.individual)}
    assert statuses == {"unwanted"}  # switched off: recorded, not sent
    assert [s.subject for s in store.skipped_sends(COOP)]  # suppressed: recorded, not sent


def test_add_list_remove_and_replay(api, world, aws, login_as) -> None:
    headers = login_as("customer", customers=[world.other_individual])
    url = _url(world.other_individual)
    body = {"city": "Łódź", "street": "ul. Piotrkowska", "building": "100"}
    first = api.post(url, body, headers=headers)
    assert first.status == 201 and first.json["city"] == "Łódź"  # any city served
    again = api.post(url, {**body, "street": "ul.  Piotrkowska"}, headers=headers)
    assert again.status == 201 and again.json["watch_id"] == first.json["watch_id"]
    view = api.get(f"/customers/{world.other_individual}/preferences", headers=headers).json
    assert [a["watch_id"] for a in view["outage_addresses"]] == [first.json["watch_id"]]
    watch_id = first.json["watch_id"]
    assert api.delete(f"{url}/{watch_id}", headers=headers).status == 204
    assert api.delete(f"{url}/{watch_id}", headers=headers).status == 204  # replay: nothing
    assert store.watches_of(world.other_individual) == []


def test_bad_address_another_customer_and_the_limit(api, world, aws, login_as) -> None:
    headers = login_as("customer", customers=[world.individual])
    url = _url(world.individual)
    for body in (
        {"city": "Berlin", "street": "Unter den Linden"},  # not a city served
        {"city": "Wrocław", "street": "Legnicka#1"},
        {"city": " ", "street": "Legnicka"},
        {"city": "Wrocław"},
        {"city": "Wrocław", "street": "Legnicka", "building": "x" * 21},
    ):
        answer = api.post(url, body, headers=headers)
        assert answer.status == 400, body
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    berlin = api.post(url, {"city": "Berlin", "street": "Unter den Linden"}, headers=headers)
    assert berlin.json["errors"][0]["field"] == "city"
    assert "nie obsługujemy" in berlin.json["errors"][0]["message"]
    assert store.watches_of(world.individual) == []
    foreign = api.post(
        _url(world.institution), {"city": "Wrocław", "street": "Legnicka"}, headers=headers
    )
    assert foreign.status == 404 and store.watches_of(world.institution) == []
    for n in range(rules.MAX_WATCHED):
        body = {"city": "Wrocław", "street": "Legnicka", "building": str(n + 1)}
        assert api.post(url, body, headers=headers).status == 201
    over = api.post(
        url, {"city": "Wrocław", "street": "Legnicka", "building": "99"}, headers=headers
    )
    assert over.status == 409 and len(store.watches_of(world.individual)) == rules.MAX_WATCHED
