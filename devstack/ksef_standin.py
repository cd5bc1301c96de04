"""A local KSeF stand-in (API 2.0 subset the adapter uses) and the FA(3) validation it
applies: the Ministry's XSD from ``../shared/schemas/ksef-fa3`` (or ``KSEF_FA3_SCHEMAS``),
validated offline with xmlschema. The FA(3) schema imports the base types
(``StrukturyDanych_v10-0E.xsd``) by their crd.gov.pl URL: that import is mapped to the
local copy, so nothing is fetched.

Its timestamps (acquisition dates, KSeF numbers) use the wall clock on purpose: they stand for
KSeF's own clock, another system's, not the product's ``chalicelib.domain.clock``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

ETD_NS = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/"
FA3_XSD = "schemat_FA(3)_v1-0E.xsd"


def schema_dir() -> Path:
    env = os.environ.get("KSEF_FA3_SCHEMAS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here / "schemas" / "ksef-fa3",
        here.parent / "shared" / "schemas" / "ksef-fa3",
    ):
        if (candidate / FA3_XSD).exists():
            return candidate
    raise FileNotFoundError("FA(3) schemas not found; set KSEF_FA3_SCHEMAS")


@lru_cache(maxsize=1)
def fa3_schema() -> Any:
    import xmlschema

    d = schema_dir()
    return xmlschema.XMLSchema(
        str(d / FA3_XSD),
        locations=[(ETD_NS, str(d / "StrukturyDanych_v10-0E.xsd"))],
        allow="local",  # no network: only local files
    )


def fa3_errors(xml: bytes) -> list[str]:
    """Why the real schema rejects this XML (empty: valid)."""
    from xml.etree import ElementTree as ET

    try:
        tree = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not XML: {exc}"]
    return [f"{e.path}: {e.reason}" for e in fa3_schema().iter_errors(tree)]


# --- the API 2.0 subset (the calls chalicelib.adapters.ksef makes) ---------------------------
#
# In memory, one instance per process: token authentication (the token is checked after
# RSA-OAEP decryption with the stand-in's own key, whose certificate it publishes under both
# usages), online sessions (the AES key decrypted the same way), invoices decrypted, checked
# against the hash and size sent and validated against the real FA(3) XSD: a file the schema
# rejects gets status 430 with the schema's reasons, a hash already accepted 440 with the
# original's KSeF number, a valid one 200 with a KSeF number (CRC-8 as documented) and a UPO
# in the v4-3 form of the Ministry's samples. ``pending_polls`` answers 150 (processing) to
# that many status polls first, like a busy KSeF.

Answer = tuple[int, dict[str, str], bytes]


def _ref() -> str:
    """A 36-character reference number like KSeF's (``20251010-EE-...``)."""
    return f"20261118-EE-{uuid.uuid4().hex[:10].upper()}-{uuid.uuid4().hex[:10].upper()}-{uuid.uuid4().hex[:2].upper()}"


@dataclass
class _Invoice:
    session: str
    ref: str
    xml: bytes
    code: int
    description: str
    details: list[str] = field(default_factory=list)
    ksef_number: str | None = None
    polls_left: int = 0
    extensions: dict[str, str] | None = None


