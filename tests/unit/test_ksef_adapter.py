"""The KSeF API 2.0 client against recorded responses in the documented format (OpenAPI
``open-api.json`` of CIRFMF/ksef-docs: AuthenticationChallengeResponse,
AuthenticationInitResponse, AuthenticationOperationStatusResponse,
AuthenticationTokensResponse, PublicKeyCertificate, OpenOnlineSessionResponse,
SendInvoiceResponse, SessionInvoiceStatusResponse, ExceptionResponse). What it sends is
checked the way KSeF checks it: the token and the AES key decrypt with the private key of
the certificate it was given, the file decrypts to the invoice and matches its hash."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters import ksef as adapter

CHALLENGE = {
    "challenge": "20261118-CR-226FB7B000-3ACF9BE4C0-10",
    "timestamp": "2026-11-18T09:30:00.0154302+00:00",
    "timestampMs": 1795512600015,
    "clientIp": "127.0.0.1",
}
INIT = {
    "referenceNumber": "20261118-AU-2DFC46C000-3AC6D5877F-D4",
    "authenticationToken": {"token": "op.jwt.token", "validUntil": "2026-11-18T09:45:00+00:00"},
}
STATUS_IN_PROGRESS = {
    "startDate": "2026-11-18T09:30:01+00:00",
    "authenticationMethod": "Token",
    "authenticationMethodInfo": {
        "category": "Token",
        "code": "token.ksef",
        "displayName": "Token KSeF",
    },
    "status": {"code": 100, "description": "Uwierzytelnianie w toku"},
}
STATUS_DONE = {
    **STATUS_IN_PROGRESS,
    "status": {"code": 200, "description": "Uwierzytelnianie zakończone sukcesem"},
}
TOKENS = {
    "accessToken": {"token": "access.jwt", "validUntil": "2026-11-18T09:45:00+00:00"},
    "refreshToken": {"token": "refresh.jwt", "validUntil": "2026-11-25T09:30:00+00:00"},
}
SESSION = {
    "referenceNumber": "20261118-SO-2C3E6C8000-B675CF5D68-07",
    "validUntil": "2026-11-18T21:30:00+00:00",
}
SENT = {"referenceNumber": "20261118-EE-319D7EE000-B67F415CDC-2C"}
DUPLICATE = {
    "ordinalNumber": 2,
    "referenceNumber": "20261118-EE-319D7EE000-B67F415CDC-2C",
    "invoiceHash": "x",
    "invoicingDate": "2026-11-18T09:30:05+00:00",
    "status": {
        "code": 440,
        "description": "Duplikat faktury",
        "details": ["Duplikat faktury."],
        "extensions": {
            "originalSessionReferenceNumber": "20261117-SO-2F14610000-242991F8C9-B4",
            "originalKsefNumber": "8943005127-20261117-010080DD2B5E-2C",
        },
    },
}
EXCEPTION = {
    "exception": {
        "exceptionDetailList": [
            {
                "exceptionCode": 21405,
                "exceptionDescription": "Błąd walidacji danych wejściowych.",
                "details": [],
            }
        ],
        "referenceNumber": "a1b2c3d4-e5f6-4789-ab12-cd34ef567890",
        "serviceCode": "00-x",
        "timestamp": "2026-11-18T09:30:00",
    }
}


@pytest.fixture(scope="module")
def ministry_key() -> tuple[Any, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test MF")])
    # Wall clock on purpose: the certificate's validity is checked by cryptography's clock.
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def _oaep_decrypt(key: Any, b64: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return bytes(
        key.decrypt(
            base64.b64decode(b64),
            padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
        )
    )


class Recorded:
    """Answers by (method, path) in order; keeps every request."""

    def __init__(self, answers: dict[tuple[str, str], list[tuple[int, Any]]]):
        self.answers = answers
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []

    def __call__(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Any:
        path = url.split("/v2", 1)[1]
        self.requests.append((method, path, headers, json.loads(body) if body else None))
        status, payload = self.answers[(method, path)].pop(0)
        raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return status, {}, raw

    def sent(self, method: str, path: str) -> Any:
        return next(r for r in self.requests if r[:2] == (method, path))


def _answers(cert_b64: str) -> dict[tuple[str, str], list[tuple[int, Any]]]:
    cert = {
        "certificate": cert_b64,
        "certificateId": "c1",
        "publicKeyId": "A" * 44,
        "validFrom": "2026-01-01T00:00:00Z",
        "validTo": "2027-01-01T00:00:00Z",
    }
    ref = INIT["referenceNumber"]
    return {
        ("GET", "/security/public-key-certificates"): [
            (
                200,
                [
                    {**cert, "usage": ["KsefTokenEncryption"]},
                    {**cert, "usage": ["SymmetricKeyEncryption"]},
                ],
            )
        ],
        ("POST", "/auth/challenge"): [(200, CHALLENGE)],
        ("POST", "/auth/ksef-token"): [(202, INIT)],
        ("GET", f"/auth/{ref}"): [(200, STATUS_IN_PROGRESS), (200, STATUS_DONE)],
        ("POST", "/auth/token/redeem"): [(200, TOKENS)],
        ("POST", "/sessions/online"): [(201, SESSION)],
        ("POST", f"/sessions/online/{SESSION['referenceNumber']}/invoices"): [(202, SENT)],
        ("GET", f"/sessions/{SESSION['referenceNumber']}/invoices/{SENT['referenceNumber']}"): [
            (200, DUPLICATE)
        ],
    }


def test_token_auth_session_and_encrypted_invoice(ministry_key, monkeypatch) -> None:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    monkeypatch.setattr(adapter.time, "sleep", lambda s: None)
    key, cert = ministry_key
    rec = Recorded(_answers(cert))
    client = adapter.KsefClient(
        "https://api-test.ksef.mf.gov.pl/v2", "secret-token", "8943005127", rec
    )
    session = client.open_session()
    xml = "<Faktura>zażółć</Faktura>".encode()
    assert client.send_invoice(session, xml) == SENT["referenceNumber"]

    auth = rec.sent("POST", "/auth/ksef-token")[3]
    assert auth["challenge"] == CHALLENGE["challenge"]
    assert auth["contextIdentifier"] == {"type": "Nip", "value": "8943005127"}
    assert _oaep_decrypt(key, auth["encryptedToken"]) == b"secret-token|1795512600015"
    assert (
        rec.sent("GET", f"/auth/{INIT['referenceNumber']}")[2]["Authorization"]
        == "Bearer op.jwt.token"
    )

    opened = rec.sent("POST", "/sessions/online")
    assert opened[2]["Authorization"] == "Bearer access.jwt"
    assert opened[3]["formCode"] == {"systemCode": "FA (3)", "schemaVersion": "1-0E", "value": "FA"}
    aes_key = _oaep_decrypt(key, opened[3]["encryption"]["encryptedSymmetricKey"])
    iv = base64.b64decode(opened[3]["encryption"]["initializationVector"])
    assert len(aes_key) == 32 and len(iv) == 16

    sent = rec.sent("POST", f"/sessions/online/{SESSION['referenceNumber']}/invoices")[3]
    encrypted = base64.b64decode(sent["encryptedInvoiceContent"])
    dec = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).decryptor()
    unpad = padding.PKCS7(128).unpadder()
    plain = unpad.update(dec.update(encrypted) + dec.finalize()) + unpad.finalize()
    assert plain == xml
    assert sent["invoiceHash"] == base64.b64encode(hashlib.sha256(xml).digest()).decode()
    assert sent["invoiceSize"] == len(xml) and sent["encryptedInvoiceSize"] == len(encrypted)
    assert (
        sent["encryptedInvoiceHash"]
        == base64.b64encode(hashlib.sha256(encrypted).digest()).decode()
    )

    status = client.invoice_status(SESSION["referenceNumber"], SENT["referenceNumber"])
    assert status.code == 440 and not status.in_progress
    assert status.extensions["originalKsefNumber"] == "8943005127-20261117-010080DD2B5E-2C"


def test_refusals_and_throttling(ministry_key) -> None:
    _, cert = ministry_key
    answers = _answers(cert)
    answers[("POST", "/auth/challenge")] = [(429, {"status": {"code": 429}}), (400, EXCEPTION)]
    client = adapter.KsefClient("https://x/v2", "t", "8943005127", Recorded(answers))
    with pytest.raises(adapter.KsefUnavailable):
        client.access_token()
    with pytest.raises(adapter.KsefRefused) as refused:
        client.access_token()
    assert adapter.refusal_reason(refused.value) == {
        "code": 400,
        "description": "21405: Błąd walidacji danych wejściowych.",
        "details": [],
    }


def test_the_adapter_over_http_against_the_local_standin() -> None:
    """The local stack's stand-in on a loopback port, spoken to with the real urllib
    transport: a valid FA(3) file gets a KSeF number and a UPO; a file the XSD refuses 430."""
    from chalicelib.domain.ksef import valid_ksef_number
    from devstack import ksef_standin
    from tests.unit.test_invoice_pdf_ksef import _fixed

    server = ksef_standin.serve(0)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/v2"
        client = adapter.KsefClient(
            base, "ebok-local-ksef-token", "8943005127", adapter.urllib_transport
        )
        session = client.open_session()
        _, xml = _fixed()
        good = client.send_invoice(session, xml)
        bad = client.send_invoice(
            session, xml.replace(b"<P_2>", b"<P_2x>").replace(b"</P_2>", b"</P_2x>")
        )
        client.close_session(session.reference)
        accepted = client.invoice_status(session.reference, good)
        assert accepted.code == 200 and valid_ksef_number(str(accepted.ksef_number))
        assert accepted.ksef_number.encode() in client.invoice_upo(session.reference, good)
        refused = client.invoice_status(session.reference, bad)
        assert refused.code == 430 and refused.details
        wrong = adapter.KsefClient(base, "not-the-token", "8943005127", adapter.urllib_transport)
        with pytest.raises(adapter.KsefRefused):
            wrong.access_token()
    finally:
        server.shutdown()
