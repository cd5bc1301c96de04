"""Infrastructure for scale: an alarm on every dead-letter queue (template and local stack),
a dashboard that shows every DLQ, a maximum concurrency on every SQS event source, reserved
concurrency for the API and its authorizer, and queue visibility that outlasts the Lambda."""

from __future__ import annotations

import json

import boto3

from devstack.policies import CHALICE_DIR
from devstack.provision import load_template

REGION = "eu-central-1"


def _dlqs(template: dict) -> list[str]:
    return [
        name
        for name, res in template["Resources"].items()
        if res["Type"] == "AWS::SQS::Queue" and name.endswith("DLQ")
    ]


def test_every_dlq_has_an_alarm_in_the_template_and_the_local_stack(aws) -> None:
    template = load_template()
    alarms = [
        res["Properties"]
        for res in template["Resources"].values()
        if res["Type"] == "AWS::CloudWatch::Alarm"
    ]
    watched = {
        d["Value"]["Fn::GetAtt"][0]
        for a in alarms
        for d in a["Dimensions"]
        if a["MetricName"] == "ApproximateNumberOfMessagesVisible"
    }
    missing = set(_dlqs(template)) - watched
    assert not missing, (
        f"add an AWS::CloudWatch::Alarm (copy NoticesDLQAlarm) and a dashboard line for {missing}"
    )
    assert watched <= set(_dlqs(template))
    assert all(a["AlarmActions"] == [{"Ref": "OperationsTopic"}] for a in alarms)

    cloudwatch = boto3.client("cloudwatch", region_name=REGION)
    local = cloudwatch.describe_alarms()["MetricAlarms"]
    queues = {d["Value"] for a in local for d in a["Dimensions"]}
    names = [
        q
        for q in boto3.client("sqs", region_name=REGION).list_queues()["QueueUrls"]
        if q.endswith(("-dlq", "-dlq.fifo"))
    ]
    assert queues == {u.rsplit("/", 1)[-1] for u in names}
    topics = boto3.client("sns", region_name=REGION).list_topics()["Topics"]
    topic = [t for t in topics if t["TopicArn"].endswith(":ebok-local-operations")]
    assert all(a["AlarmActions"] == [t["TopicArn"] for t in topic] for a in local)

    board = cloudwatch.get_dashboard(DashboardName="ebok-local")["DashboardBody"]
    titles = [w["properties"]["title"] for w in json.loads(board)["widgets"]]
    assert titles == [
        "Invoices issued",
        "E-mails sent",
        "SMS sent",
        "Dead-letter queues (messages)",
    ]
    for q in queues:
        assert q in board, f"add {q} to the dashboard's dead-letter widget (infra/template.yaml)"


def test_every_sqs_event_source_is_paced() -> None:
    from chalice.app import SQSEventConfig

    import app

    sources = [s for s in app.app.event_sources if isinstance(s, SQSEventConfig)]
    mine = {"outages_notify", "outages_send_sms", "payment_notices_worker"}
    assert mine <= {s.name for s in sources}
    for s in sources:
        if s.name in mine:
            assert s.maximum_concurrency and s.maximum_concurrency >= 2, s.name


def test_concurrency_timeouts_and_visibility_agree() -> None:
    config = json.loads((CHALICE_DIR / "config.json").read_text())
    template = load_template()["Resources"]
    for stage in ("dev", "prod"):
        functions = config["stages"][stage]["lambda_functions"]
        assert functions["api_handler"]["reserved_concurrency"] > 0
        assert functions["authorizer"]["reserved_concurrency"] > 0
        env = config["stages"][stage]["environment_variables"]
        assert env["NOTICES_QUEUE"] == f"ebok-{stage}-notices"
        assert env["SES_SEND_RATE"] == "quota"
        from chalicelib.jobs import notices, outages

        # Each container's share of the rate assumes this many senders at once.
        assert int(env["SMS_SENDERS"]) == outages.SMS_CONCURRENCY
        assert int(env["SES_SENDERS"]) >= notices.WORKER_CONCURRENCY
        for fn, queue in (
            ("payment_notices_worker", "NoticesQueue"),
            ("outages_notify", "NotifierQueue"),
            ("outages_send_sms", "SmsQueue"),
        ):
            timeout = functions[fn]["lambda_timeout"]
            visibility = template[queue]["Properties"]["VisibilityTimeout"]
            assert visibility >= 6 * timeout, (fn, visibility, timeout)
