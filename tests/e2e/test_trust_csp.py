"""The portal runs under its own Content-Security-Policy (no inline script, no eval): with
the policy enforced, the public pages and a logged-in overview render with no violation."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Stack, new_context, open_as


def test_the_portal_works_with_its_csp_enforced(browser: Any, stack: Stack) -> None:
    context = new_context(browser, stack, bypass_csp=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    response = page.goto(stack.base_url + "/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#main").wait_for()
    open_as(page, stack, "10000001", "#/account")
    page.locator("#main h1, #main h2").first.wait_for()
    context.close()
    assert violations == []
