"""SMS hand-overs survive a crash (issue 13 item 2): a sender killed after claiming a notice's
delivery marker and before SNS accepted the SMS leaves the marker ``sending``; SQS's
redelivery after the visibility timeout takes it over and the SMS goes once. Before, the
marker said "sent" from the claim on and the redelivery dropped the SMS as a duplicate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration import test_outages_notifier as notifier_tests
from tests.integration.outages_support import invoke, outage_body, receive, sent_sms
from tests.integration.test_outages_notifier import BM_PHONE, JAN_PHONE

# The notifier tests' fixtures: a fixed clock and the subscribers of the demo outage.
clock = notifier_tests.clock
subscribers = notifier_tests.subscribers


class Crash(BaseException):
    """The Lambda was killed here."""


def test_sender_killed_before_sns_sends_once_after_redelivery(
    api, subscribers, clock, monkeypatch
) -> None:
    from chalicelib.adapters import sns

    api.post("/outages", outage_body(), headers=subscribers)
    invoke("notifier", receive("notifier"))
    messages = receive("sms")
    real = sns.publish_sms
    armed = {"on": True}

    def killed(phone: str, text: str, sender_id: str = "EBOK") -> str:
        if armed["on"]:
            armed["on"] = False
            raise Crash()
        return real(phone, text, sender_id)

    monkeypatch.setattr(sns, "publish_sms", killed)
    with pytest.raises(Crash):
        invoke("sms", messages)  # killed while sending the first SMS of the batch
    assert sent_sms() == []
    invoke("sms", messages)  # redelivered at once: the live claim holds, the rest go
    assert JAN_PHONE not in _phones() and BM_PHONE in _phones()
    clock.set(clock.now + timedelta(seconds=180))  # the visibility timeout passes
    invoke("sms", messages)
    assert _phones().count(JAN_PHONE) == 1
    clock.set(clock.now + timedelta(hours=1))
    before = _phones()
    invoke("sms", messages)  # any later redelivery: sent markers are final
    assert _phones() == before
    assert len(before) == len(set(before))  # nobody got one twice


def _phones() -> list[str]:
    return [p for p, _ in sent_sms()]
