"""Run scheduled jobs and drain queues into their real handlers (chalice local runs neither).

python -m devstack jobs                         # list scheduled handlers and queue consumers
python -m devstack job invoicing_run --period 2026-11
python -m devstack drain invoicing              # feed queued messages to the handler
python -m devstack drain all                    # every queue until all are empty
python -m devstack publish ses-feedback tests/data/ses/bounce_permanent.json  # an SNS message
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from typing import Any

from devstack.stack import REGION, load_env


class _Context:
    """The parts of a Lambda context handlers use."""

    def __init__(self, name: str) -> None:
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:{name}"
        self.memory_limit_in_mb = 512
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def _app() -> Any:
    env = load_env()
    os.environ.update(env)
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL_"):
            del os.environ[name]
    import app
    from chalicelib.domain import clock

    clock.reset()  # the stack's clock (its offset is in env.json), whatever this shell says
    return app.app


def _sources(chalice_app: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from chalice.app import ScheduledEventConfig, SQSEventConfig

    schedules = {
        s.name: s for s in chalice_app.event_sources if isinstance(s, ScheduledEventConfig)
    }
    queues = {s.name: s for s in chalice_app.event_sources if isinstance(s, SQSEventConfig)}
    return schedules, queues


def list_jobs() -> int:
    chalice_app = _app()
    schedules, queues = _sources(chalice_app)
    print("scheduled jobs:")
    for name, s in schedules.items():
        print(
            f"  {name:<28} {s.schedule_expression.to_string() if hasattr(s.schedule_expression, 'to_string') else s.schedule_expression}"
        )
    print("queue consumers:")
    for name, q in queues.items():
        print(f"  {name:<28} queue {q.queue}")
    return 0


def run_job(name: str, detail: dict[str, Any]) -> int:
    chalice_app = _app()
    from chalicelib.domain import clock

    schedules, _ = _sources(chalice_app)
    if name not in schedules:
        print(f"no scheduled job named {name!r}; known: {', '.join(sorted(schedules)) or 'none'}")
        return 2
    event = {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "ebok.cli",
        "account": "123456789012",
        "time": clock.now_iso(),
        "region": REGION,
        "resources": [],
        "detail": detail,
    }
    result = chalice_app.handler_map[name](event, _Context(name))
    if result is not None:
        print(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    return 0


def drain(target: str, max_batches: int = 100_000) -> int:
    """Receive messages from one queue (or all) and hand them to the real SQS handler, like
    the Lambda event source (``devstack.event_source``): the records the handler finished are
    deleted, the ones it reported failed (or all, when it raised) come back after the
    visibility timeout."""
    import boto3
    from tqdm import tqdm

    from devstack.event_source import lambda_record, settle

    chalice_app = _app()
    _, queues = _sources(chalice_app)
    sqs = boto3.client("sqs", region_name=REGION)
    chosen = [
        q
        for q in queues.values()
        if target in ("all", q.name, q.queue) or q.queue.endswith("-" + target)
    ]
    if not chosen:
        print(
            f"no queue consumer for {target!r}; known: {', '.join(q.queue for q in queues.values()) or 'none'}"
        )
        return 2
    total = failures = 0
    with tqdm(desc="messages", unit="msg") as bar:
        progress = True
        while progress:
            progress = False
            for q in chosen:
                url = sqs.get_queue_url(QueueName=q.queue)["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
                    "Attributes"
                ]["QueueArn"]
                for _ in range(max_batches):
                    got = sqs.receive_message(
                        QueueUrl=url,
                        MaxNumberOfMessages=min(q.batch_size, 10),
                        AttributeNames=["All"],
                        MessageAttributeNames=["All"],
                        WaitTimeSeconds=0,
                    ).get("Messages", [])
                    if not got:
                        break
                    event = {"Records": [lambda_record(m, arn, REGION) for m in got]}
                    handler = functools.partial(
                        chalice_app.handler_map[q.name], event, _Context(q.name)
                    )
                    _, failed = settle(sqs, url, got, handler)
                    # A failed record comes back after the queue's visibility timeout
                    # (and after maxReceiveCount receives it is in the DLQ).
                    failures += len(failed)
                    total += len(got)
                    bar.update(len(got))
                    progress = True
    print(
        f"drained {total} message(s)" + (f"; {failures} failed, to be retried" if failures else "")
    )
    return 0


def publish(topic: str, path: str) -> int:
    """Publish a file's text on one of the stack's SNS topics, named by its end
    (``ses-feedback`` is ``ebok-local-ses-feedback``), as AWS would: e.g. SES's bounce and
    complaint notifications (``tests/data/ses/*.json``), which the topic's subscription
    puts on the ``bounces`` queue for ``drain bounces``."""
    import boto3

    _app()  # the running stack's environment (endpoint, credentials, names)
    sns = boto3.client("sns", region_name=REGION)
    arns = [t["TopicArn"] for t in sns.list_topics().get("Topics", [])]
    chosen = [a for a in arns if a.rsplit(":", 1)[-1] == topic or a.endswith("-" + topic)]
    if len(chosen) != 1:
        names = ", ".join(a.rsplit(":", 1)[-1] for a in arns) or "none"
        print(f"no single SNS topic {topic!r}; known: {names}")
        return 2
    with open(path, encoding="utf-8") as f:
        message = f.read()
    sent = sns.publish(TopicArn=chosen[0], Message=message)
    print(f"published on {chosen[0].rsplit(':', 1)[-1]}: {sent['MessageId']}")
    return 0
