"""Przelewy24 (P24) REST API v1: register a transaction, send the payer to P24, take P24's
signed notification, confirm it with the verify call. The only code that speaks to P24.

- register: ``POST {base}/api/v1/transaction/register`` (HTTP Basic ``posId:apiKey``) with
  ``sign = SHA-384`` of the JSON ``{"sessionId","merchantId","amount","currency","crc"}``;
  P24 answers ``{"data": {"token": ...}, "responseCode": 0}`` and the payer goes to
  ``{base}/trnRequest/{token}``.
- notification (P24 → ``urlStatus``): JSON with merchantId, posId, sessionId, amount,
  originAmount, currency, orderId, methodId, statement and ``sign`` = SHA-384 of the JSON of
  those fields (in that order) with ``crc`` appended.
- verify: ``PUT {base}/api/v1/transaction/verify`` with ``sign`` over
  ``{"sessionId","orderId","amount","currency","crc"}``; only a ``{"data": {"status":
  "success"}}`` answer makes the payment final (an unverified payment is never booked).

The JSON signed is compact, with slashes and non-ASCII letters unescaped (what P24's own
PHP client signs). Amounts are integer grosze, as in eBOK.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters.payment_types import Registered

Transport = Callable[[str, str, dict[str, Any], str], tuple[int, dict[str, Any]]]
"""(method, url, JSON body, Authorization header) -> (HTTP status, JSON answer)."""

NOTIFICATION_FIELDS = (
    "merchantId",
    "posId",
    "sessionId",
    "amount",
    "originAmount",
    "currency",
    "orderId",
    "methodId",
    "statement",
)


class P24Error(RuntimeError):
    """P24 refused a call or answered something unexpected."""


@dataclass(frozen=True)
class P24Config:
    merchant_id: int
    pos_id: int
    api_key: str
    crc: str
    base_url: str  # https://secure.przelewy24.pl (prod) or https://sandbox.przelewy24.pl


@dataclass(frozen=True)
class P24Notification:
    session_id: str  # eBOK's payment id
    order_id: int  # P24's transaction number
    amount: int
    currency: str
    merchant_id: int
    pos_id: int


def sign(fields: dict[str, Any]) -> str:
    text = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha384(text.encode("utf-8")).hexdigest()


def _http(method: str, url: str, body: dict[str, Any], auth: str) -> tuple[int, dict[str, Any]]:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": auth,
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - configured URL
            return int(resp.status), dict(json.loads(resp.read() or b"{}"))
    except urllib.error.HTTPError as exc:
        try:
            return int(exc.code), dict(json.loads(exc.read() or b"{}"))
        except ValueError:
            return int(exc.code), {}


class Przelewy24:
    name = "przelewy24"

    def __init__(self, config: P24Config, transport: Transport | None = None) -> None:
        self.config = config
        self._transport = transport or _http

    def _auth(self) -> str:
        token = base64.b64encode(f"{self.config.pos_id}:{self.config.api_key}".encode()).decode()
        return f"Basic {token}"

    def _call(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        url = self.config.base_url.rstrip("/") + path
        status, answer = self._transport(method, url, body, self._auth())
        if status != 200:
            raise P24Error(f"P24 {path} answered {status}: {str(answer.get('error', ''))[:200]}")
        return answer

    def register(
        self,
        *,
        payment_id: str,
        amount_grosze: int,
        currency: str,
        description: str,
        email: str | None,
        return_url: str,
        notify_url: str,
    ) -> Registered:
        cfg = self.config
        if not notify_url.startswith("https://"):
            raise P24Error("P24 needs an https urlStatus from configuration")
        body = {
            "merchantId": cfg.merchant_id,
            "posId": cfg.pos_id,
            "sessionId": payment_id,
            "amount": amount_grosze,
            "currency": currency,
            "description": description[:1024],
            "email": email or "",
            "country": "PL",
            "language": "pl",
            "urlReturn": return_url,
            "urlStatus": notify_url,
            "sign": sign(
                {
                    "sessionId": payment_id,
                    "merchantId": cfg.merchant_id,
                    "amount": amount_grosze,
                    "currency": currency,
                    "crc": cfg.crc,
                }
            ),
        }
        token = str(
            (self._call("POST", "/api/v1/transaction/register", body).get("data") or {}).get(
                "token"
            )
            or ""
        )
        if not token:
            raise P24Error("P24 registered no token")
        return Registered(
            operator_ref=token, redirect_url=f"{cfg.base_url.rstrip('/')}/trnRequest/{token}"
        )

    def read_notification(self, data: dict[str, Any]) -> P24Notification | None:
        """The notification's fields when its ``sign`` is P24's (constant-time), else None."""
        if any(name not in data for name in NOTIFICATION_FIELDS) or not isinstance(
            data.get("sign"), str
        ):
            return None
        fields = {name: data[name] for name in NOTIFICATION_FIELDS}
        expected = sign({**fields, "crc": self.config.crc})
        if not hmac.compare_digest(expected, data["sign"]):
            return None
        try:
            return P24Notification(
                session_id=str(data["sessionId"]),
                order_id=int(data["orderId"]),
                amount=int(data["amount"]),
                currency=str(data["currency"]),
                merchant_id=int(data["merchantId"]),
                pos_id=int(data["posId"]),
            )
        except (TypeError, ValueError):
            return None

    def verify(self, note: P24Notification) -> bool:
        """P24's verify call: True only when P24 confirms the transaction."""
        cfg = self.config
        body = {
            "merchantId": cfg.merchant_id,
            "posId": cfg.pos_id,
            "sessionId": note.session_id,
            "amount": note.amount,
            "currency": note.currency,
            "orderId": note.order_id,
            "sign": sign(
                {
                    "sessionId": note.session_id,
                    "orderId": note.order_id,
                    "amount": note.amount,
                    "currency": note.currency,
                    "crc": cfg.crc,
                }
            ),
        }
        try:
            answer = self._call("PUT", "/api/v1/transaction/verify", body)
        except P24Error:
            return False
        return (answer.get("data") or {}).get("status") == "success"
