"""Create every resource of ``infra/template.yaml`` on the embedded AWS (moto).

moto's CloudFormation builds the table, buckets and queues but silently skips Cognito and
SES resources, so those are created here from the same template properties. The same code
serves ``make run`` (moto server) and the integration tests (in-process ``mock_aws``).
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "template.yaml"
STACK_NAME = "ebok-{stage}"


def load_template() -> dict[str, Any]:
    return dict(yaml.safe_load(TEMPLATE.read_text(encoding="utf-8")))


@dataclass
class Provisioned:
    table: str
    buckets: dict[str, str]
    queues: dict[str, str]
    user_pool_id: str
    client_id: str
    sender: str
    configuration_set: str
    client_secret: str = ""

    def environment(self) -> dict[str, str]:
        """Environment variables the app reads (see chalicelib/config.py)."""
        return {
            "TABLE_NAME": self.table,
            "DOCUMENTS_BUCKET": self.buckets["DocumentsBucket"],
            "INVOICES_BUCKET": self.buckets["InvoicesBucket"],
            "REPORTS_BUCKET": self.buckets["ReportsBucket"],
            "STATEMENTS_BUCKET": self.buckets["StatementsBucket"],
            "COGNITO_USER_POOL_ID": self.user_pool_id,
            "COGNITO_CLIENT_ID": self.client_id,
            "COGNITO_CLIENT_SECRET": self.client_secret,
            "SENDER_EMAIL": self.sender,
            "SES_CONFIGURATION_SET": self.configuration_set,
            **{f"{k.removesuffix('Queue').upper()}_QUEUE": v for k, v in self.queues.items()},
        }


def _sub(value: Any, params: dict[str, str]) -> str:
    """Resolve the ``Fn::Sub``/``Ref`` forms this template uses for names."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        return re.sub(r"\$\{([\w:]+)\}", lambda m: params[m.group(1)], value["Fn::Sub"])
    if isinstance(value, dict) and "Ref" in value:
        return params[value["Ref"]]
    return str(value)


def _resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: res.get("Properties", {})
        for name, res in template["Resources"].items()
        if res["Type"] == kind
    }


def _alarms(clients: Any, template: dict[str, Any], params: dict[str, str]) -> None:
    """Every ``AWS::CloudWatch::Alarm`` of the template (queue names and the topic resolved
    the way CloudFormation would)."""
    resources = template["Resources"]

    def value(v: Any) -> str:
        if isinstance(v, dict) and "Fn::GetAtt" in v:
            name, attr = v["Fn::GetAtt"]
            if attr != "QueueName":
                raise ValueError(f"unsupported attribute {attr}")
            return _sub(resources[name]["Properties"]["QueueName"], params)
        if isinstance(v, dict) and "Ref" in v and v["Ref"] in resources:
            topic = _sub(resources[v["Ref"]]["Properties"]["TopicName"], params)
            return str(clients("sns").create_topic(Name=topic)["TopicArn"])
        return _sub(v, params)

    cloudwatch = clients("cloudwatch")
    for props in _resources_of(template, "AWS::CloudWatch::Alarm").values():
        cloudwatch.put_metric_alarm(
            AlarmName=value(props["AlarmName"]),
            AlarmDescription=props.get("AlarmDescription", ""),
            Namespace=props["Namespace"],
            MetricName=props["MetricName"],
            Dimensions=[
                {"Name": d["Name"], "Value": value(d["Value"])} for d in props["Dimensions"]
            ],
            Statistic=props["Statistic"],
            Period=int(props["Period"]),
            EvaluationPeriods=int(props["EvaluationPeriods"]),
            Threshold=float(props["Threshold"]),
            ComparisonOperator=props["ComparisonOperator"],
            TreatMissingData=props.get("TreatMissingData", "missing"),
            AlarmActions=[value(a) for a in props.get("AlarmActions", [])],
            OKActions=[value(a) for a in props.get("OKActions", [])],
        )


def _queue_arn(clients: Any, name: str) -> str:
    sqs = clients("sqs")
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attrs["Attributes"]["QueueArn"])


def _feedback(clients: Any, template: dict[str, Any], params: dict[str, str]) -> None:
    """SES event destinations (bounces, complaints → SNS topic) and the topic's SQS
    subscriptions: moto's CloudFormation skips both."""
    resources = template["Resources"]
    sns = clients("sns")

    def topic_arn(ref: dict[str, str]) -> str:
        name = _sub(resources[ref["Ref"]]["Properties"]["TopicName"], params)
        return str(sns.create_topic(Name=name)["TopicArn"])

    for props in _resources_of(template, "AWS::SES::ConfigurationSetEventDestination").values():
        dest = props["EventDestination"]
        conf_ref = props["ConfigurationSetName"]["Ref"]
        conf_set = _sub(resources[conf_ref]["Properties"]["Name"], params)
        clients("ses").create_configuration_set_event_destination(
            ConfigurationSetName=conf_set,
            EventDestination={
                "Name": _sub(dest["Name"], params),
                "Enabled": bool(dest.get("Enabled", True)),
                "MatchingEventTypes": list(dest["MatchingEventTypes"]),
                "SNSDestination": {"TopicARN": topic_arn(dest["SnsDestination"]["TopicARN"])},
            },
        )
    for props in _resources_of(template, "AWS::SNS::Subscription").values():
        arn = topic_arn(props["TopicArn"])
        queue = resources[props["Endpoint"]["Fn::GetAtt"][0]]["Properties"]["QueueName"]
        endpoint = _queue_arn(clients, _sub(queue, params))
        existing = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        if not any(s["Endpoint"] == endpoint for s in existing):
            sns.subscribe(TopicArn=arn, Protocol=props["Protocol"], Endpoint=endpoint)


