"""S3: documents, invoices, reports, statements."""

from __future__ import annotations

from chalicelib.adapters.aws import client


def head_bucket(bucket: str) -> None:
    client("s3").head_bucket(Bucket=bucket)


def put_object(bucket: str, key: str, body: bytes, content_type: str) -> None:
    client("s3").put_object(
        Bucket=bucket, Key=key, Body=body, ContentType=content_type, ServerSideEncryption="AES256"
    )


def get_object(bucket: str, key: str) -> bytes:
    return bytes(client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())


def presigned_get(bucket: str, key: str, expires_s: int = 300, filename: str | None = None) -> str:
    params = {"Bucket": bucket, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
    return str(
        client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)
    )
