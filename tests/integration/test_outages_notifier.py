"""Outage notices: SQS fan-out to one SMS per (outage, event, phone), never two on
redelivery; GSM 03.38 text within 160 characters; quiet nights for planned outages."""

from __future__ import annotations

from datetime import UTC, datetime

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
import pytest

from tests.integration.outages_support import (  # noqa: F401
    FakeClock,
    _fresh_adapters,
    delete,
    drain,
    drain_all,
    invoke,
    outage_body,
    receive,
    run_release_job,
    sent_emails,
    sent_sms,
)

DAY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 Warsaw
NIGHT = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 Warsaw (CET)
JAN_PHONE = "+48600100200"
BM_PHONE = "+48713500601"
OPTED_OUT = "+48600100299"  # moto: numbers ending in 99 are opted out


@pytest.fixture
def clock(monkeypatch):
    return FakeClock(monkeypatch, DAY)


@pytest.fixture
def subscribers(api, world, aws, clock, login_as):
    """Jan (Legnicka 12) by SMS, the housing co-op's building 200 by SMS and 202 by
    e-mail, one opted-out number on building 204; all switched on by manager M1.
    (Through the services: the HTTP side of requests is tested in test_outages_alerts.)"""
    from chalicelib.domain.principal import Principal
    from chalicelib.services import alerts

    m1 = Principal("m1", "account_manager", manager_id="M1")
    requests = [
        (world.individual, {"premises_id": world.premises["individual"], "phone": JAN_PHONE}),
        (world.institution, {"premises_id": "P-200001-1", "phone": BM_PHONE}),
        (world.institution, {"premises_id": "P-200001-2", "channel": "email", "lang": "en"}),
        (world.institution, {"premises_id": "P-200001-3", "phone": OPTED_OUT}),
    ]
    for customer_no, body in requests:
        who = Principal("c", "customer", customer_nos=(customer_no,))
        alert, created = alerts.request_alert(who, customer_no, body, "pl")
        assert created
        assert alerts.approve(m1, customer_no, alert["alert_id"])["status"] == "active"
    return login_as("operator")


def _gsm_ok(text: str) -> bool:
    try:
        return len(text.encode("gsm03.38")) <= 160
    except UnicodeError:
        return False


def test_failure_notice_goes_at_once_even_at_night(api, subscribers, clock) -> None:
    clock.set(NIGHT)
    r = api.post(
        "/outages",
        outage_body(
            kind="failure", starts_at="2026-03-10T23:00", expected_end_at="2026-03-11T06:00"
        ),
        headers=subscribers,
    )
    assert r.status == 201
    drain_all()
    phones = sorted(p for p, _ in sent_sms())
    assert phones == sorted([JAN_PHONE, BM_PHONE])  # the opted-out number got nothing
    assert all(_gsm_ok(text) for _, text in sent_sms())
    text = dict(sent_sms())[JAN_PHONE]
    assert "Awaria" in text and "Wroclaw" in text and "Legnicka" in text and "11.03 06:00" in text
    mails = sent_emails()
    assert len(mails) == 1 and "Failure" in mails[0].raw_data


def test_planned_notice_created_at_night_waits_for_seven(api, subscribers, clock) -> None:
    clock.set(NIGHT)
    assert api.post("/outages", outage_body(), headers=subscribers).status == 201
    assert receive("notifier") == []  # held: nothing queued at 23:30
    drain_all()
    assert sent_sms() == []

    assert run_release_job(datetime(2026, 3, 11, 5, 55, tzinfo=UTC)) == {"released": 0}  # 06:55
    drain_all()
    assert sent_sms() == []

    assert run_release_job(datetime(2026, 3, 11, 6, 0, tzinfo=UTC)) == {"released": 1}  # 07:00
    drain_all()
    assert sorted(p for p, _ in sent_sms()) == sorted([JAN_PHONE, BM_PHONE])
    assert run_release_job(datetime(2026, 3, 11, 6, 5, tzinfo=UTC)) == {"released": 0}


def test_planned_notice_by_day_goes_at_once(api, subscribers, clock) -> None:
    assert api.post("/outages", outage_body(), headers=subscribers).status == 201
    drain_all()
    assert len(sent_sms()) == 2


@pytest.mark.parametrize("page_size", [500, 1])
def test_redelivering_every_message_sends_nothing_twice(
    api, subscribers, clock, monkeypatch, page_size
) -> None:
    from chalicelib.services import notifier

    monkeypatch.setattr(notifier, "PAGE_SIZE", page_size)

    def fan_out_twice() -> int:
        """Every notifier message (continuation pages too) is handled twice."""
        handled = 0
        while messages := receive("notifier"):
            invoke("notifier", messages)
            invoke("notifier", messages)  # redelivered: fans out again
            delete("notifier", messages)
            handled += len(messages)
        return handled

    oid = api.post("/outages", outage_body(), headers=subscribers).json["id"]
    # One page per event, or (page size 1) a chain of continuation pages, each one
    # redelivered and so continued twice.
    assert fan_out_twice() >= 1
    api.patch(f"/outages/{oid}", {"expected_end_at": "2026-03-12T19:00"}, headers=subscribers)
    assert fan_out_twice() >= 1
    clock.set(datetime(2026, 3, 12, 16, 0, tzinfo=UTC))
    api.post(f"/outages/{oid}/close", {}, headers=subscribers)
    assert fan_out_twice() >= 1
    # The release job re-queues nothing that was already queued.
    assert run_release_job(datetime(2026, 3, 12, 17, 0, tzinfo=UTC)) == {"released": 0}

    sms_messages = receive("sms")
    assert len(sms_messages) >= 2 * 3 * 4  # at least twice × 3 events × 4 recipients
    invoke("sms", sms_messages)
    invoke("sms", sms_messages)  # every SMS message redelivered
    invoke("sms", list(reversed(sms_messages)))
    delete("sms", sms_messages)

    sent = sent_sms()
    assert len(sent) == 3 * 2  # 3 events × 2 phones (one is opted out)
    assert sorted(p for p, _ in sent) == sorted([JAN_PHONE, BM_PHONE] * 3)
    assert len(set(sent)) == len(sent)
    assert len(sent_emails()) == 3
    for _, text in sent:
        assert _gsm_ok(text), text
    jan = [t for p, t in sent if p == JAN_PHONE]
    assert "do 12.03 16:00" in jan[0] and "19:00" in jan[1] and "Zakonczono" in jan[2]


