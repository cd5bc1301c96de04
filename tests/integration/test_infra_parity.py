"""The infra template and the local stack define the same resources."""

from __future__ import annotations

import json

import boto3

from devstack.policies import CHALICE_DIR, policy
from devstack.provision import load_template

REGION = "eu-central-1"


def test_every_template_resource_exists_locally(aws) -> None:
    template = load_template()
    kinds: dict[str, int] = {}
    for res in template["Resources"].values():
        kinds[res["Type"]] = kinds.get(res["Type"], 0) + 1

    ddb = boto3.client("dynamodb", region_name=REGION)
    table = ddb.describe_table(TableName=aws.table)["Table"]
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["GSI1"]
    assert (
        ddb.describe_time_to_live(TableName=aws.table)["TimeToLiveDescription"]["AttributeName"]
        == "expires_at"
    )
    assert len(ddb.list_tables()["TableNames"]) == kinds["AWS::DynamoDB::Table"]

    s3 = boto3.client("s3", region_name=REGION)
    names = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert names == set(aws.buckets.values())
    assert len(names) == kinds["AWS::S3::Bucket"]
    notif = s3.get_bucket_notification_configuration(Bucket=aws.buckets["StatementsBucket"])
    assert notif["QueueConfigurations"][0]["QueueArn"].endswith(":ebok-local-statements")

    sqs = boto3.client("sqs", region_name=REGION)
    urls = sqs.list_queues()["QueueUrls"]
    assert len(urls) == kinds["AWS::SQS::Queue"]
    for name in aws.queues.values():
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])[
            "Attributes"
        ]
        dlq = f"{name.removesuffix('.fifo')}-dlq" + (".fifo" if name.endswith(".fifo") else "")
        assert json.loads(attrs["RedrivePolicy"])["deadLetterTargetArn"].endswith(dlq)

    idp = boto3.client("cognito-idp", region_name=REGION)
    groups = {g["GroupName"] for g in idp.list_groups(UserPoolId=aws.user_pool_id)["Groups"]}
    assert groups == {"customers", "managers", "operators", "admins"}
    assert (
        len(
            idp.list_user_pool_clients(UserPoolId=aws.user_pool_id, MaxResults=10)[
                "UserPoolClients"
            ]
        )
        == 1
    )

    ses = boto3.client("ses", region_name=REGION)
    assert aws.sender in ses.list_identities()["Identities"]
    sets = [c["Name"] for c in ses.list_configuration_sets()["ConfigurationSets"]]
    assert sets == [aws.configuration_set]


def test_committed_policies_are_current() -> None:
    for stage in ("local", "dev", "prod"):
        committed = json.loads((CHALICE_DIR / f"policy-{stage}.json").read_text())
        assert committed == policy(stage), f"run `python -m devstack policies` ({stage})"


def test_chalice_config_names_match_the_template() -> None:
    config = json.loads((CHALICE_DIR / "config.json").read_text())
    for stage in ("local", "dev", "prod"):
        env = config["stages"][stage]["environment_variables"]
        assert env["TABLE_NAME"] == f"ebok-{stage}"
        for q in ("INVOICING", "DELIVERY", "NOTIFIER", "SMS", "STATEMENTS"):
            assert env[f"{q}_QUEUE"] == f"ebok-{stage}-{q.lower()}"
        for b in ("DOCUMENTS", "INVOICES", "REPORTS", "STATEMENTS"):
            assert env[f"{b}_BUCKET"] == f"ebok-{stage}-{b.lower()}"
