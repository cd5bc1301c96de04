"""SES bounces and complaints through the whole pipe of the local stack: a notification in
SES's documented format (tests/data/ses) published on the feedback topic reaches the bounces
queue through the SNS subscription, the ``ses_feedback`` handler suppresses the address
(permanent bounce, complaint) or counts it (transient), the next send to it is skipped and
recorded, and the account manager sees the customer flagged; replays change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from chalicelib.adapters import ses
from chalicelib.services import preferences
from chalicelib.store import preferences as store
from tests.integration.invoicing_helpers import drain

DATA = Path(__file__).resolve().parent.parent / "data" / "ses"
REGION = "eu-central-1"
JAN = "jan.kowalski@example.pl"
SM = "biuro@sm-przyszlosc.example.pl"


def _publish(name: str) -> None:
    sns = boto3.client("sns", region_name=REGION)
    [topic] = [
        t["TopicArn"]
        for t in sns.list_topics()["Topics"]
        if t["TopicArn"].endswith(":ebok-local-ses-feedback")
    ]
    sns.publish(TopicArn=topic, Message=(DATA / name).read_text(encoding="utf-8"))


def _sent() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def test_a_permanent_bounce_suppresses_and_the_next_send_is_skipped(api, world, login_as) -> None:
    _publish("bounce_permanent.json")
    assert drain("ebok-local-bounces", "ses_feedback")["done"] == 1
    found = store.get_suppression(JAN)
    assert found is not None and found.reason == "bounce"
    assert "550 5.1.1" in (found.detail or "") and found.detail.startswith("Permanent/General")

    before = len(_sent())
    answer = ses.send_email([JAN], "Nowa faktura", "Treść")
    assert ses.was_skipped(answer) and len(_sent()) == before  # nothing reached SES
    [skipped] = store.skipped_sends(JAN)
    assert skipped.subject == "Nowa faktura"

    # a sender that asks the preference centre records the skip on its notification marker
    def build(lang, name, url):
        from chalicelib.render import preference_mail

        return preference_mail.due_reminder(lang, name, "FV/1", "2026-11-30", 1000, url)

    assert preferences.send_once(world.individual, "due_reminder", "FV/1", build) == "skipped"
    assert len(_sent()) == before and len(store.skipped_sends(JAN)) == 2

    # SES redelivers the same notification: nothing changes
    _publish("bounce_permanent.json")
    drain("ebok-local-bounces", "ses_feedback")
    listed = api.get("/admin/suppressions", headers=login_as("admin")).json["items"]
    assert [s["email"] for s in listed] == [JAN]


def test_the_account_manager_sees_the_flag(api, world, login_as) -> None:
    _publish("bounce_permanent.json")
    drain("ebok-local-bounces", "ses_feedback")
    mine = api.get("/admin/address-flags", headers=login_as("account_manager", manager_id="M1"))
    assert mine.status == 200, mine.body
    assert [(f["customer_no"], f["email"], f["reason"]) for f in mine.json["items"]] == [
        (world.individual, JAN, "bounce")
    ]
    other = login_as("account_manager", manager_id="M2")
    assert api.get("/admin/address-flags", headers=other).json["items"] == []
    assert api.get("/admin/address-flags?manager_id=M1", headers=other).status == 404
    admin = login_as("admin")
    assert api.get("/admin/address-flags", headers=admin).status == 400
    assert api.get("/admin/address-flags?cursor=zzz", headers=admin).status == 400
    by_admin = api.get("/admin/address-flags?manager_id=M1", headers=admin).json["items"]
    assert [f["customer_no"] for f in by_admin] == [world.individual]
    customer = login_as("customer", customers=[world.individual])
    assert api.get("/admin/address-flags", headers=customer).status == 403
    # the customer's consents page says the address does not receive mail
    view = api.get(f"/customers/{world.individual}/consents", headers=customer).json
    assert view["email_suppressed"] is True


def test_a_transient_bounce_is_counted_once_and_does_not_suppress(world) -> None:
    _publish("bounce_transient.json")
    _publish("bounce_transient.json")  # redelivered
    drain("ebok-local-bounces", "ses_feedback")
    assert store.get_suppression(SM) is None and store.transient_count(SM) == 1
    assert not ses.was_skipped(ses.send_email([SM], "Nowa faktura", "Treść"))


def test_a_complaint_suppresses(world) -> None:
    _publish("complaint.json")
    drain("ebok-local-bounces", "ses_feedback")
    found = store.get_suppression(SM)
    assert found is not None and found.reason == "complaint" and found.detail == "abuse"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps({"eventType": "Delivery", "delivery": {}, "mail": {}}),
        json.dumps({"Type": "SubscriptionConfirmation", "Message": "confirm"}),
        json.dumps({"eventType": "Bounce", "bounce": {"bounceType": "Permanent"}}),
    ],
)
def test_anything_else_is_dropped_and_stores_nothing(world, body) -> None:
    assert preferences.handle_feedback(body) == "ignored"
    assert store.suppressions_page() == []
