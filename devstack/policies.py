"""Least-privilege IAM policy per stage, written to .chalice/policy-<stage>.json.

Generated so that the resource names stay in step with infra/template.yaml; the files are
committed and a test checks they are current (``python -m devstack policies``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CHALICE_DIR = Path(__file__).resolve().parent.parent / ".chalice"


def policy(stage: str, bucket_prefix: str = "ebok") -> dict[str, Any]:
    acct = "*"
    region = "*"
    table = f"arn:aws:dynamodb:{region}:{acct}:table/ebok-{stage}"
    buckets = [
        f"arn:aws:s3:::{bucket_prefix}-{stage}-{k}"
        for k in ("documents", "invoices", "reports", "statements")
    ]
    queues = [
        f"arn:aws:sqs:{region}:{acct}:ebok-{stage}-{q}"
        for q in (
            "invoicing",
            "invoicing-numbering.fifo",
            "delivery",
            "notifier",
            "sms",
            "statements",
            "notices",
            "reports",
            "ksef",
            "bounces",
            "privacy",
        )
    ]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "arn:aws:logs:*:*:*",
            },
            {
                "Sid": "Table",
                "Effect": "Allow",
                "Action": [
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:Query",
                    "dynamodb:BatchGetItem",
                    "dynamodb:BatchWriteItem",
                    "dynamodb:ConditionCheckItem",
                    "dynamodb:DescribeTable",
                ],
                "Resource": [table, f"{table}/index/*"],
            },
            {
                "Sid": "Documents",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": [f"{b}/*" for b in buckets],
            },
            {"Sid": "Buckets", "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": buckets},
            {
                "Sid": "Queues",
                "Effect": "Allow",
                "Action": [
                    "sqs:SendMessage",
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "sqs:GetQueueUrl",
                    "sqs:ChangeMessageVisibility",
                ],
                "Resource": queues,
            },
            {
                "Sid": "Email",
                "Effect": "Allow",
                "Action": ["ses:SendRawEmail", "ses:SendEmail"],
                "Resource": "*",
                "Condition": {"StringEquals": {"ses:ConfigurationSetName": f"ebok-{stage}"}},
            },
            {
                "Sid": "EmailQuota",
                "Effect": "Allow",
                "Action": ["ses:GetSendQuota"],
                "Resource": "*",
            },
            {
                "Sid": "Sms",
                "Effect": "Allow",
                # One call per SMS: the opt-out list is read in pages and cached.
                "Action": ["sns:Publish", "sns:ListPhoneNumbersOptedOut"],
                "Resource": "*",
            },
            {
                "Sid": "Identities",
                "Effect": "Allow",
                "Action": [
                    "cognito-idp:AdminCreateUser",
                    # Logins: the app client allows only the admin flow (with its secret).
                    "cognito-idp:AdminInitiateAuth",
                    "cognito-idp:AdminRespondToAuthChallenge",
                    "cognito-idp:AdminSetUserPassword",
                    "cognito-idp:AdminAddUserToGroup",
                    "cognito-idp:AdminDisableUser",
                    "cognito-idp:AdminEnableUser",
                    "cognito-idp:AdminUserGlobalSignOut",
                    "cognito-idp:AdminGetUser",
                    "cognito-idp:AdminUpdateUserAttributes",
                    "cognito-idp:AdminResetUserPassword",
                    "cognito-idp:AdminDeleteUser",  # undo a half-created login (services.logins)
                ],
                "Resource": f"arn:aws:cognito-idp:{region}:{acct}:userpool/*",
            },
        ],
    }


def write_all() -> list[Path]:
    written = []
    for stage in ("local", "dev", "prod"):
        path = CHALICE_DIR / f"policy-{stage}.json"
        path.write_text(json.dumps(policy(stage), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
