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


def get_object_or_none(bucket: str, key: str) -> bytes | None:
    """An object's body, or None when it does not exist."""
    from botocore.exceptions import ClientError

    try:
        return get_object(bucket, key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise


def attachment_disposition(filename: str) -> str:
    """``Content-Disposition`` of a download named ``filename`` (RFC 6266): no path separator
    or quote survives (a contract number like C/2024/0001 must not make folders), an ASCII
    fallback for old clients and the UTF-8 name (Polish letters) in ``filename*``."""
    import re
    import unicodedata
    from urllib.parse import quote

    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", filename).strip(" .-") or "download"
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "download"
    )
    ascii_name = ascii_name.replace("%", "-")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def presigned_get(bucket: str, key: str, expires_s: int = 300, filename: str | None = None) -> str:
    params = {"Bucket": bucket, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = attachment_disposition(filename)
    return str(
        client("s3").generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)
    )


def presigned_post(
    bucket: str, key: str, content_type: str, max_bytes: int, expires_s: int = 900
) -> dict[str, object]:
    """A browser upload form for exactly this key, content type and size range. S3 enforces
    the conditions in AWS (moto does not: callers check the stored object too)."""
    post = client("s3").generate_presigned_post(
        Bucket=bucket,
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            {"Content-Type": content_type},
            ["content-length-range", 1, max_bytes],
        ],
        ExpiresIn=expires_s,
    )
    return {"url": str(post["url"]), "fields": dict(post["fields"])}


def object_info(bucket: str, key: str) -> tuple[int, str] | None:
    """(size, content type) of a stored object, or None when it does not exist."""
    from botocore.exceptions import ClientError

    try:
        head = client("s3").head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return int(head["ContentLength"]), str(head.get("ContentType", ""))


def read_head(bucket: str, key: str, n: int) -> bytes:
    """The first ``n`` bytes of an object (a ranged GET)."""
    resp = client("s3").get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{n - 1}")
    return bytes(resp["Body"].read())


def list_keys(bucket: str, prefix: str) -> set[str]:
    """Every key under a prefix (one request per thousand keys)."""
    keys: set[str] = set()
    pages = client("s3").get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    for page in pages:
        keys.update(str(o["Key"]) for o in page.get("Contents", []))
    return keys
