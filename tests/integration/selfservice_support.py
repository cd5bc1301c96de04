"""Helpers of the self-service tests: uploads to the presigned forms, filing an application
to the end, table items of an area."""

from __future__ import annotations

from typing import Any

import boto3

from tests.integration.auth_support import sent_mails  # noqa: F401  (re-exported)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REGION = "eu-central-1"


def upload(form: dict[str, Any], body: bytes = PDF) -> None:
    """What the browser does with a presigned POST: the object lands under the form's key
    (moto does not enforce the policy, the service checks the stored object)."""
    from chalicelib.config import settings

    boto3.client("s3", region_name=REGION).put_object(
        Bucket=settings().documents_bucket,
        Key=form["fields"]["key"],
        Body=body,
        ContentType=form["fields"]["Content-Type"],
    )


def items(prefix: str) -> list[dict[str, Any]]:
    from chalicelib.config import settings

    table = boto3.resource("dynamodb", region_name=REGION).Table(settings().table_name)
    return [i for i in table.scan()["Items"] if str(i["PK"]).startswith(prefix)]


def pdf_attachment(kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "filename": f"{kind}.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
    }


def file(
    api: Any,
    headers: dict[str, str],
    customer_no: str,
    kind: str,
    fields: dict[str, Any],
    attachments: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Draft, upload every attachment, submit: the submitted application."""
    r = api.post(
        f"/customers/{customer_no}/applications",
        {"type": kind, "fields": fields, "attachments": [pdf_attachment(k) for k in attachments]},
        headers=headers,
    )
    assert r.status == 201, r.body
    for u in r.json["uploads"]:
        upload(u["upload"])
    app_id = r.json["application"]["application_id"]
    s = api.post(f"/customers/{customer_no}/applications/{app_id}/submit", headers=headers)
    assert s.status == 200, s.body
    assert s.json["status"] == "submitted"
    return s.json


def decide(api: Any, headers: dict[str, str], app_id: str, action: str, note: str = "") -> Any:
    body = {"action": action} | ({"note": note} if note else {})
    return api.post(f"/applications/{app_id}/decision", body, headers=headers)