def test_a_failed_send_is_retried_by_redelivery(api, subscribers, clock, monkeypatch) -> None:
    from chalicelib.adapters import sns

    api.post("/outages", outage_body(), headers=subscribers)
    drain("notifier")
    messages = receive("sms")
    real = sns.publish_sms
    calls = {"n": 0}

    def flaky(phone: str, text: str, sender_id: str = "EBOK") -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("SNS throttled")
        return real(phone, text, sender_id)

    monkeypatch.setattr(sns, "publish_sms", flaky)
    failed = invoke("sms", messages)  # the failed record alone: SQS will redeliver it
    assert len(failed) == 1
    assert len(sent_sms()) == 1  # the other phone in the batch still got its SMS
    invoke("sms", [m for m in messages if m["MessageId"] in failed])  # the redelivery
    assert sorted(p for p, _ in sent_sms()) == sorted([JAN_PHONE, BM_PHONE])
    invoke("sms", messages)  # any later redelivery of both sends nothing more
    assert sorted(p for p, _ in sent_sms()) == sorted([JAN_PHONE, BM_PHONE])


def test_only_affected_buildings_and_products_are_told(api, subscribers, clock) -> None:
    body = outage_body(streets=[{"name": "Grabiszyńska", "buildings": ["202", "204"]}])
    api.post("/outages", body, headers=subscribers)
    drain_all()
    assert sent_sms() == []  # 202 is by e-mail, 204 opted out
    assert len(sent_emails()) == 1
    api.post("/outages", outage_body(product="electricity", kind="failure"), headers=subscribers)
    drain_all()
    assert sent_sms() == []  # no electricity contract on these premises
    assert len(sent_emails()) == 1


def test_switched_off_alert_gets_nothing(api, world, subscribers, clock, login_as) -> None:
    jan = login_as("customer", [world.individual])
    alert = api.get(f"/customers/{world.individual}/alerts", headers=jan).json["alerts"][0]
    r = api.delete(f"/customers/{world.individual}/alerts/{alert['alert_id']}", headers=jan)
    assert r.status == 200 and r.json["status"] == "off"
    api.post("/outages", outage_body(), headers=subscribers)
    drain_all()
    assert [p for p, _ in sent_sms()] == [BM_PHONE]


def test_every_demo_outage_alert_is_one_gsm_sms(aws, monkeypatch) -> None:
    """Seeds the demo data, then every event of every demo outage (created, end changed,
    closed) in Polish and English; each SMS is checked with the gsm0338 codec."""

    from chalicelib.domain.principal import Principal
    from chalicelib.services import alerts, outages
    from devstack import seed_customers, seed_outages
    from tests.support import demo_context

    FakeClock(monkeypatch, DAY)
    ctx = demo_context(aws, DAY.date())
    seed_customers.seed(ctx)
    # Every demo street gets an English-speaking subscriber too.
    m1 = seed_outages.MANAGER_M1
    extra = (
        ("100004", "P-100004-1", "+48600100500"),
        ("200001", "P-200001-2", "+48713500602"),
        ("200002", "P-200002-1", "+48713200300"),
    )
    for customer_no, premises_id, phone in extra:
        who = Principal("x", "customer", customer_nos=(customer_no,))
        alert, _ = alerts.request_alert(
            who, customer_no, {"premises_id": premises_id, "phone": phone, "lang": "en"}, "en"
        )
        alerts.approve(m1, customer_no, alert["alert_id"])
    seed_outages.seed(ctx)
    drain_all()
    ids = ctx.data["outages"]
    for oid in ids:
        outages.update_outage(seed_outages.OPERATOR, oid, {"expected_end_at": "2026-03-31T23:45"})
    drain_all()
    FakeClock(monkeypatch, datetime(2026, 3, 30, 12, 0, tzinfo=UTC))
    for oid in ids:
        outages.close_outage(seed_outages.OPERATOR, oid, {})
    drain_all()
    texts = [t for _, t in sent_sms()]
    # Legnicka (2 phones) and Grabiszyńska (1) planned, Kasprowicza (1) failure: 3 events each.
    assert len(texts) == 4 * 3, texts
    first_words = {t.split()[0] for t in texts}
    assert {"Planowane", "Planned", "Zmiana", "Update:", "Failure", "Zakonczono"} <= first_words
    for text in texts:
        encoded = text.encode("gsm03.38")  # raises on any character outside GSM 03.38
        assert len(encoded) <= 160, (len(encoded), text)
