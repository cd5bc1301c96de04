"""Payment operator signatures: HMAC-SHA256 over the raw body, constant-time check."""

from __future__ import annotations

from chalicelib.adapters import payment_operator as op


def test_signature_round_trip_and_tampering() -> None:
    body = b'{"payment_id":"P1","amount":1000}'
    header = op.sign(body, "s3cret")
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert op.verify(body, header, "s3cret")
    assert not op.verify(body.replace(b"1000", b"100000"), header, "s3cret")
    assert not op.verify(body, header, "other-secret")
    assert not op.verify(body, None, "s3cret")
    assert not op.verify(body, header.upper(), "s3cret")


def test_empty_secret_refuses_everything() -> None:
    body = b"{}"
    assert not op.verify(body, op.sign(body, ""), "")
