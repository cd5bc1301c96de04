"""KSeF API 2.0 client (thin, on the Ministry of Finance's published OpenAPI,
``CIRFMF/ksef-docs/open-api.json``): the calls an issuer of online invoices needs and no more.

- authentication with a KSeF token (``uwierzytelnianie.md``): ``POST /auth/challenge``, the
  token and the challenge's ``timestampMs`` as ``token|timestampMs`` encrypted with RSA-OAEP
  (SHA-256, MGF1) under the Ministry's ``KsefTokenEncryption`` certificate, ``POST
  /auth/ksef-token``, ``GET /auth/{ref}`` until code 200, ``POST /auth/token/redeem`` → the
  access token;
- an online session (``sesja-interaktywna.md``): a fresh 256-bit AES key and a 128-bit IV,
  the key encrypted with RSA-OAEP (SHA-256) under the ``SymmetricKeyEncryption`` certificate,
  ``POST /sessions/online`` with form code FA (3) / 1-0E;
- one invoice: AES-256-CBC with PKCS#7 padding, the SHA-256 and size of the plain and the
  encrypted file, ``POST /sessions/online/{ref}/invoices`` → the invoice's reference;
- its status (``GET /sessions/{ref}/invoices/{invoiceRef}``) and its UPO (``GET
  .../upo``); closing the session (``POST /sessions/online/{ref}/close``).

Every HTTP exchange goes through ``transport`` (urllib by default), so tests drive the same
code against the local stand-in in-process or against recorded responses. Errors: a
:class:`KsefUnavailable` is worth retrying (timeouts, 429, 5xx); a :class:`KsefRefused`
(another 4xx) is not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FORM_CODE = {"systemCode": "FA (3)", "schemaVersion": "1-0E", "value": "FA"}
TIMEOUT_S = 15.0
AUTH_POLLS = 10
MAX_BYTES = 4 * 1024 * 1024

# (method, url, headers, body) -> (status, headers, body)
Transport = Callable[[str, str, dict[str, str], bytes | None], tuple[int, dict[str, str], bytes]]


class KsefError(RuntimeError):
    """A KSeF call that did not succeed."""

    def __init__(self, message: str, status: int = 0, body: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class KsefUnavailable(KsefError):
    """Timeout, connection error, 429 or 5xx: try again later."""


class KsefRefused(KsefError):
    """KSeF refused the request itself (4xx other than 429): retrying will not help."""


def urllib_transport(
    method: str, url: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, dict[str, str], bytes]:
    if not url.startswith(("https://", "http://")):
        raise KsefUnavailable("unsupported KSeF URL")
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:  # noqa: S310 - checked
            return resp.status, dict(resp.headers.items()), resp.read(MAX_BYTES)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read(MAX_BYTES)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise KsefUnavailable(f"KSeF unreachable: {type(exc).__name__}") from exc


# The transport every client uses unless given one (tests swap it for the stand-in).
transport: Transport = urllib_transport


# --- cryptography (cryptography is already a runtime dependency) ----------------------------


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _public_key(der_b64: str) -> Any:
    from cryptography import x509

    return x509.load_der_x509_certificate(base64.b64decode(der_b64)).public_key()


def rsa_oaep(der_b64: str, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    oaep = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
    return bytes(_public_key(der_b64).encrypt(data, oaep))


def aes_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    """AES-256-CBC with PKCS#7 padding (the invoice file)."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return bytes(enc.update(padded) + enc.finalize())


# --- the client --------------------------------------------------------------------------------


@dataclass
class OnlineSession:
    reference: str
    valid_until: str
    key: bytes
    iv: bytes


@dataclass(frozen=True)
class InvoiceStatus:
    """``code`` 100/150 in progress, 200 accepted (``ksef_number``), 440 duplicate (the
    original's number in ``extensions``), other 4xx rejected, 5xx cancelled by KSeF."""

    code: int
    description: str
    details: tuple[str, ...] = ()
    ksef_number: str | None = None
    extensions: dict[str, Any] | None = None

    @property
    def in_progress(self) -> bool:
        return self.code in (100, 150)


