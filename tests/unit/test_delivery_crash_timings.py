"""The timings that decide whether a crashed worker's hand-over is retried (DESIGN.md,
"Known pitfalls"): Lambda timeout < claim staleness < SQS visibility timeout < receives ×
visibility < DLQ retention, for the delivery and the ksef queues; the sweeper comes after a
claim is stale and before the queue has given up. Read from infra/template.yaml and
.chalice/config.json, so a change to either that breaks the chain fails here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _template() -> dict[str, Any]:
    class Loader(yaml.SafeLoader):
        pass

    def tag(loader: Any, suffix: str, node: Any) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("!", tag)
    return yaml.load((ROOT / "infra/template.yaml").read_text(), Loader=Loader)  # noqa: S506


def _queue(resources: dict[str, Any], name: str) -> tuple[int, int, int]:
    props = resources[name]["Properties"]
    dlq_name = props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    retention = int(resources[dlq_name]["Properties"]["MessageRetentionPeriod"])
    return (
        int(props["VisibilityTimeout"]),
        int(props["RedrivePolicy"]["maxReceiveCount"]),
        retention,
    )


def _lambda_timeout(function: str) -> int:
    stage = json.loads((ROOT / ".chalice/config.json").read_text())["stages"]["prod"]
    return int(
        stage.get("lambda_functions", {})
        .get(function, {})
        .get("lambda_timeout", stage["lambda_timeout"])
    )


@pytest.mark.parametrize(
    ("queue", "function", "stale_s"),
    [
        ("DeliveryQueue", "invoice_delivery", "delivery"),
        ("KsefQueue", "ksef_worker", "ksef"),
        ("SmsQueue", "outages_send_sms", "sms"),
    ],
)
def test_claim_staleness_visibility_retries_and_dlq_agree(
    queue: str, function: str, stale_s: str
) -> None:
    from chalicelib.services import delivery, ksef, notifier

    claims = {
        "delivery": delivery.STALE_CLAIM,
        "ksef": ksef.STALE_CLAIM,
        "sms": notifier.SMS_STALE_CLAIM,
    }
    stale = claims[stale_s].total_seconds()
    visibility, receives, retention = _queue(_template()["Resources"], queue)
    assert _lambda_timeout(function) < stale < visibility < receives * visibility < retention


def test_the_sweeper_comes_after_a_stale_claim_and_after_the_queue_is_done() -> None:
    from chalicelib.services import delivery

    visibility, receives, retention = _queue(_template()["Resources"], "DeliveryQueue")
    assert delivery.STALE_CLAIM.total_seconds() < delivery.SENDING_DEADLINE.total_seconds()
    assert receives * visibility < delivery.PENDING_DEADLINE.total_seconds() < retention
