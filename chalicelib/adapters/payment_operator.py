"""Payment operator (operator płatności) adapter: register a payment, verify notifications.

The app speaks one operator-neutral shape; ``docs/payments.md`` maps it onto a real Polish
operator's REST API (Przelewy24). The ``sandbox`` operator stands in for it on the local
stack: its payment page is served by the app (``/sandbox/pay/<id>``) and it posts a signed
server-to-server notification, exactly like a real operator would.

Notification: a JSON body signed with HMAC-SHA256 under a shared secret, sent in the
``X-Operator-Signature: sha256=<hex>`` header. The signature covers the raw body bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.payment_types import Registered
from chalicelib.config import settings

if TYPE_CHECKING:
    from chalicelib.adapters.przelewy24 import Przelewy24

SIGNATURE_HEADER = "X-Operator-Signature"


def sign(body: bytes, secret: str | None = None) -> str:
    key = (secret if secret is not None else settings().payment_hmac_secret).encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, secret: str | None = None) -> bool:
    """Constant-time check of the signature header; an empty secret refuses everything."""
    key = secret if secret is not None else settings().payment_hmac_secret
    if not key or not header:
        return False
    return hmac.compare_digest(sign(body, key), header.strip())


class SandboxOperator:
    """The local stand-in: registers nothing remotely, pays on its own page."""

    name = "sandbox"

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
        base = settings().payment_operator_url.rstrip("/")
        return Registered(operator_ref=f"SBX-{payment_id}", redirect_url=f"{base}/{payment_id}")

    def notification(
        self,
        *,
        payment_id: str,
        operator_ref: str,
        amount_grosze: int,
        currency: str,
        status: str,
        at: str,
    ) -> bytes:
        """The body the sandbox posts (same fields a real adapter turns its operator's into)."""
        return json.dumps(
            {
                "merchant_id": settings().payment_merchant_id,
                "payment_id": payment_id,
                "operator_ref": operator_ref,
                "amount": amount_grosze,
                "currency": currency,
                "status": status,
                "at": at,
            },
            separators=(",", ":"),
        ).encode()


def operator() -> SandboxOperator | Przelewy24:
    """The configured operator: Przelewy24 (its REST API), or the sandbox, which exists only
    on the local stack (fail closed: anything else refuses to take payments)."""
    cfg = settings()
    if cfg.payment_operator == "przelewy24":
        from chalicelib.adapters.przelewy24 import P24Config, Przelewy24

        return Przelewy24(
            P24Config(
                merchant_id=cfg.p24_merchant_id,
                pos_id=cfg.p24_pos_id,
                api_key=cfg.p24_api_key,
                crc=cfg.p24_crc,
                base_url=cfg.p24_url,
            )
        )
    if cfg.payment_operator == "sandbox" and cfg.is_local:
        return SandboxOperator()
    raise RuntimeError(f"payment operator {cfg.payment_operator!r} is not available in {cfg.stage}")


def deliver(url: str, body: bytes, headers: dict[str, str], timeout_s: float = 10) -> int:
    """POST a notification over HTTP (what the operator's servers do); returns the status."""
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310 - configured URL
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def parse(body: bytes) -> dict[str, Any]:
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("notification body must be an object")
    return data
