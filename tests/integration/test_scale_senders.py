"""Paced senders: throttling ends in a later delivery (never the DLQ), a poison message goes
to the DLQ alone while its batch-mates are processed once, one SNS call per SMS, the SES
quota read once per container, and the notifier reads only the affected buildings."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import boto3
import pytest

from tests.integration.outages_support import (  # noqa: F401
    FakeClock,
    _fresh_adapters,
    outage_body,
    sent_emails,
    sent_sms,
)
from tests.integration.scale_support import (
    EventSource,
    MotoClock,
    ThrottlingClient,
    add_subscribers,
    count,
    dlq_bodies,
)
from tests.support import REGION

DAY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 10:00 Warsaw: notices go at once


@pytest.fixture
def moto_clock(monkeypatch):
    return MotoClock(monkeypatch)


@pytest.fixture
def paced(monkeypatch, aws):
    """Senders paced as outside the local stage (quick in-call backoff for the test)."""
    from chalicelib.adapters import pacing, ses, sns
    from chalicelib.config import settings

    monkeypatch.setenv("SMS_SEND_RATE", "200")
    monkeypatch.setenv("SES_SEND_RATE", "quota")
    monkeypatch.setattr(pacing, "BACKOFF_S", (0.001, 0.002))
    settings.cache_clear()
    sns.reset()
    ses.reset()
    yield
    settings.cache_clear()
    sns.reset()
    ses.reset()


def _announce(api, login_as, **over) -> str:
    r = api.post("/outages", outage_body(**over), headers=login_as("operator"))
    assert r.status == 201, r.json
    return str(r.json["id"])


@pytest.fixture
def day(monkeypatch):
    return FakeClock(monkeypatch, DAY)


def _sources(moto_clock):
    from chalicelib.config import settings

    return (
        EventSource(moto_clock, settings().notifier_queue, "outages_notify", 1),
        EventSource(moto_clock, settings().sms_queue, "outages_send_sms", 10),
    )


def test_throttled_sms_and_email_are_delivered_later_and_none_reach_the_dlq(
    api, world, login_as, day, paced, moto_clock, monkeypatch
) -> None:
    from chalicelib.adapters import ses, sns
    from chalicelib.config import settings

    phones = add_subscribers(12, buildings=("10", "12"))
    emails = add_subscribers(3, buildings=("14",), channel="email", first=100)
    stubborn = phones[0]
    publishes: Counter[str] = Counter()

    def sns_throttles(params: dict) -> bool:
        # One number is throttled 18 times in a row (6 deliveries of 3 calls each: more
        # receives than the queue's maxReceiveCount of 5); every third other call too.
        publishes[params["PhoneNumber"]] += 1
        if params["PhoneNumber"] == stubborn:
            return publishes[stubborn] <= 18
        return sum(publishes.values()) % 3 == 0

    fake_sns = ThrottlingClient(boto3.client("sns", region_name=REGION), "publish", sns_throttles)
    ses_calls = Counter[str]()

    def ses_throttles(params: dict) -> bool:
        ses_calls["send"] += 1
        return ses_calls["send"] <= 7  # the first deliveries throttle twice over

    class GenerousSes(ThrottlingClient):
        def get_send_quota(self) -> dict:
            self.calls["get_send_quota"] = self.calls.get("get_send_quota", 0) + 1
            return {"Max24HourSend": 50_000.0, "MaxSendRate": 100.0, "SentLast24Hours": 0.0}

    fake_ses = GenerousSes(boto3.client("ses", region_name=REGION), "send_raw_email", ses_throttles)
    monkeypatch.setattr(sns, "client", lambda name: fake_sns)
    monkeypatch.setattr(ses, "client", lambda name: fake_ses)

    _announce(api, login_as)
    notify, send = _sources(moto_clock)
    notify.run()
    send.run()

    assert fake_sns.throttled >= 18 and fake_ses.throttled == 7
    got = Counter(p for p, _ in sent_sms())
    assert got == Counter(phones)  # every SMS delivered, each exactly once
    assert len(sent_emails()) == len(emails)
    for queue in (settings().sms_queue, settings().notifier_queue):
        assert dlq_bodies(queue) == []
        assert count(f"{queue}-dlq") == 0 and count(queue) == 0
    assert send.failures == 0  # throttling never failed an invocation
    assert fake_ses.calls["get_send_quota"] == 1  # the quota is read once per container


def test_a_poison_message_goes_to_the_dlq_alone(api, world, login_as, day, moto_clock, monkeypatch):
    from chalicelib.adapters import sqs
    from chalicelib.config import settings
    from chalicelib.services import notifier

    phones = add_subscribers(4, buildings=("10",))
    _announce(api, login_as)
    notify, send = _sources(moto_clock)
    notify.run()
    # A poison message joins the four good ones in one batch of the sms queue.
    sqs.send_batch(settings().sms_queue, [{"outage_id": "x"}, "not json at all"])
    handled: Counter[str] = Counter()
    real = notifier.deliver

    def counting(message: dict) -> str:
        handled[str(message.get("to"))] += 1
        return real(message)

    monkeypatch.setattr(notifier, "deliver", counting)
    send.run()

    assert Counter(p for p, _ in sent_sms()) == Counter(phones)
    assert all(handled[p] == 1 for p in phones), handled  # processed once, not per retry
    parked = dlq_bodies(settings().sms_queue)
    assert sorted(parked) == sorted([json.dumps({"outage_id": "x"}), "not json at all"])
    assert send.failures == 5  # the poison's five receives failed; nothing else did
    assert count(settings().sms_queue) == 0


def test_one_sns_call_per_sms_with_a_paged_opt_out_list(
    api, world, login_as, day, paced, moto_clock, monkeypatch
) -> None:
    from chalicelib.adapters import sns

    phones = add_subscribers(40, buildings=("10", "12", "14"))
    opted_out = set(phones[::10])
    pages = [sorted(opted_out)[i : i + 2] for i in range(0, len(opted_out), 2)]

    class PagedOptOut(ThrottlingClient):
        def list_phone_numbers_opted_out(self, nextToken: str = "") -> dict:
            self.calls["list_phone_numbers_opted_out"] = (
                self.calls.get("list_phone_numbers_opted_out", 0) + 1
            )
            n = int(nextToken or 0)
            answer: dict = {"phoneNumbers": pages[n]}
            if n + 1 < len(pages):
                answer["nextToken"] = str(n + 1)
            return answer

    fake = PagedOptOut(boto3.client("sns", region_name=REGION), "publish", lambda p: False)
    monkeypatch.setattr(sns, "client", lambda name: fake)
    _announce(api, login_as)
    notify, send = _sources(moto_clock)
    notify.run()
    send.run()

    sent = [p for p, _ in sent_sms()]
    assert sorted(sent) == sorted(set(phones) - opted_out)
    assert fake.calls["list_phone_numbers_opted_out"] == len(pages)  # read once, every page
    assert "check_if_phone_number_is_opted_out" not in fake.calls
    calls = sum(fake.calls.values())
    assert calls / len(sent) <= 1.1


def test_the_notifier_reads_only_the_affected_buildings(
    api, world, login_as, day, moto_clock
) -> None:
    from devstack.metering import count_calls

    told = add_subscribers(3, buildings=("12",))
    add_subscribers(300, buildings=tuple(str(b) for b in range(20, 50)), first=1000)
    _announce(
        api,
        login_as,
        streets=[{"name": "ul. Legnicka", "buildings": ["12"]}],
    )
    notify, send = _sources(moto_clock)
    with count_calls() as log:
        notify.run()
    send.run()
    assert sorted(p for p, _ in sent_sms()) == sorted(told)
    # One Query for the outage, one for building 12's SMS Alert subscribers, then the watched
    # addresses (any city, issue 15): building 12's watchers and the whole street's. The
    # street's 300 other subscribers are not read.
    assert log.of("dynamodb").count("Query") == 4