class KsefStandIn:
    def __init__(self, token: str = "ebok-local-ksef-token", nip: str = "8943005127"):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID

        self.token, self.nip = token, nip
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "KSeF stand-in")])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .sign(self.key, hashes.SHA256())
        )
        self.cert_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
        self.lock = threading.Lock()
        self.challenges: dict[str, int] = {}
        self.auth_ops: dict[str, bool] = {}
        self.access: set[str] = set()
        self.sessions: dict[str, tuple[bytes, bytes, bool]] = {}
        self.invoices: dict[str, _Invoice] = {}
        self.by_hash: dict[str, str] = {}
        self.pending_polls = 0
        self.calls: list[tuple[str, str]] = []

    # helpers

    def _decrypt_rsa(self, b64: str) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        oaep = padding.OAEP(
            mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
        )
        return bytes(self.key.decrypt(base64.b64decode(b64), oaep))

    @staticmethod
    def _json(status: int, body: Any) -> Answer:
        return status, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def _problem(self, status: int, detail: str) -> Answer:
        body = {"title": "Bad Request", "status": status, "detail": detail, "errors": []}
        return status, {"Content-Type": "application/problem+json"}, json.dumps(body).encode()

    def _bearer(self, headers: dict[str, str]) -> str:
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        return value.removeprefix("Bearer ").strip()

    # the API

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes | None) -> Answer:
        path = path.split("?", 1)[0]
        path = path[path.index("/v2") + 3 :] if "/v2/" in path else path
        with self.lock:
            self.calls.append((method, path))
            try:
                payload = json.loads(body) if body else {}
            except ValueError:
                return self._problem(400, "body is not JSON")
            return self._route(method, path, headers, payload)

    def _route(self, method: str, path: str, headers: dict[str, str], payload: Any) -> Answer:
        if (method, path) == ("GET", "/security/public-key-certificates"):
            cert = {
                "certificate": self.cert_b64,
                "certificateId": "standin",
                "publicKeyId": "A" * 44,
                "validFrom": "2026-01-01T00:00:00Z",
                "validTo": "2027-01-01T00:00:00Z",
            }
            return self._json(
                200,
                [
                    {**cert, "usage": ["KsefTokenEncryption"]},
                    {**cert, "usage": ["SymmetricKeyEncryption"]},
                ],
            )
        if (method, path) == ("POST", "/auth/challenge"):
            ch, ms = _ref(), int(datetime.now(UTC).timestamp() * 1000)
            self.challenges[ch] = ms
            return self._json(
                200, {"challenge": ch, "timestamp": "", "timestampMs": ms, "clientIp": "127.0.0.1"}
            )
        if (method, path) == ("POST", "/auth/ksef-token"):
            return self._auth(payload)
        bearer = self._bearer(headers)
        m = re.fullmatch(r"/auth/([^/]+)", path)
        if method == "GET" and m and m.group(1) in self.auth_ops and bearer == m.group(1):
            return self._json(
                200,
                {"status": {"code": 200, "description": "Uwierzytelnianie zakończone sukcesem"}},
            )
        if (method, path) == ("POST", "/auth/token/redeem") and self.auth_ops.pop(bearer, False):
            access = "acc-" + uuid.uuid4().hex
            self.access.add(access)
            return self._json(
                200,
                {
                    "accessToken": {"token": access, "validUntil": ""},
                    "refreshToken": {"token": "ref-" + uuid.uuid4().hex, "validUntil": ""},
                },
            )
        if bearer not in self.access:
            return self._problem(401, "no valid access token")
        return self._sessions(method, path, payload)

    def _auth(self, payload: Any) -> Answer:
        ms = self.challenges.pop(str(payload.get("challenge")), None)
        if ms is None:
            return self._problem(400, "unknown challenge")
        try:
            plain = self._decrypt_rsa(str(payload.get("encryptedToken"))).decode()
        except Exception:
            return self._problem(400, "token not decryptable")
        if plain != f"{self.token}|{ms}":
            return self._problem(400, "wrong KSeF token or timestamp")
        ctx = payload.get("contextIdentifier") or {}
        if ctx.get("type") != "Nip" or ctx.get("value") != self.nip:
            return self._problem(400, "no permissions in this context")
        op = "op-" + uuid.uuid4().hex
        self.auth_ops[op] = True
        return self._json(
            202, {"referenceNumber": op, "authenticationToken": {"token": op, "validUntil": ""}}
        )

    def _sessions(self, method: str, path: str, payload: Any) -> Answer:
        if (method, path) == ("POST", "/sessions/online"):
            if payload.get("formCode", {}).get("systemCode") != "FA (3)":
                return self._problem(400, "unsupported form code")
            enc = payload.get("encryption") or {}
            try:
                key = self._decrypt_rsa(enc["encryptedSymmetricKey"])
                iv = base64.b64decode(enc["initializationVector"])
            except Exception:
                return self._problem(400, "encryption data not usable")
            if len(key) != 32 or len(iv) != 16:
                return self._problem(400, "key must be 32 bytes, IV 16")
            ref = _ref()
            self.sessions[ref] = (key, iv, True)
            return self._json(201, {"referenceNumber": ref, "validUntil": ""})
        m = re.fullmatch(r"/sessions/online/([^/]+)/(invoices|close)", path)
        if m and method == "POST" and m.group(1) in self.sessions:
            if m.group(2) == "close":
                key, iv, _ = self.sessions[m.group(1)]
                self.sessions[m.group(1)] = (key, iv, False)
                return 204, {}, b""
            return self._send(m.group(1), payload)
        m = re.fullmatch(r"/sessions/([^/]+)/invoices/([^/]+)(/upo)?", path)
        if m and method == "GET":
            inv = self.invoices.get(m.group(2))
            if inv is None or inv.session != m.group(1):
                return self._problem(404, "unknown invoice")
            return self._upo(inv) if m.group(3) else self._status(inv)
        return self._problem(404, f"{method} {path} is not in the stand-in")

    def _send(self, session: str, payload: Any) -> Answer:
        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        key, iv, is_open = self.sessions[session]
        if not is_open:
            return self._problem(400, "session closed")
        try:
            encrypted = base64.b64decode(payload["encryptedInvoiceContent"])
            dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
            unpad = padding.PKCS7(128).unpadder()
            xml = unpad.update(dec.update(encrypted) + dec.finalize()) + unpad.finalize()
        except Exception:
            ref = _ref()
            self.invoices[ref] = _Invoice(session, ref, b"", 435, "Błąd odszyfrowania pliku")
            return self._json(202, {"referenceNumber": ref})
        digest = base64.b64encode(hashlib.sha256(xml).digest()).decode()
        if digest != payload.get("invoiceHash") or len(xml) != payload.get("invoiceSize"):
            return self._problem(400, "invoiceHash or invoiceSize do not match the file")
        ref = _ref()
        inv = _Invoice(session, ref, xml, 200, "Sukces", polls_left=self.pending_polls)
        errors = fa3_errors(xml)
        if errors:
            inv.code, inv.description, inv.details = (
                430,
                "Błąd weryfikacji pliku faktury",
                errors[:5],
            )
        elif digest in self.by_hash:
            original = self.invoices[self.by_hash[digest]]
            inv.code, inv.description = 440, "Duplikat faktury"
            inv.extensions = {
                "originalSessionReferenceNumber": original.session,
                "originalKsefNumber": str(original.ksef_number),
            }
        else:
            from chalicelib.domain.ksef import ksef_number

            inv.ksef_number = ksef_number(
                self.nip, datetime.now(UTC).date(), uuid.uuid4().hex[:12].upper()
            )
            self.by_hash[digest] = ref
        self.invoices[ref] = inv
        return self._json(202, {"referenceNumber": ref})

    def _status(self, inv: _Invoice) -> Answer:
        body: dict[str, Any] = {
            "ordinalNumber": 1,
            "referenceNumber": inv.ref,
            "invoiceHash": base64.b64encode(hashlib.sha256(inv.xml).digest()).decode(),
            "invoicingDate": datetime.now(UTC).isoformat(),
        }
        if inv.polls_left > 0:
            inv.polls_left -= 1
            body["status"] = {"code": 150, "description": "Trwa przetwarzanie"}
            return self._json(200, body)
        status: dict[str, Any] = {"code": inv.code, "description": inv.description}
        if inv.details:
            status["details"] = inv.details
        if inv.extensions:
            status["extensions"] = inv.extensions
        body["status"] = status
        if inv.ksef_number:
            body["ksefNumber"] = inv.ksef_number
            body["acquisitionDate"] = datetime.now(UTC).isoformat()
        return self._json(200, body)

    def _upo(self, inv: _Invoice) -> Answer:
        if inv.code != 200 or inv.polls_left > 0:
            return self._problem(400, "no UPO for this invoice")
        digest = base64.b64encode(hashlib.sha256(inv.xml).digest()).decode()
        now = datetime.now(UTC).isoformat()
        upo = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-3">'
            "<NazwaPodmiotuPrzyjmujacego>KSeF stand-in (eBOK local)</NazwaPodmiotuPrzyjmujacego>"
            f"<NumerReferencyjnySesji>{inv.session}</NumerReferencyjnySesji>"
            f"<Uwierzytelnienie><IdKontekstu><Nip>{self.nip}</Nip></IdKontekstu></Uwierzytelnienie>"
            "<NazwaStrukturyLogicznej>Schemat_FA(3)_v1-0E.xsd</NazwaStrukturyLogicznej>"
            "<KodFormularza>FA (3)</KodFormularza>"
            f"<Dokument><NipSprzedawcy>{self.nip}</NipSprzedawcy>"
            f"<NumerKSeFDokumentu>{inv.ksef_number}</NumerKSeFDokumentu>"
            f"<DataPrzeslaniaDokumentu>{now}</DataPrzeslaniaDokumentu>"
            f"<DataNadaniaNumeruKSeF>{now}</DataNadaniaNumeruKSeF>"
            f"<SkrotDokumentu>{digest}</SkrotDokumentu><TrybWysylki>Online</TrybWysylki>"
            "</Dokument></Potwierdzenie>"
        )
        return 200, {"Content-Type": "application/xml"}, upo.encode()


def serve(port: int, standin: KsefStandIn | None = None) -> Any:
    """The stand-in over HTTP on 127.0.0.1 (the local stack's ``KSEF_API_URL``)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    api = standin or KsefStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            status, headers, out = api.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = _any

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="ksef-standin").start()
    return server
