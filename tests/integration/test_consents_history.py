"""Consents as an append-only history: each kind separate and never pre-ticked; every change
with who, when, channel and clause version; the state derived from the history; the e-invoice
consent follows the profile flag billing reads (also when switched on the invoices page or in
the admin console); bad input, another customer, replays and stale clauses store nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.domain import clock
from chalicelib.domain import consents as rules
from chalicelib.store import consents as store
from chalicelib.store import customers


@pytest.fixture
def jan(api, world, login_as):
    return world, login_as("customer", customers=[world.individual])


def _url(no: str) -> str:
    return f"/customers/{no}/consents"


def _state(view: dict, kind: str) -> bool:
    return next(c["granted"] for c in view["consents"] if c["kind"] == kind)


def test_nothing_is_pre_ticked_and_each_kind_is_separate(api, jan) -> None:
    world, headers = jan
    view = api.get(_url(world.individual), headers=headers).json
    assert [c["kind"] for c in view["consents"]] == list(rules.KINDS)
    # only the e-invoice consent given at registration; nothing else is pre-ticked
    assert [c["kind"] for c in view["consents"] if c["granted"]] == ["einvoice"]
    assert [h["by_role"] for h in view["history"]] == ["registration"] and view["version"] == 0
    marketing = next(c for c in view["consents"] if c["kind"] == "marketing_sms")
    assert "SMS" in marketing["clause"] and marketing["clause_version"] == "2026-01"

    body = {"kind": "marketing_email", "granted": True, "clause_version": "2026-01"}
    given = api.post(_url(world.individual), body, headers=headers)
    assert given.status == 200, given.body
    assert _state(given.json, "marketing_email") is True
    assert (
        _state(given.json, "marketing_sms") is False
        and _state(given.json, "marketing_phone") is False
    )
    entry = given.json["history"][0]
    assert entry["by"] and entry["by_role"] == "customer" and entry["staff"] is False
    assert entry["channel"] == "portal" and entry["clause_version"] == "2026-01"
    recorded = clock.parse_instant(entry["at"])  # the product clock, UTC
    assert timedelta(0) <= clock.now() - recorded < timedelta(minutes=5)

    # a replay records nothing more
    again = api.post(_url(world.individual), body, headers=headers).json
    assert len(again["history"]) == 2 and again["version"] == 1

    withdrawn = api.post(
        _url(world.individual), {"kind": "marketing_email", "granted": False}, headers=headers
    ).json
    assert _state(withdrawn, "marketing_email") is False
    assert [h["granted"] for h in withdrawn["history"]] == [False, True, True]  # newest first
    assert withdrawn["history"][0]["clause_version"] is None
    assert len(store.history(world.individual)) == 2  # append-only: both kept


def test_einvoice_consent_sets_the_profile_flag_and_shows_other_switches(
    api, world, login_as
) -> None:
    headers = login_as("customer", customers=[world.institution])  # paper invoices so far
    assert _state(api.get(_url(world.institution), headers=headers).json, "einvoice") is False
    body = {"kind": "einvoice", "granted": True, "clause_version": "2026-01"}
    view = api.post(_url(world.institution), body, headers=headers).json
    assert _state(view, "einvoice") is True
    assert customers.get_customer(world.institution).einvoice_consent is True  # billing reads it
    # the invoices page switches it off (its own route): the history shows that too
    off = api.put(
        f"/customers/{world.institution}/einvoice-consent",
        {"einvoice_consent": False},
        headers=headers,
    )
    assert off.status == 200
    view = api.get(_url(world.institution), headers=headers).json
    assert _state(view, "einvoice") is False
    assert [(h["granted"], h["channel"], h["by_role"]) for h in view["history"]] == [
        (False, "portal", "customer"),
        (True, "portal", "customer"),
    ]
    assert view["history"][0]["by"] and view["history"][0]["clause_version"] is None
    assert customers.get_customer(world.institution).einvoice_consent is False
    # an admin console edit is recorded with the admin's login
    admin = login_as("admin")
    r = api.patch(
        f"/admin/customers/{world.institution}", {"einvoice_consent": True}, headers=admin
    )
    assert r.status == 200, r.body
    view = api.get(_url(world.institution), headers=headers).json
    assert _state(view, "einvoice") is True
    assert view["history"][0]["staff"] is True and view["history"][0]["by_role"] == "admin"
    # the invoices page again: off, the same switch replayed (nothing more), on (the clause)
    put = f"/customers/{world.institution}/einvoice-consent"
    before = len(store.history(world.institution))
    for value in (False, False, True):
        assert api.put(put, {"einvoice_consent": value}, headers=headers).status == 200
    newest = store.history(world.institution)
    assert len(newest) == before + 2
    assert {c.clause_version for c in newest if c.granted and c.by_role == "customer"} == {
        "2026-01"
    }
    assert customers.get_customer(world.institution).einvoice_consent is True


def test_consent_given_at_registration_is_shown(api, world, login_as) -> None:
    headers = login_as("customer", customers=[world.individual])  # registered with e-invoice
    view = api.get(_url(world.individual), headers=headers).json
    assert _state(view, "einvoice") is True
    assert view["history"][0]["by_role"] == "registration"


def test_staff_record_a_phone_or_paper_consent(api, world, login_as) -> None:
    manager = login_as("account_manager", manager_id="M1")
    body = {
        "kind": "marketing_phone",
        "granted": True,
        "clause_version": "2026-01",
        "channel": "phone",
    }
    r = api.post(_url(world.individual), body, headers=manager)
    assert r.status == 200, r.body
    entry = r.json["history"][0]
    assert entry["channel"] == "phone" and entry["staff"] is True
    assert entry["by_role"] == "account_manager"
    # the customer sees the same history
    mine = api.get(
        _url(world.individual), headers=login_as("customer", customers=[world.individual])
    )
    assert mine.json["history"][0]["channel"] == "phone"
    # another manager's customer: 404
    assert api.get(_url(world.other_individual), headers=manager).status == 404


def test_bad_input_and_stale_clause_store_nothing(api, jan) -> None:
    world, headers = jan
    url = _url(world.individual)
    for body in (
        {"kind": "lottery", "granted": True, "clause_version": "2026-01"},
        {"kind": "marketing_sms", "granted": True, "clause_version": "2026-01", "channel": "phone"},
        {"kind": "marketing_sms", "granted": "yes"},
        {"granted": True},
    ):
        answer = api.post(url, body, headers=headers)
        assert answer.status == 400, body
        assert answer.headers["Content-Type"].startswith("application/problem+json")
    stale = api.post(
        url,
        {"kind": "marketing_sms", "granted": True, "clause_version": "2025-01"},
        headers=headers,
    )
    assert stale.status == 409 and stale.json["code"] == "consents.stale_clause"
    moved = api.post(
        url,
        {"kind": "marketing_sms", "granted": True, "clause_version": "2026-01", "version": 7},
        headers=headers,
    )
    assert moved.status == 409
    assert store.history(world.individual) == [] and store.version_of(world.individual) == 0


def test_another_customers_consents_are_not_found(api, jan) -> None:
    world, headers = jan
    assert api.get(_url(world.other_individual), headers=headers).status == 404
    body = {"kind": "marketing_email", "granted": True, "clause_version": "2026-01"}
    assert api.post(_url(world.other_individual), body, headers=headers).status == 404
    assert store.history(world.other_individual) == []
