"""Downloads are named safely: a contract number's slashes make no folders, no quote ends the
header early, and Polish names reach the browser in ``filename*`` (RFC 6266)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from chalicelib.adapters.s3 import attachment_disposition


@pytest.mark.parametrize(
    ("name", "fallback", "utf8"),
    [
        ("contract-C/2024/0001.pdf", "contract-C-2024-0001.pdf", "contract-C-2024-0001.pdf"),
        ('a"b\\c.pdf', "a-b-c.pdf", "a-b-c.pdf"),
        ("Umowa zażółć.pdf", "Umowa zazoc.pdf", "Umowa%20za%C5%BC%C3%B3%C5%82%C4%87.pdf"),
        ("../..", "download", "download"),
    ],
)
def test_attachment_disposition(name: str, fallback: str, utf8: str) -> None:
    assert attachment_disposition(name) == (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{utf8}"
    )


def test_a_presigned_download_carries_the_safe_name(monkeypatch) -> None:
    import boto3

    from chalicelib.adapters import s3

    monkeypatch.setattr(s3, "client", lambda name: boto3.client(name, region_name="eu-central-1"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    url = s3.presigned_get("docs", "k/contract.pdf", filename="contract-C/2024/0001.pdf")
    (header,) = parse_qs(urlparse(url).query)["response-content-disposition"]
    assert header.startswith('attachment; filename="contract-C-2024-0001.pdf"')