def provision(clients: Any, stage: str = "local", bucket_prefix: str = "ebok") -> Provisioned:
    """``clients(service)`` returns a boto3 client pointed at the embedded AWS."""
    template = load_template()
    body = TEMPLATE.read_text(encoding="utf-8")
    params = {
        "Stage": stage,
        "BucketPrefix": bucket_prefix,
        "SenderEmail": template["Parameters"]["SenderEmail"]["Default"],
        "AWS::Partition": "aws",
        "AWS::AccountId": "123456789012",
    }
    cfn = clients("cloudformation")
    # moto says, per resource, that it skips Cognito/SES; they are created below instead.
    moto_cfn_log = logging.getLogger("moto")
    level = moto_cfn_log.level
    moto_cfn_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            cfn.create_stack(
                StackName=STACK_NAME.format(stage=stage),
                TemplateBody=body,
                Parameters=[
                    {"ParameterKey": "Stage", "ParameterValue": stage},
                    {"ParameterKey": "BucketPrefix", "ParameterValue": bucket_prefix},
                ],
            )
    finally:
        moto_cfn_log.setLevel(level)
    table = _sub(template["Resources"]["Table"]["Properties"]["TableName"], params)
    buckets = {
        name: _sub(props["BucketName"], params)
        for name, props in _resources_of(template, "AWS::S3::Bucket").items()
    }
    queues = {
        name: _sub(props["QueueName"], params)
        for name, props in _resources_of(template, "AWS::SQS::Queue").items()
        if not name.endswith("DLQ")
    }

    # What moto's CloudFormation accepts but does not apply: TTL and bucket notifications.
    table_props = template["Resources"]["Table"]["Properties"]
    ttl = table_props.get("TimeToLiveSpecification")
    if ttl:
        clients("dynamodb").update_time_to_live(
            TableName=table,
            TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
        )
    s3 = clients("s3")
    sqs = clients("sqs")
    for name, props in _resources_of(template, "AWS::S3::Bucket").items():
        qconfs = props.get("NotificationConfiguration", {}).get("QueueConfigurations", [])
        if not qconfs:
            continue
        configs = []
        for qc in qconfs:
            queue_res = qc["Queue"]["Fn::GetAtt"][0]
            queue_name = _sub(template["Resources"][queue_res]["Properties"]["QueueName"], params)
            url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            configs.append({"QueueArn": arn, "Events": [qc["Event"]]})
        s3.put_bucket_notification_configuration(
            Bucket=buckets[name], NotificationConfiguration={"QueueConfigurations": configs}
        )

    # SES: moto's CloudFormation skips these.
    ses = clients("ses")
    sender = params["SenderEmail"]
    ses.verify_email_identity(EmailAddress=sender)
    conf_set = ""
    for props in _resources_of(template, "AWS::SES::ConfigurationSet").values():
        conf_set = _sub(props["Name"], params)
        ses.create_configuration_set(ConfigurationSet={"Name": conf_set})

    _feedback(clients, template, params)

    # SNS SMS defaults are account settings (template Metadata).
    sms = template.get("Metadata", {}).get("EbokSmsDefaults", {})
    if sms:
        clients("sns").set_sms_attributes(attributes={k: str(v) for k, v in sms.items()})

    # CloudWatch alarms: moto's CloudFormation skips these (the dashboard and topic it builds).
    _alarms(clients, template, params)

    # Cognito: moto's CloudFormation skips these too.
    idp = clients("cognito-idp")
    pool_props = next(iter(_resources_of(template, "AWS::Cognito::UserPool").values()))
    pool = idp.create_user_pool(
        PoolName=_sub(pool_props["UserPoolName"], params),
        Policies=pool_props["Policies"],
        AutoVerifiedAttributes=pool_props["AutoVerifiedAttributes"],
        UsernameConfiguration=pool_props["UsernameConfiguration"],
        AdminCreateUserConfig=pool_props["AdminCreateUserConfig"],
        MfaConfiguration=pool_props["MfaConfiguration"],
        AccountRecoverySetting=pool_props["AccountRecoverySetting"],
    )["UserPool"]
    client_props = next(iter(_resources_of(template, "AWS::Cognito::UserPoolClient").values()))
    app_client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName=_sub(client_props["ClientName"], params),
        GenerateSecret=client_props["GenerateSecret"],
        ExplicitAuthFlows=client_props["ExplicitAuthFlows"],
        PreventUserExistenceErrors=client_props["PreventUserExistenceErrors"],
        EnableTokenRevocation=client_props["EnableTokenRevocation"],
    )["UserPoolClient"]
    for props in _resources_of(template, "AWS::Cognito::UserPoolGroup").values():
        idp.create_group(
            UserPoolId=pool["Id"], GroupName=props["GroupName"], Description=props["Description"]
        )
    return Provisioned(
        table=table,
        buckets=buckets,
        queues=queues,
        user_pool_id=pool["Id"],
        client_id=app_client["ClientId"],
        client_secret=str(app_client.get("ClientSecret", "")),
        sender=sender,
        configuration_set=conf_set,
    )