class KsefClient:
    def __init__(self, base_url: str, token: str, nip: str, send: Transport | None = None):
        self.base = base_url.rstrip("/")
        self.token = token
        self.nip = nip
        self._send = send
        self._access: str | None = None
        self._certs: list[dict[str, Any]] | None = None

    # HTTP

    def _call(
        self,
        method: str,
        path: str,
        payload: Any = None,
        bearer: str | None = None,
        accept: str = "application/json",
    ) -> tuple[int, bytes]:
        headers = {"Accept": accept, "X-Error-Format": "problem-details"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        send = self._send or transport
        status, _, raw = send(method, self.base + path, headers, body)
        if status == 429 or status >= 500:
            raise KsefUnavailable(f"KSeF {method} {path}: {status}", status, _parse(raw))
        if status >= 400:
            raise KsefRefused(f"KSeF {method} {path}: {status}", status, _parse(raw))
        return status, raw

    def _json(self, method: str, path: str, payload: Any = None, bearer: str | None = None) -> Any:
        _, raw = self._call(method, path, payload, bearer)
        return _parse(raw) if raw else {}

    # certificates

    def certificate(self, usage: str) -> dict[str, Any]:
        if self._certs is None:
            self._certs = list(self._json("GET", "/security/public-key-certificates"))
        for cert in self._certs:
            if usage in (cert.get("usage") or []):
                return cert
        raise KsefRefused(f"no KSeF certificate for {usage}")

    # authentication

    def access_token(self) -> str:
        if self._access is None:
            self._access = self._authenticate()
        return self._access

    def _authenticate(self) -> str:
        challenge = self._json("POST", "/auth/challenge")
        cert = self.certificate("KsefTokenEncryption")
        plain = f"{self.token}|{int(challenge['timestampMs'])}".encode()
        init = self._json(
            "POST",
            "/auth/ksef-token",
            {
                "challenge": challenge["challenge"],
                "contextIdentifier": {"type": "Nip", "value": self.nip},
                "encryptedToken": base64.b64encode(rsa_oaep(cert["certificate"], plain)).decode(),
            },
        )
        op_token = init["authenticationToken"]["token"]
        ref = init["referenceNumber"]
        for attempt in range(AUTH_POLLS):
            status = self._json("GET", f"/auth/{ref}", bearer=op_token)["status"]
            if int(status["code"]) == 200:
                break
            if int(status["code"]) != 100:
                raise KsefRefused(f"KSeF authentication failed: {status.get('code')}", 0, status)
            time.sleep(min(2.0, 0.2 * (attempt + 1)))
        else:
            raise KsefUnavailable("KSeF authentication still in progress")
        tokens = self._json("POST", "/auth/token/redeem", bearer=op_token)
        return str(tokens["accessToken"]["token"])

    # sessions and invoices

    def open_session(self) -> OnlineSession:
        key, iv = os.urandom(32), os.urandom(16)
        cert = self.certificate("SymmetricKeyEncryption")
        answer = self._json(
            "POST",
            "/sessions/online",
            {
                "formCode": FORM_CODE,
                "encryption": {
                    "encryptedSymmetricKey": base64.b64encode(
                        rsa_oaep(cert["certificate"], key)
                    ).decode(),
                    "initializationVector": base64.b64encode(iv).decode(),
                },
            },
            bearer=self.access_token(),
        )
        return OnlineSession(answer["referenceNumber"], answer.get("validUntil", ""), key, iv)

    def send_invoice(self, session: OnlineSession, xml: bytes) -> str:
        encrypted = aes_cbc(session.key, session.iv, xml)
        answer = self._json(
            "POST",
            f"/sessions/online/{session.reference}/invoices",
            {
                "invoiceHash": sha256_b64(xml),
                "invoiceSize": len(xml),
                "encryptedInvoiceHash": sha256_b64(encrypted),
                "encryptedInvoiceSize": len(encrypted),
                "encryptedInvoiceContent": base64.b64encode(encrypted).decode(),
            },
            bearer=self.access_token(),
        )
        return str(answer["referenceNumber"])

    def close_session(self, session_ref: str) -> None:
        self._call("POST", f"/sessions/online/{session_ref}/close", bearer=self.access_token())

    def invoice_status(self, session_ref: str, invoice_ref: str) -> InvoiceStatus:
        answer = self._json(
            "GET", f"/sessions/{session_ref}/invoices/{invoice_ref}", bearer=self.access_token()
        )
        status = answer.get("status") or {}
        return InvoiceStatus(
            code=int(status.get("code", 0)),
            description=str(status.get("description", "")),
            details=tuple(str(d) for d in status.get("details") or ()),
            ksef_number=answer.get("ksefNumber"),
            extensions=status.get("extensions"),
        )

    def invoice_upo(self, session_ref: str, invoice_ref: str) -> bytes:
        _, raw = self._call(
            "GET",
            f"/sessions/{session_ref}/invoices/{invoice_ref}/upo",
            bearer=self.access_token(),
            accept="application/xml",
        )
        return raw


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return {"raw": raw[:500].decode("utf-8", "replace")}


def refusal_reason(exc: KsefError) -> dict[str, Any]:
    """What KSeF said about a refused request (problem details or ExceptionResponse)."""
    body = exc.body if isinstance(exc.body, dict) else {}
    detail = body.get("detail") or body.get("title")
    if not detail and isinstance(body.get("exception"), dict):
        items = body["exception"].get("exceptionDetailList") or []
        detail = "; ".join(
            f"{i.get('exceptionCode')}: {i.get('exceptionDescription')}" for i in items
        )
    return {"code": exc.status, "description": str(detail or exc), "details": []}
