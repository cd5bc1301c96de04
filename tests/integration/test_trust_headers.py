"""Security headers on the portal and the API (issue 13, finding 9)."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.api.middleware import security_headers

WEB = Path(__file__).resolve().parents[2] / "chalicelib" / "web"


def _common(headers: dict[str, str]) -> None:
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_personal_data_answers_are_not_stored(api, world, login_as) -> None:
    headers = login_as("customer", [world.individual])
    r = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert r.status == 200
    _common(r.headers)
    assert r.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in r.headers  # local: plain http on loopback


def test_problems_carry_the_headers_too(api, aws) -> None:
    r = api.post("/auth/login", {"username": "12345678", "password": "x"})
    assert r.status in (400, 401)
    _common(r.headers)
    assert r.headers["Cache-Control"] == "no-store"


def test_the_portal_and_its_files(api, aws) -> None:
    page = api.get("/")
    _common(page.headers)
    assert page.headers["Cache-Control"] == "no-cache"
    script = api.get("/static/app.js")
    _common(script.headers)
    assert script.headers["Cache-Control"].startswith("public")


def test_the_portal_has_no_inline_script_or_style() -> None:
    for path in [WEB / "index.html", *WEB.glob("*.js")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path.name
        assert not re.search(r"<style\b", text), path.name
        assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), path.name  # onclick="..."
        assert not re.search(r"\bstyle\s*=\s*[\"']", text), path.name
        assert not re.search(r"h\(\"\w+\",\s*\{[^}]*\bstyle\s*:", text), (
            path.name
        )  # h(tag, {style})
    assert (
        '<script type="module" src="/static/start.js"></script>' in (WEB / "index.html").read_text()
    )


def test_hsts_outside_local_only() -> None:
    prod = security_headers("/customers/{customer_no}/overview", local=False)
    assert prod["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in security_headers("/", local=True)
    assert "Cache-Control" not in security_headers("/static/{name}", local=False)


def test_uploads_to_s3_are_allowed_by_the_policy() -> None:
    csp = security_headers("/", local=True, upload_origins=("http://127.0.0.1:5000",))[
        "Content-Security-Policy"
    ]
    assert "connect-src 'self' http://127.0.0.1:5000" in csp
