"""The "new document" notice (issue 15): a document an approved application makes for the
customer (an annex, a letter) is e-mailed once, whatever the replays of the approval or of
the notices queue, in the customer's language, unless switched off (then recorded)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chalicelib.config import settings
from chalicelib.store import preferences as store
from tests.integration.invoicing_helpers import drain, parsed, sent_emails
from tests.integration.selfservice_support import decide, file

JAN = "jan.kowalski@example.pl"


def _to(address: str) -> list[Any]:
    """The "new document" e-mails to ``address`` (the application's own e-mails aside)."""
    return [
        m
        for m in map(parsed, sent_emails())
        if address in str(m["To"])
        and ("dokument" in str(m["Subject"]) or "document" in str(m["Subject"]))
    ]


def _approve_meter_check(api, world, login_as) -> str:
    jan = login_as("customer", [world.individual])
    anna = login_as("account_manager", manager_id="M1")
    filed = file(
        api,
        jan,
        world.individual,
        "meter_check",
        {"meter_serial": "HM-100001", "reason": "Za dużo."},
    )
    app_id = str(filed["application_id"])
    done = decide(api, anna, app_id, "approve")
    assert done.status == 200, done.body
    assert decide(api, anna, app_id, "approve").status == 200  # a replayed approval
    return str(done.json["result"]["letter"])


def _drain() -> dict[str, int]:
    return drain(settings().notices_queue, "payment_notices_worker")


def test_a_document_from_an_application_is_e_mailed_once(api, world, login_as) -> None:
    from chalicelib.services import preferences

    letter = _approve_meter_check(api, world, login_as)
    _drain()
    (mail,) = _to(JAN)
    assert mail["Subject"].startswith("Nowy dokument w e-BOK: ")
    body = mail.get_body(("plain",)).get_content()
    assert "/#/documents" in body and "wypisz się jednym kliknięciem" in body
    assert preferences.document_issued(world.individual, letter) == "done"  # replayed: once
    assert len(_to(JAN)) == 1


def test_switched_off_is_recorded_and_english_when_chosen(api, world, login_as) -> None:
    from chalicelib.services import preferences

    base = store.choices_of(world.individual)
    store.save_preferences(
        world.individual,
        replace(base, channels={**base.channels, "document_new": ()}),
        "2026-11-18T09:00:00Z",
        0,
    )
    letter = _approve_meter_check(api, world, login_as)
    _drain()
    assert _to(JAN) == []
    marker = store.get_notification(world.individual, "document_new", f"doc:{letter}")
    assert marker is not None and marker.status == "unwanted"
    assert preferences.document_issued(world.individual, "no-such-document") == "unknown"


def test_english_title_in_english(api, world, login_as) -> None:
    base = store.choices_of(world.individual)
    store.save_preferences(
        world.individual, replace(base, language="en"), "2026-11-18T09:00:00Z", 0
    )
    _approve_meter_check(api, world, login_as)
    _drain()
    (mail,) = _to(JAN)
    assert mail["Subject"].startswith("A new document in e-BOK: ")
    assert not any(c in mail["Subject"] for c in "ąćęłńóśźż")
