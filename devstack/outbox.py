"""What the embedded AWS "sent": SES e-mails (parsed MIME, attachments) and SNS SMS.

Runs in the same process as the moto server, so it reads moto's backends directly, and
serves them on 127.0.0.1 for the portal's local-only outbox page.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import quote, unquote

ACCOUNT = "123456789012"
_first_seen: dict[str, str] = {}


def _seen(message_id: str) -> str:
    # Wall clock on purpose: when the embedded AWS captured the message, not product time.
    return _first_seen.setdefault(message_id, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


def _parse_raw(raw: bytes | str) -> tuple[dict[str, Any], list[tuple[str, str, bytes]]]:
    data = raw.encode() if isinstance(raw, str) else raw
    msg = email.message_from_bytes(data, policy=email.policy.default)
    text = ""
    attachments: list[tuple[str, str, bytes]] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        if filename:
            payload = part.get_payload(decode=True)
            body = payload if isinstance(payload, bytes) else b""
            attachments.append((filename, part.get_content_type(), body))
        elif part.get_content_type() == "text/plain" and not text:
            text = str(part.get_content())
    info = {
        "subject": str(msg.get("Subject", "")),
        "from": str(msg.get("From", "")),
        "to": [a.strip() for a in str(msg.get("To", "")).split(",") if a.strip()],
        "text": text,
    }
    return info, attachments


def collect(region: str, base_url: str) -> dict[str, Any]:
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    emails: list[dict[str, Any]] = []
    ses = ses_backends[ACCOUNT][region]
    for m in list(ses.sent_messages):
        mid = str(getattr(m, "id", ""))
        raw = getattr(m, "raw_data", None)
        if raw is not None:
            info, attachments = _parse_raw(raw)
            if not info["to"]:
                info["to"] = list(getattr(m, "destinations", []) or [])
            info["attachments"] = [
                {
                    "filename": name,
                    "content_type": ctype,
                    "size": len(body),
                    "url": f"{base_url}/attachments/{quote(mid)}/{i}",
                }
                for i, (name, ctype, body) in enumerate(attachments)
            ]
        else:
            dest = getattr(m, "destinations", {}) or {}
            info = {
                "subject": getattr(m, "subject", ""),
                "from": getattr(m, "source", ""),
                "to": list(dest.get("ToAddresses", [])) if isinstance(dest, dict) else list(dest),
                "text": getattr(m, "body", ""),
                "attachments": [],
            }
        info["id"] = mid
        info["sent_at"] = _seen(mid)
        emails.append(info)
    sms = [
        {"id": mid, "phone": phone, "message": text, "sent_at": _seen(mid)}
        for mid, (phone, text) in list(sns_backends[ACCOUNT][region].sms_messages.items())
    ]
    emails.reverse()
    sms.reverse()
    return {"emails": emails, "sms": sms}


def attachment(region: str, message_id: str, index: int) -> tuple[str, str, bytes] | None:
    from moto.ses.models import ses_backends

    for m in ses_backends[ACCOUNT][region].sent_messages:
        if str(getattr(m, "id", "")) == message_id and getattr(m, "raw_data", None) is not None:
            _, attachments = _parse_raw(m.raw_data)
            return attachments[index] if 0 <= index < len(attachments) else None
    return None


def serve(port: int, region: str) -> ThreadingHTTPServer:
    base_url = f"http://127.0.0.1:{port}"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            return

        def _send(
            self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/outbox.json":
                body = json.dumps(collect(region, base_url), ensure_ascii=False).encode()
                return self._send(200, body, "application/json; charset=utf-8")
            parts = self.path.strip("/").split("/")
            if len(parts) == 3 and parts[0] == "attachments" and parts[2].isdigit():
                found = attachment(region, unquote(parts[1]), int(parts[2]))
                if found:
                    name, ctype, body = found
                    return self._send(
                        200, body, ctype, {"Content-Disposition": f'attachment; filename="{name}"'}
                    )
            self._send(404, b"not found", "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="outbox").start()
    return server
